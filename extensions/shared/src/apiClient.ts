import type {
  ActivationUrlResponse,
  CampaignResponse,
  CustomerHistoryResponse,
  EmailOptions,
  InviteResponse,
  LinkExportResponse,
  PreviewResponse,
  SegmentPreviewResponse,
} from "./apiTypes";
import { PREVIEW_CHUNK_SIZE } from "./apiTypes";

// The one way extensions talk to the app's backend. Relative URLs resolve against the app's
// application_url and Shopify adds `Authorization: Bearer <session token>` to them, so nothing here
// handles tokens. Answers are never logged: an activation URL is a credential.

/** Why a call did not give the expected answer, sorted by what the merchant can do about it. */
export type ApiFailure =
  /** fetch threw: offline, DNS, CORS, the app is down. */
  | { kind: "network" }
  /** 401: the session token was refused (expired session, app uninstalled). */
  | { kind: "unauthorized"; status: number; message: string | null }
  /** 400/422: the input was refused; field errors are keyed by path (`email.subject`). */
  | { kind: "invalid"; status: number; message: string | null; fieldErrors: Record<string, string> }
  | { kind: "notFound"; status: number; message: string | null }
  | { kind: "conflict"; status: number; message: string | null; body: Record<string, unknown> }
  /** 403: this staff member may not send invites or get activation links (customer permissions). */
  | { kind: "forbidden"; status: number; message: string | null }
  /** 422 IDEMPOTENCY_KEY_REUSED: this dialog already sent something else; nothing new was sent. */
  | { kind: "keyReused"; status: number; message: string | null }
  /** 5xx, any other status, or a 2xx that is not the JSON we expect. */
  | { kind: "server"; status: number; message: string | null };

export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; error: ApiFailure };

type Guard<T> = (body: unknown) => body is T;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fieldErrorsFrom(value: unknown): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!isRecord(value)) return errors;
  for (const [key, message] of Object.entries(value)) {
    if (typeof message === "string") errors[key] = message;
    else if (Array.isArray(message) && typeof message[0] === "string") errors[key] = message[0];
  }
  return errors;
}

function failureFor(status: number, body: unknown): ApiFailure {
  const record = isRecord(body) ? body : {};
  const message = typeof record.error === "string" && record.error.trim() ? record.error : null;
  if (status === 401) return { kind: "unauthorized", status, message };
  if (status === 403) return { kind: "forbidden", status, message };
  if (status === 422 && record.code === "IDEMPOTENCY_KEY_REUSED")
    return { kind: "keyReused", status, message };
  if (status === 400 || status === 422) {
    return { kind: "invalid", status, message, fieldErrors: fieldErrorsFrom(record.fieldErrors) };
  }
  if (status === 404) return { kind: "notFound", status, message };
  if (status === 409) return { kind: "conflict", status, message, body: record };
  return { kind: "server", status, message };
}

async function send(path: string, init: { method?: "GET" | "POST"; body?: unknown }) {
  return fetch(path, {
    method: init.method ?? "GET",
    headers:
      init.body === undefined
        ? { Accept: "application/json" }
        : { Accept: "application/json", "Content-Type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

export async function callApi<T>(
  path: string,
  guard: Guard<T>,
  init: { method?: "GET" | "POST"; body?: unknown } = {},
): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await send(path, init);
    // A 401 means the request was refused before it ran (the library authenticates first). When the
    // app's offline token was revoked, the library has already exchanged a new one by then, and the next
    // request succeeds: one retry, with a fresh session token, before telling the merchant.
    if (response.status === 401) response = await send(path, init);
  } catch {
    return { ok: false, error: { kind: "network" } };
  }
  let body: unknown = null;
  try {
    const text = await response.text();
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) return { ok: false, error: failureFor(response.status, body) };
  if (!guard(body)) return { ok: false, error: { kind: "server", status: response.status, message: null } };
  return { ok: true, status: response.status, data: body };
}

/** `gid://shopify/Customer/123` → `123`, the id the customer routes take in their path. */
export function customerPathId(gid: string): string {
  const match = /^gid:\/\/shopify\/Customer\/(\d+)$/.exec(gid);
  return match?.[1] ?? encodeURIComponent(gid);
}

const isPreview: Guard<PreviewResponse> = (body): body is PreviewResponse =>
  isRecord(body) && Array.isArray(body.customers) && isRecord(body.summary);
const isSegmentPreview: Guard<SegmentPreviewResponse> = (body): body is SegmentPreviewResponse =>
  isRecord(body) && isRecord(body.segment) && typeof body.totalCount === "number" && isRecord(body.summary);
const isCampaign: Guard<CampaignResponse> = (body): body is CampaignResponse =>
  isRecord(body) &&
  isRecord(body.campaign) &&
  typeof body.campaign.id === "string" &&
  isRecord(body.campaign.counts);
const isHistory: Guard<CustomerHistoryResponse> = (body): body is CustomerHistoryResponse =>
  isRecord(body) && isRecord(body.customer) && Array.isArray(body.events);
const isInvite: Guard<InviteResponse> = (body): body is InviteResponse =>
  isRecord(body) && isRecord(body.result) && typeof body.result.status === "string";
const isActivationUrl: Guard<ActivationUrlResponse> = (body): body is ActivationUrlResponse =>
  isRecord(body) && typeof body.url === "string" && typeof body.expiresAt === "string";

const isLinkExport: Guard<LinkExportResponse> = (body): body is LinkExportResponse =>
  isRecord(body) &&
  isRecord(body.linkExport) &&
  typeof body.linkExport.id === "string" &&
  typeof body.linkExport.status === "string" &&
  isRecord(body.linkExport.counts);

export const api = {
  previewInvites: (customerIds: string[]) =>
    callApi("/api/invites/preview", isPreview, { method: "POST", body: { customerIds } }),
  createCampaign: (input: { customerIds: string[]; email?: EmailOptions; idempotencyKey: string }) =>
    callApi("/api/campaigns", isCampaign, { method: "POST", body: input }),
  previewSegment: (segmentId: string) =>
    callApi("/api/segments/preview", isSegmentPreview, { method: "POST", body: { segmentId } }),
  /** A campaign over the segment's members when it runs; `idempotencyKey`: one per dialog. */
  inviteSegment: (input: { segmentId: string; email?: EmailOptions; idempotencyKey: string }) =>
    callApi("/api/campaigns", isCampaign, { method: "POST", body: input }),
  getCampaign: (id: string) => callApi(`/api/campaigns/${encodeURIComponent(id)}`, isCampaign),
  getCustomerHistory: (customerGid: string) =>
    callApi(`/api/customers/${customerPathId(customerGid)}/history`, isHistory),
  /** `idempotencyKey`: one per dialog, so a retried request never sends a second email. */
  sendInvite: (customerGid: string, email: EmailOptions | undefined, idempotencyKey: string) =>
    callApi(`/api/customers/${customerPathId(customerGid)}/invite`, isInvite, {
      method: "POST",
      body: email ? { email, idempotencyKey } : { idempotencyKey },
    }),
  /** `idempotencyKey`: one per dialog, so a retried request records one export. */
  createLinkExport: (input: { customerIds: string[]; replace: boolean; idempotencyKey: string }) =>
    callApi("/api/link-exports", isLinkExport, { method: "POST", body: input }),
  getLinkExport: (id: string) => callApi(`/api/link-exports/${encodeURIComponent(id)}`, isLinkExport),
  createActivationUrl: (customerGid: string, replace: boolean) =>
    callApi(`/api/customers/${customerPathId(customerGid)}/activation-url`, isActivationUrl, {
      method: "POST",
      body: replace ? { replace: true } : {},
    }),
};

/**
 * The dry run for a whole selection: the route previews at most PREVIEW_CHUNK_SIZE customers per call,
 * so bigger selections are previewed chunk by chunk (one at a time, to stay gentle on the shop's
 * rate limit) and the answers are added up.
 */
export async function previewSelection(customerIds: string[]): Promise<ApiResult<PreviewResponse>> {
  const merged: PreviewResponse = { customers: [], summary: { eligible: 0, skipped: 0, byReason: {} } };
  let status = 200;
  for (let start = 0; start < customerIds.length; start += PREVIEW_CHUNK_SIZE) {
    const result = await api.previewInvites(customerIds.slice(start, start + PREVIEW_CHUNK_SIZE));
    if (!result.ok) return result;
    status = result.status;
    const { customers, summary, emailDefaults } = result.data;
    merged.customers.push(...customers);
    merged.summary.eligible += summary.eligible;
    merged.summary.skipped += summary.skipped;
    for (const [reason, count] of Object.entries(summary.byReason)) {
      merged.summary.byReason[reason] = (merged.summary.byReason[reason] ?? 0) + count;
    }
    if (emailDefaults !== undefined) merged.emailDefaults = emailDefaults;
  }
  return { ok: true, status, data: merged };
}

/** A random key for one send; `crypto.randomUUID` exists in Shopify's extension sandbox (a secure context). */
export function newIdempotencyKey(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}
