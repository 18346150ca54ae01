// Webhook deliveries as Shopify makes them: POST appUrl + the subscribed path, JSON body, headers that
// @shopify/shopify-api's `webhooks.validate` requires (lib/webhooks/validate.ts), HMAC-SHA256 of the raw
// body with the app secret in base64. Failed deliveries (non-2xx or network error) are retried with
// exponential back-off a bounded number of times; every attempt is recorded.
import { createHmac, randomUUID } from "node:crypto";
import type { Clock } from "./clock";
import { customerGid, isoSeconds, type Customer, type Shop } from "./model";
import { includeFields, matchesWebhookFilter } from "./webhookFilter";

/** One topic's subscription, as `[[webhooks.subscriptions]]` declares it in shopify.app.toml. */
export interface WebhookSubscription {
  path: string;
  /** Search syntax on the payload: deliveries where it is false are not made. */
  filter?: string;
  /** Only these payload fields are sent. */
  includeFields?: string[];
}

/** Deliveries in flight at once (Shopify spreads a burst; a bulk import must not open 5,000 sockets). */
const MAX_CONCURRENT_DELIVERIES = 16;

export interface WebhookRetryPolicy {
  /** Total attempts, the first included. */
  maxAttempts: number;
  /** Delay before the 2nd attempt; doubles each time. */
  baseDelayMs: number;
  /** Per-attempt timeout. */
  timeoutMs: number;
}

export const DEFAULT_RETRY: WebhookRetryPolicy = { maxAttempts: 5, baseDelayMs: 1000, timeoutMs: 5000 };

export interface DeliveryAttempt {
  at: string;
  status: number | null;
  error: string | null;
  durationMs: number;
}

export interface Delivery {
  id: string;
  webhookId: string;
  eventId: string;
  shop: string;
  topic: string;
  url: string;
  apiVersion: string;
  payload: unknown;
  body: string;
  hmac: string;
  triggeredAt: string;
  status: "pending" | "delivered" | "failed";
  attempts: DeliveryAttempt[];
}

export function webhookHmac(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

/**
 * A customer as REST-style webhooks carry it (customers/create, customers/update, customers/enable).
 * Protected fields the shop did not grant the app are redacted (null), as Shopify's protected customer
 * data documentation says of webhooks. Since API 2025-01 customer payloads carry no `tags` and no
 * marketing consent (Shopify's changelog): read them from the Admin API.
 */
export function customerPayload(shop: Shop, customer: Customer): Record<string, unknown> {
  const granted = shop.customerData.fields;
  const name = granted.includes("name");
  const email = granted.includes("email");
  const phone = granted.includes("phone");
  const address = granted.includes("address");
  const addresses = customer.addresses.map((a, i) => ({
    id: a.id,
    customer_id: customer.id,
    first_name: name ? a.firstName : null,
    last_name: name ? a.lastName : null,
    company: a.company,
    address1: address ? a.address1 : null,
    address2: address ? a.address2 : null,
    city: a.city,
    province: a.province,
    country: a.country,
    zip: address ? a.zip : null,
    phone: phone ? a.phone : null,
    name: name ? [a.firstName, a.lastName].filter(Boolean).join(" ") : null,
    province_code: a.provinceCode,
    country_code: a.countryCode,
    country_name: a.country,
    default: i === 0,
  }));
  return {
    id: customer.id,
    email: email ? customer.email : null,
    created_at: isoSeconds(customer.createdAt),
    updated_at: isoSeconds(customer.updatedAt),
    first_name: name ? customer.firstName : null,
    last_name: name ? customer.lastName : null,
    orders_count: customer.numberOfOrders,
    state: customer.state.toLowerCase(),
    total_spent: customer.amountSpent.toFixed(2),
    last_order_id: null,
    note: customer.note,
    verified_email: customer.verifiedEmail,
    multipass_identifier: null,
    tax_exempt: false,
    last_order_name: null,
    currency: "USD",
    phone: phone ? customer.phone : null,
    addresses,
    tax_exemptions: [],
    admin_graphql_api_id: customerGid(customer.id),
    default_address: addresses[0] ?? null,
  };
}

export class WebhookDispatcher {
  /** topic → subscription on the app (e.g. customers/update → /webhooks/customers/update). */
  readonly subscriptions = new Map<string, WebhookSubscription>();
  readonly deliveries: Delivery[] = [];
  /** Deliveries left out by their subscription's filter, per topic. */
  readonly filtered = new Map<string, number>();
  private pending = new Set<Promise<void>>();
  private inFlight = 0;
  private waiting: (() => void)[] = [];
  private timers = new Map<NodeJS.Timeout, () => void>();
  private closed = false;

  constructor(
    private readonly options: {
      appUrl: string | null;
      apiSecret: string;
      apiVersion: string;
      clock: Clock;
      retry: WebhookRetryPolicy;
    },
  ) {}

  /** Where deliveries go from now on (the control API's `PATCH app`). */
  setAppUrl(appUrl: string | null): void {
    this.options.appUrl = appUrl;
  }

  setSubscriptions(subscriptions: Record<string, string | WebhookSubscription>, replace = false): void {
    if (replace) this.subscriptions.clear();
    for (const [topic, value] of Object.entries(subscriptions)) {
      const subscription = typeof value === "string" ? { path: value } : value;
      if (subscription?.path) this.subscriptions.set(topic, subscription);
      else this.subscriptions.delete(topic);
    }
  }

  /** topic → path, as the control API shows them. */
  paths(): Record<string, string> {
    return Object.fromEntries([...this.subscriptions].map(([topic, s]) => [topic, s.path]));
  }

  setRetry(retry: Partial<WebhookRetryPolicy>): void {
    Object.assign(this.options.retry, retry);
  }

  get retry(): WebhookRetryPolicy {
    return { ...this.options.retry };
  }

  /**
   * Sends a topic if it is subscribed (or `force` with a path, for the control API's triggers), unless
   * the subscription's filter leaves it out; only the subscription's `include_fields` are sent.
   * Returns the delivery, or null when nobody subscribed or the filter left it out.
   */
  send(shop: string, topic: string, fullPayload: unknown, forcePath?: string): Delivery | null {
    const subscription = this.subscriptions.get(topic);
    const path = forcePath ?? subscription?.path;
    if (!path || !this.options.appUrl || this.closed) return null;
    if (!forcePath && !matchesWebhookFilter(subscription?.filter, fullPayload)) {
      this.filtered.set(topic, (this.filtered.get(topic) ?? 0) + 1);
      return null;
    }
    const payload = includeFields(fullPayload, subscription?.includeFields);
    const body = JSON.stringify(payload);
    const delivery: Delivery = {
      id: randomUUID(),
      webhookId: randomUUID(),
      eventId: randomUUID(),
      shop,
      topic,
      url: new URL(path, this.options.appUrl).href,
      apiVersion: this.options.apiVersion,
      payload,
      body,
      hmac: webhookHmac(body, this.options.apiSecret),
      triggeredAt: new Date(this.options.clock.now()).toISOString(),
      status: "pending",
      attempts: [],
    };
    this.deliveries.push(delivery);
    this.track(this.attempt(delivery));
    return delivery;
  }

  private track(promise: Promise<void>): void {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
  }

  /** Attempts until delivered or given up; a back-off between attempts holds no delivery slot. */
  private async attempt(delivery: Delivery): Promise<void> {
    for (;;) {
      if (this.closed) return;
      if (this.inFlight >= MAX_CONCURRENT_DELIVERIES)
        await new Promise<void>((resolve) => this.waiting.push(resolve));
      this.inFlight++;
      let again = false;
      try {
        again = await this.post(delivery);
      } finally {
        this.inFlight--;
        this.waiting.shift()?.();
      }
      if (!again) return;
      const delay = this.options.retry.baseDelayMs * 2 ** (delivery.attempts.length - 1);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          resolve();
        }, delay);
        this.timers.set(timer, resolve);
      });
      if (this.closed) {
        delivery.status = "failed";
        return;
      }
    }
  }

  /** One attempt; true when another one is due. */
  private async post(delivery: Delivery): Promise<boolean> {
    if (this.closed) return false;
    const started = Date.now();
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(delivery.url, {
        method: "POST",
        body: delivery.body,
        headers: {
          "Content-Type": "application/json",
          "User-Agent": "Shopify-Captain-Hook",
          "X-Shopify-Topic": delivery.topic,
          "X-Shopify-Hmac-Sha256": delivery.hmac,
          "X-Shopify-Shop-Domain": delivery.shop,
          "X-Shopify-API-Version": delivery.apiVersion,
          "X-Shopify-Webhook-Id": delivery.webhookId,
          "X-Shopify-Event-Id": delivery.eventId,
          "X-Shopify-Triggered-At": delivery.triggeredAt,
        },
        signal: AbortSignal.timeout(this.options.retry.timeoutMs),
        redirect: "manual",
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (caught) {
      error = caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught);
    }
    delivery.attempts.push({ at: new Date().toISOString(), status, error, durationMs: Date.now() - started });
    if (status !== null && status >= 200 && status < 300) {
      delivery.status = "delivered";
      return false;
    }
    if (delivery.attempts.length >= this.options.retry.maxAttempts || this.closed) {
      delivery.status = "failed";
      return false;
    }
    return true;
  }

  /** Resolves when every delivery has succeeded or given up (tests). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  clear(): void {
    this.deliveries.length = 0;
  }

  close(): void {
    this.closed = true;
    for (const resolve of this.waiting.splice(0)) resolve();
    for (const [timer, resolve] of this.timers) {
      clearTimeout(timer);
      resolve();
    }
    this.timers.clear();
  }
}
