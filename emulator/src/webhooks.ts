// Webhook deliveries as Shopify makes them: POST appUrl + the subscribed path, JSON body, headers that
// @shopify/shopify-api's `webhooks.validate` requires (lib/webhooks/validate.ts), HMAC-SHA256 of the raw
// body with the app secret in base64. Failed deliveries (non-2xx or network error) are retried with
// exponential back-off a bounded number of times; every attempt is recorded.
import { createHmac, randomUUID } from "node:crypto";
import type { Clock } from "./clock";
import { customerGid, isoSeconds, type Customer, type Shop } from "./model";

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

/** The REST-style customer payload Shopify sends with customers/* topics. */
export function customerPayload(shop: Shop, customer: Customer): Record<string, unknown> {
  return {
    id: customer.id,
    email: customer.email,
    created_at: isoSeconds(customer.createdAt),
    updated_at: isoSeconds(customer.updatedAt),
    first_name: customer.firstName,
    last_name: customer.lastName,
    orders_count: customer.numberOfOrders,
    state: customer.state.toLowerCase(),
    total_spent: "0.00",
    last_order_id: null,
    note: customer.note,
    verified_email: customer.verifiedEmail,
    multipass_identifier: null,
    tax_exempt: false,
    tags: customer.tags.join(", "),
    last_order_name: null,
    currency: "USD",
    phone: customer.phone,
    addresses: [],
    tax_exemptions: [],
    email_marketing_consent: customer.email
      ? { state: "not_subscribed", opt_in_level: "single_opt_in", consent_updated_at: null }
      : null,
    sms_marketing_consent: null,
    admin_graphql_api_id: customerGid(customer.id),
    default_address: null,
    shop_domain: shop.domain,
  };
}

export class WebhookDispatcher {
  /** topic → path on the app (e.g. customers/update → /webhooks/customers/update). */
  readonly subscriptions = new Map<string, string>();
  readonly deliveries: Delivery[] = [];
  private pending = new Set<Promise<void>>();
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

  setSubscriptions(subscriptions: Record<string, string>, replace = false): void {
    if (replace) this.subscriptions.clear();
    for (const [topic, path] of Object.entries(subscriptions)) {
      if (path) this.subscriptions.set(topic, path);
      else this.subscriptions.delete(topic);
    }
  }

  setRetry(retry: Partial<WebhookRetryPolicy>): void {
    Object.assign(this.options.retry, retry);
  }

  get retry(): WebhookRetryPolicy {
    return { ...this.options.retry };
  }

  /**
   * Sends a topic if it is subscribed (or `force` with a path, for the control API's triggers).
   * Returns the delivery, or null when nobody subscribed.
   */
  send(shop: string, topic: string, payload: unknown, forcePath?: string): Delivery | null {
    const path = forcePath ?? this.subscriptions.get(topic);
    if (!path || !this.options.appUrl || this.closed) return null;
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

  private async attempt(delivery: Delivery): Promise<void> {
    if (this.closed) return;
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
      return;
    }
    if (delivery.attempts.length >= this.options.retry.maxAttempts || this.closed) {
      delivery.status = "failed";
      return;
    }
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
    await this.attempt(delivery);
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
    for (const [timer, resolve] of this.timers) {
      clearTimeout(timer);
      resolve();
    }
    this.timers.clear();
  }
}
