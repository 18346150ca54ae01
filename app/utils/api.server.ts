import type { z } from "zod";
import { ShopifyUnavailable } from "~/services/adminRequest.server";
import { customerIdSchema, fieldErrorsFrom } from "~/services/campaignInput";
import { authenticate } from "~/shopify.server";
import type { AdminGraphql } from "~/types/admin";
import { logger } from "~/utils/logger.server";

// The JSON API's plumbing, shared by every app/routes/api.* route: authentication with the session
// token (Authorization: Bearer, sent by admin UI extensions and App Bridge), CORS on every answer, and
// one error shape: { error: string, fieldErrors?: { [field]: message } }.

export interface ApiContext {
  graphql: AdminGraphql;
  /** The session's shop: every query is scoped by it. */
  shop: string;
  /** The staff member (session token `sub`), recorded as who asked. */
  staffId: string | null;
  cors: (response: Response) => Response;
}

/** Answers OPTIONS preflights and refuses bad tokens itself (it throws those responses). */
export async function authenticateApi(request: Request): Promise<ApiContext> {
  const { admin, session, cors, sessionToken } = await authenticate.admin(request);
  return {
    graphql: admin.graphql,
    shop: session.shop,
    staffId: sessionToken?.sub ? String(sessionToken.sub) : null,
    cors,
  };
}

export function apiJson(api: Pick<ApiContext, "cors">, body: unknown, status = 200): Response {
  return api.cors(Response.json(body, { status }));
}

export function apiError(
  api: Pick<ApiContext, "cors">,
  status: number,
  error: string,
  extra: { fieldErrors?: Record<string, string> } & Record<string, unknown> = {},
): Response {
  // Every 400 has the same shape: `fieldErrors` is empty when the body as a whole is refused.
  const body = status === 400 ? { error, fieldErrors: {}, ...extra } : { error, ...extra };
  return api.cors(Response.json(body, { status }));
}

/** A JSON body that is an object; anything else is the caller's error (400), never ours. */
export async function readJsonObject(
  request: Request,
): Promise<{ ok: true; body: Record<string, unknown> } | { ok: false; error: string }> {
  const type = request.headers.get("Content-Type") ?? "";
  if (type && !type.toLowerCase().includes("application/json")) {
    return { ok: false, error: "Send the request body as JSON (Content-Type: application/json)." };
  }
  let text: string;
  try {
    text = await request.text();
  } catch {
    return { ok: false, error: "The request body could not be read." };
  }
  if (text.length > 1_000_000) return { ok: false, error: "The request body is too large." };
  if (text.trim() === "") return { ok: true, body: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      return { ok: false, error: "The request body must be a JSON object." };
    }
    return { ok: true, body: value as Record<string, unknown> };
  } catch {
    return { ok: false, error: "The request body is not valid JSON." };
  }
}

/** The loader of a POST-only route: GET (and every other method a loader sees) gets 405. */
export async function methodNotAllowed({ request }: { request: Request }): Promise<Response> {
  const api = await authenticateApi(request);
  return apiError(api, 405, "Use POST.");
}

/**
 * The action of a GET-only route: without one, Remix answers POST, PUT, DELETE itself (405, no CORS
 * headers, not our error shape), and a cross-origin caller only sees a failed fetch.
 */
export async function getOnly({ request }: { request: Request }): Promise<Response> {
  const api = await authenticateApi(request);
  return apiError(api, 405, "Use GET.");
}

/**
 * The part of a route that asks Shopify. `admin.graphql` throws a bare Response when Shopify answers
 * an HTTP error (its body, its status, no CORS headers: a cross-origin caller would only see a failed
 * fetch), and anything unexpected would reach Remix's last-resort 500 (text, no CORS). Here a 401 (the
 * library found the offline token revoked) keeps the library's answer with CORS added; any other
 * failure is the API's JSON error, with its reason and no internals.
 */
export async function withShopifyErrors(
  api: Pick<ApiContext, "cors" | "shop">,
  run: () => Promise<Response>,
): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ShopifyUnavailable) return apiError(api, 503, error.message);
    if (error instanceof Response) {
      if (error.status === 401) throw api.cors(error);
      logger.warn({ shop: api.shop, status: error.status }, "Shopify answered an API request with an error");
      return apiError(api, 503, "Shopify did not answer; try again in a moment.");
    }
    logger.error({ shop: api.shop, err: error }, "API request failed");
    return apiError(api, 500, "Something went wrong in Account Invites; try again in a moment.");
  }
}

/** The JSON body, validated by `schema`: the data, or the 400 answer to return. */
export async function parseJsonBody<T>(
  api: Pick<ApiContext, "cors">,
  request: Request,
  schema: z.ZodType<T>,
): Promise<{ ok: true; data: T } | { ok: false; response: Response }> {
  if (request.method !== "POST") return { ok: false, response: apiError(api, 405, "Use POST.") };
  const body = await readJsonObject(request);
  if (!body.ok) return { ok: false, response: apiError(api, 400, body.error) };
  const parsed = schema.safeParse(body.body);
  if (!parsed.success) {
    return {
      ok: false,
      response: apiError(api, 400, "Some fields are not valid.", {
        fieldErrors: fieldErrorsFrom(parsed.error),
      }),
    };
  }
  return { ok: true, data: parsed.data };
}

/**
 * `/api/customers/:id/...` takes Shopify's numeric id (or a whole GID, URL-encoded). Remix decodes the
 * path but keeps `%2F` inside a segment, so the GID's slashes are decoded here; a `%` that is not an
 * escape (Remix passes a malformed segment through as is) is not an id.
 */
export function customerGidFromParam(param: string | undefined): string | null {
  if (!param) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(param);
  } catch {
    return null;
  }
  const gid = decoded.startsWith("gid://shopify/Customer/") ? decoded : `gid://shopify/Customer/${decoded}`;
  return customerIdSchema.safeParse(gid).success ? gid : null;
}

/** Campaign ids are cuids: anything else cannot name a campaign. */
export function campaignIdFromParam(param: string | undefined): string | null {
  return param && /^[a-z0-9]{10,40}$/.test(param) ? param : null;
}
