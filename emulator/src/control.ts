// The control API under /__emulator/ (JSON in, JSON out), for tests, benchmarks and the demo.
// Every endpoint is listed with its request and response in emulator/README.md.
import { mulberry32 } from "./prng";
import { HttpError } from "./http";
import { compileCustomerSearch } from "./search";
import { handleFlowControl } from "./flow";
import { handleSegmentControl } from "./segments";
import { compliancePayload } from "./payloads";
import { customerPayload, type WebhookSubscription } from "./webhooks";

/** Topics whose default trigger payload is the customer as REST webhooks carry it. */
const CUSTOMER_TOPICS = new Set([
  "customers/create",
  "customers/update",
  "customers/enable",
  "customers/disable",
]);
import {
  addressGid,
  customerGid,
  staffGid,
  type CustomerAddress,
  type StaffMember,
  isoSeconds,
  LOST_AFTER_RATES,
  noFaults,
  CUSTOMER_STATES,
  type Customer,
  type CustomerState,
  type Faults,
  type Shop,
} from "./model";
import type { Emulator } from "./server";
import type { CreateShopOptions } from "./store";

export interface ControlRequest {
  method: string;
  path: string;
  url: URL;
  body: Record<string, unknown>;
  faultRandom: Map<string, () => number>;
}

export interface ControlResult {
  status: number;
  body: unknown;
}

export function customerJson(customer: Customer): Record<string, unknown> {
  return {
    id: customerGid(customer.id),
    legacyResourceId: String(customer.id),
    firstName: customer.firstName,
    lastName: customer.lastName,
    email: customer.email,
    phone: customer.phone,
    state: customer.state,
    tags: customer.tags,
    note: customer.note,
    verifiedEmail: customer.verifiedEmail,
    numberOfOrders: customer.numberOfOrders,
    locale: customer.locale,
    createdAt: isoSeconds(customer.createdAt),
    updatedAt: isoSeconds(customer.updatedAt),
    acceptsMarketing: customer.acceptsMarketing,
    amountSpent: customer.amountSpent,
    orderDates: customer.orderDates.map(isoSeconds),
    lastAbandonedOrderAt:
      customer.lastAbandonedOrderAt === null ? null : isoSeconds(customer.lastAbandonedOrderAt),
    addresses: customer.addresses.map(({ id, ...address }) => ({ id: addressGid(id), ...address })),
  };
}

export function staffJson(member: StaffMember): Record<string, unknown> {
  return { ...member, id: staffGid(member.id) };
}

function isoTime(value: unknown, label: string): number {
  const ms = typeof value === "number" ? value : Date.parse(String(value));
  if (Number.isNaN(ms)) throw new HttpError(400, `${label} must be an ISO date or epoch milliseconds`);
  return ms;
}

function addressesFrom(value: unknown, customerId: number | null): CustomerAddress[] {
  if (!Array.isArray(value)) throw new HttpError(400, "addresses must be an array");
  const text = (v: unknown) => (v === undefined || v === null || v === "" ? null : String(v));
  return value.map((raw: Record<string, unknown>, i) => {
    const countryCode = text(raw.countryCode ?? raw.countryCodeV2);
    return {
      id: (customerId ?? 0) * 10 + i, // a new customer's are renumbered once it has an id
      firstName: text(raw.firstName),
      lastName: text(raw.lastName),
      company: text(raw.company),
      address1: text(raw.address1),
      address2: text(raw.address2),
      city: text(raw.city),
      province: text(raw.province),
      provinceCode: text(raw.provinceCode),
      country: text(raw.country),
      countryCode: countryCode && countryCode.toUpperCase(),
      zip: text(raw.zip),
      phone: text(raw.phone),
    };
  });
}

function requireShop(emulator: Emulator, domain: unknown): Shop {
  const shop = emulator.store.getShop(typeof domain === "string" ? domain : null);
  if (!shop)
    throw new HttpError(
      404,
      `Unknown shop '${String(domain ?? "")}' (create it with POST /__emulator/shops)`,
    );
  return shop;
}

function customerIdOf(value: string): number {
  const id = Number(decodeURIComponent(value).replace(/^gid:\/\/shopify\/Customer\//, ""));
  if (!Number.isSafeInteger(id)) throw new HttpError(400, `Invalid customer id '${value}'`);
  return id;
}

function requireCustomer(emulator: Emulator, shop: Shop, id: number): Customer {
  const customer = emulator.store.findCustomer(shop, id);
  if (!customer) throw new HttpError(404, `Unknown customer ${id} in ${shop.domain}`);
  return customer;
}

function customerPatch(body: Record<string, unknown>, customerId: number | null = null): Partial<Customer> {
  const patch: Partial<Customer> = {};
  for (const key of ["firstName", "lastName", "email", "phone", "note", "locale"] as const) {
    if (key in body) (patch as Record<string, unknown>)[key] = body[key] ?? null;
  }
  if ("tags" in body) patch.tags = Array.isArray(body.tags) ? body.tags.map(String) : [];
  if ("verifiedEmail" in body) patch.verifiedEmail = Boolean(body.verifiedEmail);
  if ("numberOfOrders" in body) patch.numberOfOrders = Number(body.numberOfOrders) || 0;
  if ("acceptsMarketing" in body) patch.acceptsMarketing = Boolean(body.acceptsMarketing);
  if ("amountSpent" in body) patch.amountSpent = Number(body.amountSpent) || 0;
  if ("orderDates" in body) {
    if (!Array.isArray(body.orderDates)) throw new HttpError(400, "orderDates must be an array");
    patch.orderDates = body.orderDates.map((d) => isoTime(d, "orderDates[]")).sort((a, b) => a - b);
    if (!("numberOfOrders" in body)) patch.numberOfOrders = patch.orderDates.length;
  }
  if ("lastAbandonedOrderAt" in body)
    patch.lastAbandonedOrderAt =
      body.lastAbandonedOrderAt == null ? null : isoTime(body.lastAbandonedOrderAt, "lastAbandonedOrderAt");
  if ("addresses" in body) patch.addresses = addressesFrom(body.addresses, customerId);
  if ("state" in body) {
    const state = String(body.state).toUpperCase() as CustomerState;
    if (!CUSTOMER_STATES.includes(state))
      throw new HttpError(400, `state must be one of ${CUSTOMER_STATES.join(", ")}`);
    patch.state = state;
  }
  return patch;
}

function faultsFrom(body: Record<string, unknown>, current: Faults): Faults {
  const next = { ...current };
  const rate = (name: string, value: unknown) => {
    const n = Number(value);
    if (!(n >= 0 && n <= 1)) throw new HttpError(400, `${name} must be between 0 and 1`);
    return n;
  };
  if ("errorRate" in body) next.errorRate = rate("errorRate", body.errorRate);
  if ("errorStatus" in body) next.errorStatus = Number(body.errorStatus) || 503;
  if ("timeoutRate" in body) next.timeoutRate = rate("timeoutRate", body.timeoutRate);
  if ("timeoutMs" in body) next.timeoutMs = Math.max(0, Number(body.timeoutMs) || 0);
  if ("timeoutMode" in body) next.timeoutMode = body.timeoutMode === "504" ? "504" : "drop";
  if ("latencyMs" in body) next.latencyMs = Math.max(0, Number(body.latencyMs) || 0);
  if ("executionMs" in body) next.executionMs = Math.max(0, Number(body.executionMs) || 0);
  if ("executionMsPerMutation" in body)
    next.executionMsPerMutation = Math.max(0, Number(body.executionMsPerMutation) || 0);
  if ("tokenExchangeFailures" in body)
    next.tokenExchangeFailures = Math.max(0, Math.floor(Number(body.tokenExchangeFailures) || 0));
  if ("throttleBurst" in body) {
    const burst = body.throttleBurst;
    next.throttleBurst = Math.max(
      0,
      Number(typeof burst === "object" && burst ? (burst as { count?: unknown }).count : burst) || 0,
    );
  }
  // Lost-answer faults (the request runs, then the answer is lost): one draw shared between the four.
  for (const name of LOST_AFTER_RATES) if (name in body) next[name] = rate(name, body[name]);
  if ("lostAfterDelayMs" in body) next.lostAfterDelayMs = Math.max(0, Number(body.lostAfterDelayMs) || 0);
  if ("lostAfterMutationsOnly" in body) {
    const only = body.lostAfterMutationsOnly;
    next.lostAfterMutationsOnly = Boolean(only) && only !== "false" && only !== "0";
  }
  const lostTotal = LOST_AFTER_RATES.reduce((sum, name) => sum + next[name], 0);
  if (lostTotal > 1 + 1e-9)
    throw new HttpError(400, `${LOST_AFTER_RATES.join(" + ")} must not exceed 1 (is ${lostTotal})`);
  return next;
}

let dataRequestId = 9_000;

export async function handleControl(emulator: Emulator, request: ControlRequest): Promise<ControlResult> {
  const { method, url, body } = request;
  const path = request.path.replace(/^\/__emulator/, "").replace(/\/$/, "") || "/";
  const q = (name: string) => url.searchParams.get(name);
  const ok = (value: unknown, status = 200): ControlResult => ({ status, body: value });
  const { store } = emulator;
  let m: RegExpExecArray | null;

  if (path === "/health") return ok({ ok: true, shops: store.shops.size });
  if (path === "/reset" && method === "POST") {
    emulator.reset();
    return ok({ ok: true });
  }

  // Shops
  if (path === "/shops" && method === "POST") {
    const started = Date.now();
    const shop = store.createShop(body as unknown as CreateShopOptions);
    return ok({ ...emulator.shopSummary(shop), seededInMs: Date.now() - started }, 201);
  }
  if (path === "/shops" && method === "GET")
    return ok({ shops: [...store.shops.values()].map(emulator.shopSummary) });
  if ((m = /^\/shops\/([^/]+)$/.exec(path))) {
    const shop = requireShop(emulator, decodeURIComponent(m[1]!));
    if (method === "GET") return ok(emulator.shopSummary(shop));
    if (method === "PATCH" || method === "POST") {
      store.updateShop(shop, body as Partial<CreateShopOptions>);
      if (body.fillBucket) shop.bucket.fill();
      if (body.drainBucket) shop.bucket.drain();
      return ok(emulator.shopSummary(shop));
    }
    if (method === "DELETE") {
      store.shops.delete(shop.domain);
      emulator.tokens.revokeShop(shop.domain);
      return ok({ ok: true });
    }
  }
  if ((m = /^\/shops\/([^/]+)\/uninstall$/.exec(path)) && method === "POST") {
    const shop = requireShop(emulator, decodeURIComponent(m[1]!));
    shop.installed = false;
    const revoked = emulator.tokens.revokeShop(shop.domain);
    const delivery = emulator.webhooks.send(
      shop.domain,
      "app/uninstalled",
      compliancePayload("app/uninstalled", shop, null, 0),
    );
    if (body.wait) await emulator.settleWebhooks();
    return ok({
      ok: true,
      delivery: delivery && { id: delivery.id, url: delivery.url, status: delivery.status },
      revoked,
    });
  }
  if ((m = /^\/shops\/([^/]+)\/expire-tokens$/.exec(path)) && method === "POST") {
    const shop = requireShop(emulator, decodeURIComponent(m[1]!));
    const expired = emulator.tokens.expireShop(shop.domain);
    const expiredRefreshTokens = body.refreshTokens ? emulator.tokens.expireShopRefresh(shop.domain) : 0;
    return ok({ expired, expiredRefreshTokens });
  }
  if ((m = /^\/shops\/([^/]+)\/staff$/.exec(path))) {
    const shop = requireShop(emulator, decodeURIComponent(m[1]!));
    if (method === "GET") return ok({ staff: shop.staff.map(staffJson) });
    if (method === "POST") return ok(staffJson(store.addStaff(shop, body)), 201);
  }
  if ((m = /^\/shops\/([^/]+)\/staff\/([^/]+)$/.exec(path)) && method === "DELETE") {
    const shop = requireShop(emulator, decodeURIComponent(m[1]!));
    const removed = store.removeStaff(shop, decodeURIComponent(m[2]!));
    return ok({ ok: true, removed: staffJson(removed) });
  }
  if ((m = /^\/shops\/([^/]+)\/staff\/([^/]+)$/.exec(path)) && method === "PATCH") {
    const shop = requireShop(emulator, decodeURIComponent(m[1]!));
    return ok(staffJson(store.updateStaff(shop, decodeURIComponent(m[2]!), body)));
  }
  if ((m = /^\/shops\/([^/]+)\/customers$/.exec(path)) && method === "POST") {
    const shop = requireShop(emulator, decodeURIComponent(m[1]!));
    const list = Array.isArray(body.customers) ? (body.customers as Record<string, unknown>[]) : [body];
    const created = list.map((entry) =>
      store.createCustomer(shop, customerPatch(entry), { silent: !body.webhooks }),
    );
    return ok({ customers: created.map(customerJson) }, 201);
  }

  // Customers
  if (path === "/customers" && method === "GET") {
    const shop = requireShop(emulator, q("shop"));
    const search = compileCustomerSearch(
      q("query"),
      emulator.engine.customerSearchFields,
      emulator.clock.now(),
    );
    if (search.error) throw new HttpError(400, search.error);
    const limit = Math.min(Number(q("limit") ?? 100) || 100, 10_000);
    const offset = Number(q("offset") ?? 0) || 0;
    const matches = search.matchesAll ? shop.customers : shop.customers.filter(search.matches);
    return ok({
      total: matches.length,
      customers: matches.slice(offset, offset + limit).map(customerJson),
      parsed: search.parsed,
      warnings: search.warnings,
    });
  }
  if ((m = /^\/customers\/([^/]+)$/.exec(path))) {
    const shop = requireShop(emulator, q("shop") ?? body.shop);
    const customer = requireCustomer(emulator, shop, customerIdOf(m[1]!));
    if (method === "GET") return ok(customerJson(customer));
    if (method === "PATCH" || method === "POST") {
      store.updateCustomer(shop, customer, customerPatch(body, customer.id), { silent: !body.webhooks });
      return ok(customerJson(customer));
    }
  }

  // The customer's side of an invite: set a password through their newest valid link (activate), or
  // decline it, exactly as the account pages do (customers/update, and customers/enable on activation).
  if ((m = /^\/customers\/([^/]+)\/(activate|decline)$/.exec(path)) && method === "POST") {
    const shop = requireShop(emulator, q("shop") ?? body.shop);
    const customer = requireCustomer(emulator, shop, customerIdOf(m[1]!));
    const now = emulator.clock.now();
    const link = store
      .linksFor(shop, customer.id)
      .filter((l) => l.status === "active" && l.expiresAt > now)
      .at(-1);
    if (!link) throw new HttpError(409, "The customer has no valid invite or activation link");
    const used = store.useLink(shop, customer.id, link.token, m[2] as "activate" | "decline");
    if (!used.ok) throw new HttpError(used.status, used.message);
    return ok(customerJson(customer));
  }

  // Outbox and links
  if (path === "/outbox" && method === "GET") {
    const shop = q("shop");
    const since = q("since");
    const customerId = q("customerId");
    let emails = store.outbox.filter((e) => !shop || e.shop === shop);
    if (since) {
      const seq = Number(since);
      emails =
        Number.isFinite(seq) && /^\d+$/.test(since)
          ? emails.filter((e) => e.seq > seq)
          : emails.filter((e) => e.sentAt > new Date(since).toISOString());
    }
    if (customerId) {
      const gid = customerGid(customerIdOf(customerId));
      emails = emails.filter((e) => e.customerId === gid);
    }
    return ok({ emails });
  }
  // Every mutation request that ran, with its sender and span (test evidence: one pacer per shop at a time).
  if (path === "/mutation-requests" && method === "GET") {
    const shop = q("shop");
    return ok({ requests: store.mutationRequests.filter((r) => !shop || r.shop === shop) });
  }
  if (path === "/links" && method === "GET") {
    const shop = requireShop(emulator, q("shop"));
    const customerId = q("customerId");
    const now = emulator.clock.now();
    const links = (customerId ? store.linksFor(shop, customerIdOf(customerId)) : store.allLinks(shop)).map(
      (l) => ({
        ...l,
        customerId: customerGid(l.customerId),
        createdAt: new Date(l.createdAt).toISOString(),
        expiresAt: new Date(l.expiresAt).toISOString(),
        usedAt: l.usedAt === null ? null : new Date(l.usedAt).toISOString(),
        expired: l.expiresAt <= now,
      }),
    );
    return ok({ links });
  }

  // Faults, clock, stats
  if (path === "/faults" && method === "POST") {
    const shop = requireShop(emulator, body.shop);
    shop.faults = body.clear ? noFaults() : faultsFrom(body, shop.faults);
    if (body.seed !== undefined) request.faultRandom.set(shop.domain, mulberry32(Number(body.seed)));
    return ok({ shop: shop.domain, faults: shop.faults });
  }
  if (path === "/faults" && method === "DELETE") {
    const shop = requireShop(emulator, q("shop"));
    shop.faults = noFaults();
    request.faultRandom.delete(shop.domain);
    return ok({ shop: shop.domain, faults: shop.faults });
  }
  if (path === "/clock") {
    if (method === "POST") {
      if (body.reset) emulator.clock.reset();
      if (body.advanceSeconds !== undefined) emulator.clock.advance(Number(body.advanceSeconds) * 1000);
      if (body.advanceMs !== undefined) emulator.clock.advance(Number(body.advanceMs));
      if (body.now !== undefined) {
        const at = typeof body.now === "number" ? body.now : Date.parse(String(body.now));
        if (Number.isNaN(at)) throw new HttpError(400, "now must be an ISO date or epoch milliseconds");
        emulator.clock.set(at);
      }
    }
    return ok({ now: new Date(emulator.clock.now()).toISOString(), offsetMs: emulator.clock.offsetMs });
  }
  if (path === "/stats" && method === "GET") {
    const domain = q("shop");
    if (domain) {
      const shop = requireShop(emulator, domain);
      return ok({
        shop: shop.domain,
        ...shop.stats,
        throttleStatus: shop.bucket.status(),
        bucketFullMs: Math.round(shop.bucket.fullMilliseconds()),
      });
    }
    return ok({ shops: [...store.shops.values()].map((s) => ({ shop: s.domain, ...s.stats })) });
  }

  // Session tokens
  if (path === "/session-token" && method === "POST") {
    const shop = requireShop(emulator, body.shop);
    return ok(
      emulator.sessionToken(shop.domain, {
        sub: body.sub === undefined ? undefined : String(body.sub),
        expiresInSeconds: body.expiresInSeconds === undefined ? undefined : Number(body.expiresInSeconds),
      }),
    );
  }

  // Bulk operations
  if (path === "/bulk-operations" && method === "GET") {
    const shop = requireShop(emulator, url.searchParams.get("shop"));
    return ok({ operations: emulator.bulk.list(shop.domain).map((op) => emulator.bulk.view(op)) });
  }
  if (path === "/bulk-operations/timing") {
    if (method === "POST") {
      for (const key of ["startMs", "objectsPerSecond", "finishMs", "cancelMs", "urlLifetimeMs"] as const) {
        if (body[key] === undefined) continue;
        const value = Number(body[key]);
        if (!(value >= 0) || (key === "objectsPerSecond" && value <= 0))
          throw new HttpError(400, `${key} must be a positive number`);
        emulator.bulk.timing[key] = value;
      }
    }
    return ok({ timing: emulator.bulk.timing });
  }
  if (path === "/bulk-operations/fail" && method === "POST") {
    const shop = requireShop(emulator, body.shop);
    const id = Number(String(body.id ?? "").replace(/^gid:\/\/shopify\/BulkOperation\//, ""));
    const code = String(body.errorCode ?? "INTERNAL_SERVER_ERROR");
    if (!["ACCESS_DENIED", "INTERNAL_SERVER_ERROR", "TIMEOUT"].includes(code))
      throw new HttpError(400, "errorCode must be ACCESS_DENIED, INTERNAL_SERVER_ERROR or TIMEOUT");
    const op = emulator.bulk.fail(shop.domain, id, code as "TIMEOUT");
    if (!op) throw new HttpError(404, "No running bulk operation with this id");
    return ok({ operation: emulator.bulk.view(op) });
  }

  // The app's URL (webhooks, Flow, the local admin's embedding): a benchmark starts its app after the emulator.
  if (path === "/app" && method === "PATCH") {
    const appUrl = body.appUrl === null ? null : String(body.appUrl ?? "");
    if (appUrl !== null && !/^https?:\/\//.test(appUrl))
      throw new HttpError(400, "appUrl must be an http(s) URL or null");
    (emulator.options as { appUrl?: string | null }).appUrl = appUrl;
    emulator.webhooks.setAppUrl(appUrl);
    return ok({ appUrl });
  }

  // Webhooks
  if (path === "/webhooks" && method === "GET") {
    return ok({
      subscriptions: emulator.webhooks.paths(),
      details: Object.fromEntries(emulator.webhooks.subscriptions),
      filtered: Object.fromEntries(emulator.webhooks.filtered),
      retry: emulator.webhooks.retry,
    });
  }
  if (path === "/webhooks" && method === "POST") {
    if (body.subscriptions && typeof body.subscriptions === "object") {
      emulator.webhooks.setSubscriptions(
        body.subscriptions as Record<string, string | WebhookSubscription>,
        Boolean(body.replace),
      );
    }
    if (typeof body.topic === "string")
      emulator.webhooks.setSubscriptions({ [body.topic]: String(body.path ?? "") });
    if (body.retry && typeof body.retry === "object")
      emulator.webhooks.setRetry(body.retry as Record<string, number>);
    return ok({
      subscriptions: emulator.webhooks.paths(),
      details: Object.fromEntries(emulator.webhooks.subscriptions),
      retry: emulator.webhooks.retry,
    });
  }
  if (path === "/webhooks/deliveries" && method === "GET") {
    const shop = q("shop");
    const topic = q("topic");
    const deliveries = emulator.webhooks.deliveries
      .filter((d) => (!shop || d.shop === shop) && (!topic || d.topic === topic))
      .map(({ body: _body, ...rest }) => rest);
    return ok({ deliveries });
  }
  if (path === "/webhooks/trigger" && method === "POST") {
    const shop = requireShop(emulator, body.shop);
    const topic = String(body.topic ?? "");
    if (!topic) throw new HttpError(400, "topic is required");
    const customer = body.customerId
      ? requireCustomer(emulator, shop, customerIdOf(String(body.customerId)))
      : null;
    const payload =
      body.payload ??
      (customer && CUSTOMER_TOPICS.has(topic)
        ? customerPayload(shop, customer)
        : compliancePayload(topic, shop, customer, ++dataRequestId));
    const path = emulator.webhooks.subscriptions.get(topic)?.path ?? `/webhooks/${topic}`;
    const delivery = emulator.webhooks.send(shop.domain, topic, payload, path);
    if (!delivery) throw new HttpError(409, "No appUrl configured: webhooks cannot be delivered");
    if (body.wait) await emulator.settleWebhooks();
    const { body: _body, ...rest } = delivery;
    return ok({ delivery: rest }, 202);
  }

  // Customer segments (./segments.ts)
  const segments = handleSegmentControl(emulator, { method, path, url, body });
  if (segments) return segments;

  // Shopify Flow: running the app's actions, the app's trigger calls (./flow.ts)
  const flow = await handleFlowControl(emulator, { method, path, url, body });
  if (flow) return flow;

  throw new HttpError(404, `Unknown control endpoint ${method} /__emulator${path}`);
}
