import type { z } from "zod";
import { customerGidFromParam } from "~/api/params";
import { JSON_API_BODY_MAX_BYTES } from "~/constants/http";
import { message, type FieldMessages } from "~/i18n/message";
import { english, renderFields } from "~/i18n/translate.server";
import { fieldErrorsFrom } from "~/services/campaigns/campaignInput";
import { ShopifyUnavailable } from "~/services/shopify/adminRequest.server";
import { requireCustomerWrite, StaffPermissionRefused } from "~/services/staff/staffPermissions.server";
import { authenticate } from "~/shopify.server";
import type { AdminGraphql } from "~/types/admin";
import { logger } from "~/utils/logger.server";
import { sessionTokenOf } from "~/utils/sessionToken.server";

// The JSON API's plumbing, shared by every app/routes/api.* route: authentication with the session
// token (Authorization: Bearer, sent by admin UI extensions and App Bridge), CORS on every answer, and
// one error shape: { error: string, fieldErrors?: { [field]: message } }. The API speaks English: its
// messages are the `api.*` and `validation.*` translations rendered in English, beside stable codes.

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

/**
 * An error answer: `error` is an `api.*` key (rendered in English with `values`), `fieldErrors` a map of
 * messages. Every 400 has the same shape: `fieldErrors` is empty when the body as a whole is refused.
 */
export function apiError(
  api: Pick<ApiContext, "cors">,
  status: number,
  error: ApiErrorKey,
  {
    fieldErrors,
    values,
    ...extra
  }: { fieldErrors?: FieldMessages; values?: Record<string, string | number> } & Record<string, unknown> = {},
): Response {
  const t = english();
  const text = t(`api.${error}`, values ?? {});
  const fields = fieldErrors ? renderFields(t, fieldErrors) : status === 400 ? {} : undefined;
  const body = fields ? { error: text, fieldErrors: fields, ...extra } : { error: text, ...extra };
  return api.cors(Response.json(body, { status }));
}

export type ApiErrorKey =
  | "useJson"
  | "unreadable"
  | "tooLarge"
  | "notObject"
  | "notJson"
  | "usePost"
  | "useGet"
  | "invalidFields"
  | "tooManyCustomers"
  | "notCustomerId"
  | "unknownCommand"
  | "campaignNotFound"
  | "commandNotAllowed"
  | "internal"
  | "shopifyBusy"
  | "shopifyUnanswered"
  | "linkExists"
  | "shopifyRefused"
  | "linkExportNotFound"
  | "linkExportKeyTaken"
  | "linkExportStaffOnly"
  | "segmentNotFound"
  | "customerWriteRequired"
  | "permissionsUnavailable"
  | "idempotencyKeyReused";

/** Stable codes beside the English `error` of answers a client acts on (the extensions translate them). */
export const API_ERROR_CODES = {
  customerWriteRequired: "CUSTOMER_WRITE_REQUIRED",
  permissionsUnavailable: "PERMISSIONS_UNAVAILABLE",
  idempotencyKeyReused: "IDEMPOTENCY_KEY_REUSED",
} as const;

/** 400 for a body whose fields are refused: `fieldErrors` names each one. */
export function invalidFields(api: Pick<ApiContext, "cors">, fieldErrors: FieldMessages): Response {
  return apiError(api, 400, "invalidFields", { fieldErrors });
}

/**
 * 422 IDEMPOTENCY_KEY_REUSED (Stripe's rule): a key names one request; the same key with another body
 * is the caller's mistake.
 */
export function idempotencyKeyReused(api: Pick<ApiContext, "cors">): Response {
  return apiError(api, 422, "idempotencyKeyReused", { code: API_ERROR_CODES.idempotencyKeyReused });
}

/** The `:id` of `/api/customers/:id/...` as a customer GID, or the 400 answer to return. */
export function customerIdParam(
  api: Pick<ApiContext, "cors">,
  param: string | undefined,
): { ok: true; customerId: string } | { ok: false; response: Response } {
  const customerId = customerGidFromParam(param);
  if (customerId) return { ok: true, customerId };
  return {
    ok: false,
    response: apiError(api, 400, "notCustomerId", { fieldErrors: { id: message("validation.customerId") } }),
  };
}

/**
 * Routes that send invites or issue activation links call this first: the answer to return when the
 * staff member behind the session token may not (403 CUSTOMER_WRITE_REQUIRED), or when their
 * permissions could not be learned from Shopify (503 PERMISSIONS_UNAVAILABLE); null when they may.
 */
export async function refuseWithoutCustomerWrite(
  api: ApiContext,
  request: Request,
): Promise<Response | null> {
  try {
    await requireCustomerWrite({
      shop: api.shop,
      staffId: api.staffId,
      sessionToken: sessionTokenOf(request),
    });
    return null;
  } catch (error) {
    if (!(error instanceof StaffPermissionRefused)) throw error;
    return apiError(api, error.status, error.refusal, { code: API_ERROR_CODES[error.refusal] });
  }
}

/**
 * The body as text, read chunk by chunk and abandoned (the stream cancelled) as soon as it exceeds
 * `maxBytes`: an oversized or endless body is never held whole.
 */
export async function readBodyText(
  request: Request,
  maxBytes: number,
): Promise<{ ok: true; text: string } | { ok: false; error: "tooLarge" | "unreadable" }> {
  if (!request.body) return { ok: true, text: "" };
  const declared = Number(request.headers.get("Content-Length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await request.body.cancel().catch(() => {});
    return { ok: false, error: "tooLarge" };
  }
  const reader = request.body.getReader();
  const decoder = new TextDecoder("utf-8");
  let received = 0;
  let text = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > maxBytes) {
        await reader.cancel().catch(() => {});
        return { ok: false, error: "tooLarge" };
      }
      text += decoder.decode(value, { stream: true });
    }
    return { ok: true, text: text + decoder.decode() };
  } catch {
    return { ok: false, error: "unreadable" };
  } finally {
    reader.releaseLock();
  }
}

/** A JSON body that is an object; anything else is the caller's error (400), never ours. */
export async function readJsonObject(
  request: Request,
): Promise<{ ok: true; body: Record<string, unknown> } | { ok: false; error: ApiErrorKey }> {
  const type = request.headers.get("Content-Type") ?? "";
  if (type && !type.toLowerCase().includes("application/json")) {
    return { ok: false, error: "useJson" };
  }
  // The production server enforces the same limit while reading (app/server/bodyLimits.server.ts); this
  // one holds wherever a Request reaches the route without that server (tests, `remix vite:dev`).
  const read = await readBodyText(request, JSON_API_BODY_MAX_BYTES);
  if (!read.ok) return { ok: false, error: read.error };
  const text = read.text;
  if (text.trim() === "") return { ok: true, body: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      return { ok: false, error: "notObject" };
    }
    return { ok: true, body: value as Record<string, unknown> };
  } catch {
    return { ok: false, error: "notJson" };
  }
}

/** The start of a POST route's action: the session's context, or the 405 to return for another method. */
export async function authenticatePost(
  request: Request,
): Promise<{ ok: true; api: ApiContext } | { ok: false; response: Response }> {
  const api = await authenticateApi(request);
  if (request.method !== "POST") return { ok: false, response: apiError(api, 405, "usePost") };
  return { ok: true, api };
}

/**
 * The start of a POST route that reads a JSON object (the dry runs): the context and the body, or the
 * answer to return (405 for another method, then 400 for a body that is not a JSON object).
 */
export async function authenticateJsonPost(
  request: Request,
): Promise<{ ok: true; api: ApiContext; body: Record<string, unknown> } | { ok: false; response: Response }> {
  const post = await authenticatePost(request);
  if (!post.ok) return post;
  const body = await readJsonObject(request);
  if (!body.ok) return { ok: false, response: apiError(post.api, 400, body.error) };
  return { ok: true, api: post.api, body: body.body };
}

/**
 * The start of a POST route that sends invites: as authenticatePost, then refuseWithoutCustomerWrite
 * (403 or 503 before the body is read).
 */
export async function authenticateCustomerWrite(
  request: Request,
): Promise<{ ok: true; api: ApiContext } | { ok: false; response: Response }> {
  const post = await authenticatePost(request);
  if (!post.ok) return post;
  const refused = await refuseWithoutCustomerWrite(post.api, request);
  return refused ? { ok: false, response: refused } : post;
}

/**
 * POST /api/customers/:id/... by a staff member who may edit customers: the context, the body validated
 * by `schema` and the customer's GID, or the answer to return (405, 403/503, 400 for the body, then 400
 * for the id).
 */
export async function readCustomerWrite<T>(
  request: Request,
  param: string | undefined,
  schema: z.ZodType<T>,
): Promise<{ ok: true; api: ApiContext; data: T; customerId: string } | { ok: false; response: Response }> {
  const write = await authenticateCustomerWrite(request);
  if (!write.ok) return write;
  const parsed = await parseJsonBody(write.api, request, schema);
  if (!parsed.ok) return parsed;
  const customer = customerIdParam(write.api, param);
  if (!customer.ok) return customer;
  return { ok: true, api: write.api, data: parsed.data, customerId: customer.customerId };
}

/** The loader of a POST-only route: GET (and every other method a loader sees) gets 405. */
export async function methodNotAllowed({ request }: { request: Request }): Promise<Response> {
  const api = await authenticateApi(request);
  return apiError(api, 405, "usePost");
}

/**
 * The action of a GET-only route: without one, Remix answers POST, PUT, DELETE itself (405, no CORS
 * headers, not our error shape), and a cross-origin caller only sees a failed fetch.
 */
export async function getOnly({ request }: { request: Request }): Promise<Response> {
  const api = await authenticateApi(request);
  return apiError(api, 405, "useGet");
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
    if (error instanceof ShopifyUnavailable)
      return apiError(api, 503, error.reason === "busy" ? "shopifyBusy" : "shopifyUnanswered");
    if (error instanceof Response) {
      if (error.status === 401) throw api.cors(error);
      logger.warn({ shop: api.shop, status: error.status }, "Shopify answered an API request with an error");
      return apiError(api, 503, "shopifyUnanswered");
    }
    logger.error({ shop: api.shop, err: error }, "API request failed");
    return apiError(api, 500, "internal");
  }
}

/**
 * The JSON body (an object, else 400) checked by `parse`, a parser that answers the data or the
 * refused fields (400 invalidFields): the data, or the answer to return.
 */
export async function readJsonInput<T>(
  api: Pick<ApiContext, "cors">,
  request: Request,
  parse: (
    body: Record<string, unknown>,
  ) => { success: true; data: T } | { success: false; errors: FieldMessages },
): Promise<{ ok: true; data: T } | { ok: false; response: Response }> {
  const body = await readJsonObject(request);
  if (!body.ok) return { ok: false, response: apiError(api, 400, body.error) };
  const parsed = parse(body.body);
  if (!parsed.success) return { ok: false, response: invalidFields(api, parsed.errors) };
  return { ok: true, data: parsed.data };
}

/** The JSON body, validated by `schema`: the data, or the 400 answer to return. */
export async function parseJsonBody<T>(
  api: Pick<ApiContext, "cors">,
  request: Request,
  schema: z.ZodType<T>,
): Promise<{ ok: true; data: T } | { ok: false; response: Response }> {
  if (request.method !== "POST") return { ok: false, response: apiError(api, 405, "usePost") };
  return readJsonInput(api, request, (body) => {
    const parsed = schema.safeParse(body);
    return parsed.success
      ? { success: true, data: parsed.data }
      : { success: false, errors: fieldErrorsFrom(parsed.error) };
  });
}
