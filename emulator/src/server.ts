// createEmulator(): a local Shopify on one HTTP port. Routes by the shop in the request (Host when it is a
// *.myshopify.com host, else X-Shopify-Shop-Domain / X-Forwarded-Host, else ?shop=):
//   POST /admin/api/<version>/graphql.json   Admin GraphQL (X-Shopify-Access-Token)
//   POST /admin/oauth/access_token           token exchange and refresh
//   GET|POST /account/activate/<id>/<token>  the customer's invite / activation page
//   /__emulator/...                          control API (./control.ts), local admin (./adminPages.ts)
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { randomUUID } from "node:crypto";
import { BulkOperations, finishPayload, type BulkTiming } from "./bulk";
import { OffsetClock } from "./clock";
import { handleAdminPage } from "./adminPages";
import { handleControl, staffJson } from "./control";
import { activationFormPage, linkDonePage, linkErrorPage } from "./customerPages";
import { GraphqlEngine } from "./graphql";
import { HttpError, parseBody, readBody, sendJson, sendText, sleep } from "./http";
import { signSessionToken } from "./jwt";
import { LOST_AFTER_RATES, type Customer, type Faults, type Shop, type ShopStats } from "./model";
import { handleAccessToken } from "./oauth";
import { loadSchema, schemaMetadata, SCHEMA_VERSION, defaultSchemaPath } from "./schema";
import {
  configureFlow,
  flowExtensionsFrom,
  type FlowActionDefinition,
  type FlowTriggerDefinition,
} from "./flow";
import { EmulatorStore, ShopError, type CreateShopOptions, type CustomerTopic } from "./store";
import { TokenStore } from "./tokens";
import {
  customerPayload,
  DEFAULT_RETRY,
  WebhookDispatcher,
  type WebhookRetryPolicy,
  type WebhookSubscription,
} from "./webhooks";

/** API versions the emulator answers (all served by the 2026-10 schema); anything else is 404. */
export const SUPPORTED_API_VERSIONS = new Set([
  "2025-01",
  "2025-04",
  "2025-07",
  "2025-10",
  "2026-01",
  "2026-04",
  "2026-07",
  "2026-10",
  "unstable",
]);

export const INVALID_TOKEN_BODY = {
  errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
};

export interface EmulatorOptions {
  apiKey: string;
  apiSecret: string;
  /** Where webhooks go: appUrl + the subscribed path. Without it, no webhook is sent. */
  appUrl?: string | null;
  port?: number;
  host?: string;
  schemaPath?: string;
  /** topic → path or subscription (path, filter, include fields), e.g. { "customers/update": "/webhooks/customers/update" }. */
  webhooks?: Record<string, string | WebhookSubscription>;
  webhookRetry?: Partial<WebhookRetryPolicy>;
  /** X-Shopify-API-Version of webhooks. */
  webhookApiVersion?: string;
  /** Shops to create at start. */
  shops?: CreateShopOptions[];
  /** Base time source (default Date.now); the emulator clock adds its offset to it. */
  now?: () => number;
  /** Shown in the local admin. */
  appName?: string;
  appHandle?: string;
  /**
   * A folder of built admin UI extensions (`<handle>/shopify.extension.toml`, `<handle>/dist/<handle>.js`,
   * `<handle>/locales/en.default.json`), offered in the local admin's "More actions". The demo points it
   * at the app's extensions/ folder; the emulator reads only those built files.
   */
  extensionsDir?: string;
  /** The bulk operations' timing model (emulator/README.md, "Bulk operations"). */
  bulk?: Partial<BulkTiming>;
  /**
   * The app's Flow triggers and actions, as `shopify app deploy` registers them. Default: the `flow_trigger`
   * and `flow_action` extensions found in `extensionsDir` (./flow.ts, `flowExtensionsFrom`).
   */
  flow?: {
    triggers?: FlowTriggerDefinition[];
    actions?: FlowActionDefinition[];
    lifecyclePath?: string | null;
  };
}

export interface ShopSummary {
  domain: string;
  name: string;
  plan: string;
  planDisplayName: string;
  customerAccountsVersion: string;
  scopes: string;
  /** The staff user's admin language (`PATCH shops/{domain} { locale }`). */
  locale: string;
  email: string;
  contactEmail: string;
  /** Staff members, the owner first (`GET shops/{domain}/staff` has the same list). */
  staff: Record<string, unknown>[];
  /** What the app may read of protected customer data. */
  protectedCustomerData: { level: 1 | 2; fields: string[] };
  installed: boolean;
  customerCount: number;
  throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
  stats: ShopStats;
  faults: Shop["faults"];
}

export interface Emulator {
  url: string;
  port: number;
  host: string;
  clock: OffsetClock;
  store: EmulatorStore;
  tokens: TokenStore;
  webhooks: WebhookDispatcher;
  engine: GraphqlEngine;
  /** Bulk query operations, their files and finish webhooks. */
  bulk: BulkOperations;
  options: Readonly<EmulatorOptions>;
  createShop(options: CreateShopOptions): ShopSummary;
  shopSummary(shop: Shop): ShopSummary;
  /** A signed session (id) token for a shop, as Shopify admin would give the embedded app. */
  sessionToken(
    shop: string,
    options?: { sub?: string; expiresInSeconds?: number },
  ): { token: string; expiresAt: string };
  /** Clears shops, tokens, outbox, links, deliveries, faults and the clock offset. */
  reset(): void;
  /** Resolves when every webhook delivery has been delivered or given up. */
  settleWebhooks(): Promise<void>;
  close(): Promise<void>;
}

/** What a gateway in front of Shopify answers when it loses the upstream's answer (HTML, not JSON). */
export function gatewayPage(status: 502 | 504): string {
  const title = status === 502 ? "502 Bad Gateway" : "504 Gateway Time-out";
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n`;
}

type LostAfter = (typeof LOST_AFTER_RATES)[number];

/**
 * Which lost-answer fault (if any) hits a request that has just run: one draw, partitioned between the
 * rates in LOST_AFTER_RATES order. No draw at all when every rate is 0 or the request is filtered out,
 * so seeded sequences of the pre-execution faults are unchanged.
 */
function pickLostAfter(faults: Faults, random: () => number, isMutation: () => boolean): LostAfter | null {
  const total = LOST_AFTER_RATES.reduce((sum, name) => sum + faults[name], 0);
  if (!(total > 0)) return null;
  if (faults.lostAfterMutationsOnly && !isMutation()) return null;
  const r = random();
  let edge = 0;
  for (const name of LOST_AFTER_RATES) {
    edge += faults[name];
    if (r < edge) return name;
  }
  return null;
}

/** Waits `ms` before answering; true when the client closed the connection meanwhile (gave up). */
function holdAnswer(res: ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (res.destroyed) {
      resolve(true);
      return;
    }
    const onClose = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      res.off("close", onClose);
      resolve(res.destroyed);
    }, ms);
    res.once("close", onClose);
  });
}

/** The shop a request is for, or null. */
export function shopDomainFromRequest(req: IncomingMessage, url: URL): string | null {
  const candidates = [
    req.headers.host,
    req.headers["x-shopify-shop-domain"],
    req.headers["x-forwarded-host"],
    url.searchParams.get("shop") ?? undefined,
  ];
  for (const candidate of candidates) {
    const value = (Array.isArray(candidate) ? candidate[0] : candidate)
      ?.split(",")[0]
      ?.trim()
      .toLowerCase()
      .replace(/:\d+$/, "");
    if (value && value.endsWith(".myshopify.com")) return value;
  }
  return null;
}

export async function createEmulator(options: EmulatorOptions): Promise<Emulator> {
  if (!options.apiKey || !options.apiSecret) throw new Error("createEmulator needs apiKey and apiSecret");
  const clock = new OffsetClock(options.now ?? Date.now);
  const wallNow = options.now ?? Date.now;
  const schema = loadSchema(options.schemaPath ?? defaultSchemaPath());
  const engine = new GraphqlEngine(schema, schemaMetadata(options.schemaPath ?? defaultSchemaPath()));
  const tokens = new TokenStore(clock);
  const webhooks = new WebhookDispatcher({
    appUrl: options.appUrl ?? null,
    apiSecret: options.apiSecret,
    apiVersion: options.webhookApiVersion ?? SCHEMA_VERSION,
    clock,
    retry: { ...DEFAULT_RETRY, ...options.webhookRetry },
  });
  if (options.webhooks) webhooks.setSubscriptions(options.webhooks);
  const store = new EmulatorStore(clock, {
    customerChanged(shop: Shop, customer: Customer, topic: CustomerTopic) {
      const payload =
        topic === "customers/delete"
          ? {
              id: customer.id,
              phone: null,
              addresses: [],
              tax_exemptions: [],
              email_marketing_consent: null,
              sms_marketing_consent: null,
              admin_graphql_api_id: `gid://shopify/Customer/${customer.id}`,
            }
          : customerPayload(shop, customer);
      webhooks.send(shop.domain, topic, payload);
    },
  });
  const faultRandom = new Map<string, () => number>();
  const bulk = new BulkOperations(
    clock,
    {
      finished(operation) {
        webhooks.send(operation.shop, "bulk_operations/finish", finishPayload(bulk.view(operation)));
      },
    },
    options.bulk,
  );

  configureFlow(
    store,
    options.flow ?? (options.extensionsDir ? flowExtensionsFrom(options.extensionsDir) : {}),
  );

  const shopSummary = (shop: Shop): ShopSummary => ({
    domain: shop.domain,
    name: shop.name,
    plan: shop.plan,
    planDisplayName: shop.preset.displayName,
    customerAccountsVersion: shop.customerAccountsVersion,
    scopes: shop.scopes,
    locale: shop.locale,
    email: shop.email,
    contactEmail: shop.contactEmail,
    staff: shop.staff.map(staffJson),
    protectedCustomerData: { level: shop.customerData.level, fields: [...shop.customerData.fields] },
    installed: shop.installed,
    customerCount: shop.customers.length,
    throttleStatus: shop.bucket.status(),
    stats: { ...shop.stats },
    faults: { ...shop.faults },
  });

  const sockets = new Set<Socket>();
  // Filled in once the server listens (requests cannot arrive before).
  const holder: { emulator?: Emulator } = {};

  async function handleGraphql(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    version: string,
  ): Promise<void> {
    if (!SUPPORTED_API_VERSIONS.has(version)) {
      sendJson(res, 404, { errors: "Not Found" });
      return;
    }
    const shop = store.getShop(shopDomainFromRequest(req, url));
    if (!shop) {
      sendJson(res, 404, { errors: "Not Found" });
      return;
    }
    shop.stats.requests++;
    const receivedAt = Date.now();
    let closed = false;
    res.once("close", () => {
      closed = true;
    });
    const clientHeader = req.headers["x-emulator-client"];
    const client = (Array.isArray(clientHeader) ? clientHeader[0] : clientHeader) ?? null;
    const faults = shop.faults;
    const random = faultRandom.get(shop.domain) ?? Math.random;
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    if (faults.timeoutRate > 0 && random() < faults.timeoutRate) {
      shop.stats.faultTimeouts++;
      await sleep(faults.timeoutMs);
      if (faults.timeoutMode === "504") sendText(res, 504, "Gateway Timeout");
      else req.socket.destroy();
      return;
    }
    if (faults.errorRate > 0 && random() < faults.errorRate) {
      shop.stats.faults5xx++;
      const status = faults.errorStatus;
      const message =
        status === 503 ? "Service Unavailable" : status === 502 ? "Bad Gateway" : "Internal Server Error";
      sendJson(res, status, { errors: message }, status === 503 ? { "Retry-After": "1" } : {});
      return;
    }
    const accessToken = req.headers["x-shopify-access-token"];
    const token = tokens.validAccess(Array.isArray(accessToken) ? accessToken[0] : accessToken, shop.domain);
    if (!token) {
      shop.stats.unauthorized++;
      sendJson(res, 401, INVALID_TOKEN_BODY);
      return;
    }
    const raw = await readBody(req);
    let request: Record<string, unknown>;
    if (req.headers["content-type"]?.includes("application/graphql")) request = { query: raw };
    else {
      try {
        request = parseBody(raw, "application/json");
      } catch {
        sendJson(res, 400, { errors: "Invalid JSON body" });
        return;
      }
    }
    let forceThrottle = false;
    if (faults.throttleBurst > 0) {
      faults.throttleBurst--;
      forceThrottle = true;
    }
    const started = engine.start(
      shop,
      request as { query: unknown },
      { shop, store, clock, token, apiVersion: version, bulkOperations: bulk },
      forceThrottle,
    );
    if (engine.operationType(request as { query: unknown }) === "mutation") {
      const invites = String(request.query ?? "").match(/customerSendAccountInviteEmail\s*\(/g)?.length ?? 0;
      // Recorded when its answer is sent, lost or abandoned (res "close"): endedAt is the end of the
      // request. A sender that went away before it ran (killed during the latency) ends it now.
      const record = () =>
        store.recordMutationRequest({ shop: shop.domain, client, invites, receivedAt, endedAt: Date.now() });
      if (closed) record();
      else res.once("close", record);
    }
    // Execution time: the requested cost is out of the bucket while the request runs, as on Shopify.
    if (!("body" in started)) {
      const runs = faults.executionMs + faults.executionMsPerMutation * started.mutations;
      if (runs > 0) await sleep(runs);
    }
    const body = "body" in started ? started.body : started.finish();
    // The request has run (effects, outbox, cost): the lost-answer faults lose its answer now.
    const lost = pickLostAfter(
      faults,
      random,
      () => engine.operationType(request as { query: unknown }) === "mutation",
    );
    if (lost === "lostAfter502Rate" || lost === "lostAfter504Rate") {
      const status = lost === "lostAfter502Rate" ? 502 : 504;
      shop.stats[status === 502 ? "lostAfter502" : "lostAfter504"]++;
      sendText(res, status, gatewayPage(status), "text/html; charset=utf-8");
      return;
    }
    if (lost === "lostAfterResetRate") {
      shop.stats.lostAfterReset++;
      req.socket.destroy();
      return;
    }
    if (lost === "lostAfterDelayRate") {
      shop.stats.lostAfterDelay++;
      if (await holdAnswer(res, faults.lostAfterDelayMs)) {
        shop.stats.lostAfterDelayAbandoned++;
        return;
      }
    }
    sendJson(res, 200, body, { "X-Shopify-API-Version": version, "X-Request-Id": randomUUID() });
  }

  async function handleAccessTokenRoute(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const shop = store.getShop(shopDomainFromRequest(req, url));
    if (!shop) {
      sendJson(res, 404, { errors: "Not Found" });
      return;
    }
    const body = parseBody(await readBody(req), req.headers["content-type"]);
    if (shop.faults.tokenExchangeFailures > 0 && body.grant_type !== "refresh_token") {
      shop.faults.tokenExchangeFailures--;
      sendJson(res, 503, { errors: "Service Unavailable" });
      return;
    }
    const result = handleAccessToken({
      shop,
      body,
      apiKey: options.apiKey,
      apiSecret: options.apiSecret,
      tokens,
      wallNow: wallNow(),
    });
    sendJson(res, result.status, result.body);
  }

  async function handleActivation(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    customerId: number,
    token: string,
  ): Promise<void> {
    const shop = store.getShop(shopDomainFromRequest(req, url));
    if (!shop) {
      sendText(res, 404, linkErrorPage(null, "This link is invalid."), "text/html; charset=utf-8");
      return;
    }
    if (req.method === "GET" || req.method === "HEAD") {
      const checked = store.checkLink(shop, customerId, token);
      if (!checked.ok)
        sendText(res, checked.status, linkErrorPage(shop, checked.message), "text/html; charset=utf-8");
      else
        sendText(
          res,
          200,
          activationFormPage(shop, checked, url.pathname + url.search),
          "text/html; charset=utf-8",
        );
      return;
    }
    const body = parseBody(await readBody(req), req.headers["content-type"]);
    const action = body.action === "decline" ? "decline" : "activate";
    const used = store.useLink(shop, customerId, token, action);
    if (!used.ok) sendText(res, used.status, linkErrorPage(shop, used.message), "text/html; charset=utf-8");
    else sendText(res, 200, linkDonePage(shop, action), "text/html; charset=utf-8");
  }

  /** A bulk operation's JSONL file under its signed URL; `Range: bytes=n-` answers 206 from byte n. */
  function handleBulkOutput(req: IncomingMessage, res: ServerResponse, url: URL, token: string): void {
    const found = bulk.download(token, url.searchParams);
    if (!found.body) {
      const message =
        found.error === "ExpiredToken"
          ? "The provided token has expired."
          : "The request signature we calculated does not match the signature you provided.";
      sendText(
        res,
        found.status,
        `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${found.error}</Code><Message>${message}</Message></Error>`,
        "application/xml; charset=UTF-8",
      );
      return;
    }
    const file = found.body;
    const range = /^bytes=(\d+)-$/.exec(String(req.headers.range ?? ""));
    const start = range ? Number(range[1]) : 0;
    if (range && start >= file.length && file.length > 0) {
      res.writeHead(416, { "Content-Range": `bytes */${file.length}` });
      res.end();
      return;
    }
    const body = file.subarray(start);
    res.writeHead(range ? 206 : 200, {
      "Content-Type": "application/jsonl",
      "Content-Length": String(body.length),
      "Accept-Ranges": "bytes",
      ...(range ? { "Content-Range": `bytes ${start}-${file.length - 1}/${file.length}` } : {}),
    });
    if (req.method === "HEAD") res.end();
    else res.end(body);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator.local");
    const path = url.pathname;
    const method = req.method ?? "GET";
    const graphql = /^\/admin\/api\/([^/]+)\/graphql\.json$/.exec(path);
    if (graphql) {
      if (method !== "POST") return sendJson(res, 405, { errors: "Method Not Allowed" });
      return handleGraphql(req, res, url, graphql[1]!);
    }
    if (path === "/admin/oauth/access_token") {
      if (method !== "POST") return sendJson(res, 405, { errors: "Method Not Allowed" });
      return handleAccessTokenRoute(req, res, url);
    }
    const output = /^\/bulk-operation-outputs\/([0-9a-f]+)-final$/.exec(path);
    if (output && (method === "GET" || method === "HEAD")) return handleBulkOutput(req, res, url, output[1]!);
    const activation = /^\/account\/activate\/(\d+)\/([0-9a-f]+)$/.exec(path);
    if (activation) return handleActivation(req, res, url, Number(activation[1]), activation[2]!);
    if (path.startsWith("/__emulator/") || path === "/__emulator") {
      if (await handleAdminPage(holder.emulator!, req, res, url)) return;
      const body =
        method === "GET" || method === "HEAD"
          ? {}
          : parseBody(await readBody(req), req.headers["content-type"]);
      const result = await handleControl(holder.emulator!, { method, path, url, body, faultRandom });
      return sendJson(res, result.status, result.body);
    }
    if (path.startsWith("/store/")) {
      if (await handleAdminPage(holder.emulator!, req, res, url)) return;
    }
    sendJson(res, 404, { errors: "Not Found" });
  }

  const server: Server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof HttpError) sendJson(res, error.status, { errors: error.message });
      else if (error instanceof ShopError) sendJson(res, error.status, { errors: error.message });
      else
        sendJson(res, 500, {
          errors: `Emulator error: ${error instanceof Error ? error.message : String(error)}`,
        });
    });
  });
  server.keepAliveTimeout = 65_000;
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  const emulator: Emulator = {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    host,
    clock,
    store,
    tokens,
    webhooks,
    engine,
    bulk,
    options,
    createShop: (shopOptions) => shopSummary(store.createShop(shopOptions)),
    shopSummary,
    sessionToken(shop, tokenOptions = {}) {
      const { token, claims } = signSessionToken({
        shop,
        apiKey: options.apiKey,
        secret: options.apiSecret,
        sub: tokenOptions.sub,
        expiresInSeconds: tokenOptions.expiresInSeconds,
        nowMs: wallNow(),
      });
      return { token, expiresAt: new Date(claims.exp * 1000).toISOString() };
    },
    reset() {
      store.reset();
      tokens.clear();
      webhooks.clear();
      bulk.reset();
      faultRandom.clear();
      clock.reset();
    },
    settleWebhooks: () => webhooks.settled(),
    async close() {
      bulk.close();
      webhooks.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      await webhooks.settled();
    },
  };
  holder.emulator = emulator;
  bulk.baseUrl = emulator.url;
  for (const shopOptions of options.shops ?? []) store.createShop(shopOptions);
  return emulator;
}
