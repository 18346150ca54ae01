import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "~/utils/logger.server";
import { REDACTED, SECRET_QUERY_PARAMS, isSecretKey, redactString } from "~/utils/redact";

// One log line per request: method, path, query, status, duration, response size, a few headers. Never
// a body. Embedded pages load with `id_token` (a session token), `hmac`, `session` and `timestamp` in
// the URL, and App Bridge's fetches carry `Authorization: Bearer <session token>`; OAuth callbacks carry
// `code` and `state`. Those values are replaced here, before the logger's own walker sees them.
// Kept: `shop`, `host` (the base64 of admin.shopify.com/store/<handle>: public, and what ties a request
// to a shop's admin), `embedded`, `locale` and the app's own filters.

/** Headers worth a log line (values scrubbed); anything else is left out. */
const LOGGED_HEADERS = [
  "user-agent",
  "referer",
  "content-type",
  "content-length",
  "x-forwarded-for",
  "x-request-id",
  "x-shopify-shop-domain",
  "x-shopify-topic",
  "x-shopify-webhook-id",
  "x-shopify-event-id",
  "x-shopify-api-version",
];

/** Headers that are credentials: their presence is logged, never their value. */
const SECRET_HEADERS = [
  "authorization",
  "proxy-authorization",
  "cookie",
  "x-shopify-hmac-sha256",
  "x-shopify-access-token",
];

const secretParams = new Set(SECRET_QUERY_PARAMS);

/** The query string as an object, credentials replaced (a repeated parameter becomes a list). */
export function redactedQuery(search: string): Record<string, string | string[]> | undefined {
  const params = new URLSearchParams(search);
  const out: Record<string, string | string[]> = {};
  let any = false;
  for (const [key, value] of params) {
    any = true;
    const safe = secretParams.has(key.toLowerCase()) || isSecretKey(key) ? REDACTED : redactString(value);
    const previous = out[key];
    out[key] = previous === undefined ? safe : [...(Array.isArray(previous) ? previous : [previous]), safe];
  }
  return any ? out : undefined;
}

/** The request headers worth logging, credentials reduced to "[redacted]". */
export function redactedHeaders(headers: IncomingMessage["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of LOGGED_HEADERS) {
    const value = headers[name];
    if (value !== undefined) out[name] = redactString(Array.isArray(value) ? value.join(", ") : value);
  }
  for (const name of SECRET_HEADERS) if (headers[name] !== undefined) out[name] = REDACTED;
  return out;
}

/**
 * Logs the request once its answer is sent (or the client went away). `/healthz` answers are logged
 * at debug level: a load balancer polls it every few seconds.
 */
export function logRequest(logger: Logger, request: IncomingMessage, response: ServerResponse): void {
  const started = process.hrtime.bigint();
  // Read now: Express rewrites `request.url` inside mounted middleware (the static files under /assets).
  const rawUrl = request.url ?? "/";
  let logged = false;
  const done = () => {
    if (logged) return;
    logged = true;
    const url = rawUrl.startsWith("/")
      ? new URL(`http://localhost${rawUrl}`)
      : new URL(rawUrl, "http://localhost");
    const status = response.statusCode;
    const line = {
      method: request.method,
      path: redactString(url.pathname),
      query: redactedQuery(url.search),
      status,
      durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
      bytes: Number(response.getHeader("content-length")) || undefined,
      aborted: response.writableFinished ? undefined : true,
      headers: redactedHeaders(request.headers),
    };
    if (url.pathname === "/healthz" && status === 200) logger.debug(line, "request");
    else if (status >= 500) logger.error(line, "request");
    else logger.info(line, "request");
  };
  response.once("finish", done);
  response.once("close", done);
}
