import { z } from "zod";
import { authenticate } from "~/shopify.server";
import type { AdminGraphql } from "~/types/admin";

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
  return api.cors(Response.json({ error, ...extra }, { status }));
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

const numericId = z.string().regex(/^[1-9]\d{0,19}$/);

/** `/api/customers/:id/...` takes Shopify's numeric id (or a whole GID, URL-encoded). */
export function customerGidFromParam(param: string | undefined): string | null {
  if (!param) return null;
  const decoded = decodeURIComponent(param);
  const numeric = decoded.startsWith("gid://shopify/Customer/")
    ? decoded.slice("gid://shopify/Customer/".length)
    : decoded;
  return numericId.safeParse(numeric).success ? `gid://shopify/Customer/${numeric}` : null;
}

/** Campaign ids are cuids: anything else cannot name a campaign. */
export function campaignIdFromParam(param: string | undefined): string | null {
  return param && /^[a-z0-9]{10,40}$/.test(param) ? param : null;
}
