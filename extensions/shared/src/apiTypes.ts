// The JSON API contract the extensions rely on (architecture.md, "The JSON API"). The app's routes
// (app/routes/api.*) answer with these shapes; extensions cannot import from app/, so the values below
// mirror app/constants/invites.ts and must be kept equal to it.

export type CustomerState = "DISABLED" | "INVITED" | "ENABLED" | "DECLINED";
export type CampaignStatus = "queued" | "running" | "paused" | "completed" | "cancelled" | "failed";
export type RecipientStatus = "queued" | "sending" | "sent" | "skipped" | "failed";

export const FINAL_CAMPAIGN_STATUSES: readonly CampaignStatus[] = ["completed", "cancelled", "failed"];

/**
 * Skip and failure reasons the extensions have their own words for (locales: `reasons.*`). The API may
 * add reasons: an unknown one is shown with the server's message.
 */
export const KNOWN_REASONS = [
  "ACCOUNT_ENABLED",
  "DECLINED",
  "NO_EMAIL",
  "INVITED_RECENTLY",
  "NEW_CUSTOMER_ACCOUNTS",
  "NOT_FOUND",
  "SHOPIFY_ERROR",
  "RETRIES_EXHAUSTED",
  "UNCERTAIN",
  "CANCELLED",
] as const;

/** Limits of the email options (app/constants/invites.ts EMAIL_LIMITS); the server checks them again. */
export const EMAIL_LIMITS = { subjectMax: 255, customMessageMax: 5_000 } as const;

/**
 * HTML in an invite's subject or message: a live store refuses the whole invite, so only plain text is
 * sent (the same test as app/services/campaigns/campaignInput.ts containsHtml; the server checks again).
 */
export function containsHtml(text: string): boolean {
  return /<\s*[a-zA-Z/!?]/.test(text);
}
/** The preview route takes at most this many ids per call (app/services/campaignInput.ts). */
export const PREVIEW_CHUNK_SIZE = 250;
/** A selection campaign takes at most this many ids (app/constants/invites.ts MAX_SELECTED_CUSTOMERS). */
export const MAX_SELECTED_CUSTOMERS = 5_000;

/** Every error answer: `{ error, fieldErrors? }`; field keys are paths such as `email.subject`. */
export interface ApiErrorBody {
  error: string;
  fieldErrors?: Record<string, string | string[]>;
}

/** The merchant's optional email customisation (POST /api/campaigns and /api/customers/:id/invite). */
export interface EmailOptions {
  subject?: string;
  customMessage?: string;
}

// POST /api/invites/preview { customerIds } → 200 PreviewResponse
export interface PreviewCustomer {
  customerId: string;
  eligible: boolean;
  /** Set when not eligible. */
  reason?: string;
  /** The server's sentence for the reason, shown for reasons the extension does not know. */
  message?: string;
}
export interface PreviewResponse {
  customers: PreviewCustomer[];
  summary: { eligible: number; skipped: number; byReason: Record<string, number> };
  /** The shop's saved email defaults (settings page), to prefill the dialog. Optional. */
  emailDefaults?: { subject: string | null; customMessage: string | null } | null;
}

// POST /api/segments/preview { segmentId } → the segment, its member count, a sample's eligibility
export interface SegmentPreviewResponse {
  segment: { id: string; name: string };
  /** Members now (segments are evaluated when read). */
  totalCount: number;
  /** Members whose eligibility was decided (the first ≤250). */
  sampled: number;
  more: boolean;
  summary: { eligible: number; skipped: number; byReason: Record<string, number> };
  emailDefaults?: { subject: string | null; customMessage: string | null } | null;
}

// POST /api/campaigns { customerIds | segmentId, email?, idempotencyKey } → 202 (200 when the key was seen) { campaign }
// GET /api/campaigns/:id → 200 { campaign }
export interface CampaignView {
  id: string;
  status: CampaignStatus;
  /** Recipients recorded so far (selection campaigns: every selected customer). */
  total: number;
  counts: Record<RecipientStatus, number>;
  /** Why a campaign failed as a whole, when it did. */
  failureMessage?: string | null;
  /** The latest failed recipients, newest first (a few). */
  recentFailures?: { customerId: string; reason: string; message: string | null }[];
}
export interface CampaignResponse {
  campaign: CampaignView;
}

// GET /api/customers/:id/history → 200 CustomerHistoryResponse (:id is the numeric customer id)
export type HistoryEvent =
  | {
      type: "invite";
      at: string;
      status: RecipientStatus;
      reason?: string | null;
      message?: string | null;
      campaignId?: string | null;
    }
  | { type: "activation_link"; at: string; expiresAt: string; replacedAt?: string | null }
  | { type: "state"; at: string; state: CustomerState; previousState?: CustomerState | null };

export interface CustomerHistoryResponse {
  /** state is null when Shopify could not be asked; the history still shows. */
  customer: { id: string; state: CustomerState | null };
  /** Newest first. */
  events: HistoryEvent[];
}

// POST /api/customers/:id/invite { email? } → 200 { result }
export interface InviteResult {
  status: "sent" | "skipped" | "failed";
  reason?: string | null;
  message?: string | null;
}
export interface InviteResponse {
  result: InviteResult;
}

// POST /api/customers/:id/activation-url { replace? } → 200 ActivationUrlResponse;
// 409 { error, issuedAt?, expiresAt? } when a link was issued in the last 30 days and replace is not true.
export interface ActivationUrlResponse {
  url: string;
  expiresAt: string;
}
export interface RecentLinkConflict {
  error: string;
  issuedAt?: string;
  expiresAt?: string;
}

// POST /api/link-exports { customerIds, replace, idempotencyKey } → 202 (200 for a key seen before) { linkExport }
// GET /api/link-exports/:id → 200 { linkExport }. Never a link: the download is on the app's page.
export type LinkExportStatus = "queued" | "running" | "ready" | "downloaded" | "expired";
/** Most customers one export takes (app/constants/linkExports.ts MAX_LINKS_PER_EXPORT). */
export const MAX_LINKS_PER_EXPORT = 1_000;
export interface LinkExportView {
  id: string;
  status: LinkExportStatus;
  total: number;
  counts: { issued: number; skipped: number; failed: number; pending: number };
  replace: boolean;
  downloadable: boolean;
  /** Until when the links are held (ISO). */
  expiresAt: string;
}
export interface LinkExportResponse {
  linkExport: LinkExportView;
}
