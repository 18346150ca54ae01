// Values of activation-link exports that cross files (models, services, routes, the extension's API
// answers). README "Activation link exports"; docs/decisions/011-activation-link-exports.md.

export const LINK_EXPORT_STATUSES = ["queued", "running", "ready", "downloaded", "expired"] as const;
export type LinkExportStatus = (typeof LINK_EXPORT_STATUSES)[number];
/** Exports the worker still has to issue links for. */
export const RUNNABLE_LINK_EXPORT_STATUSES = [
  "queued",
  "running",
] as const satisfies readonly LinkExportStatus[];
/** Exports whose sealed links may still be in the database (deleted at download or expiry). */
export const HOLDING_LINK_EXPORT_STATUSES = [
  "queued",
  "running",
  "ready",
] as const satisfies readonly LinkExportStatus[];

export const LINK_EXPORT_SOURCES = ["selection", "query"] as const;
export type LinkExportSource = (typeof LINK_EXPORT_SOURCES)[number];

export const LINK_ITEM_STATUSES = ["queued", "issuing", "issued", "skipped", "failed"] as const;
export type LinkItemStatus = (typeof LINK_ITEM_STATUSES)[number];

/** Why an item ended without a link (translated as `links.reasons.<code>`). */
export const LINK_ITEM_REASONS = [
  /** A link issued in the last 30 days is still valid, and "replace" was not chosen. */
  "LINK_EXISTS",
  /** Shopify answered with userErrors (its messages are kept as `shopifyMessage`). */
  "SHOPIFY_ERROR",
  /** No answer after every attempt. */
  "RETRIES_EXHAUSTED",
  /** Shopify refused the shop's requests (access revoked, store frozen or locked). */
  "REFUSED",
  /** The export's hour ran out before this customer's turn. */
  "EXPIRED",
] as const;
export type LinkItemReason = (typeof LINK_ITEM_REASONS)[number];

/**
 * Most customers one export covers, typed, selected or found by a search (the first this many matches).
 * At 10 points a link, 1,000 links take about 80 s on a Standard plan (2,000-point bucket, 100 points/s).
 */
export const MAX_LINKS_PER_EXPORT = 1_000;
/** How long an export may hold its links: nothing is issued, and every link is deleted, after this. */
export const LINK_EXPORT_HOLD_MS = 60 * 60_000;
/** customerGenerateAccountActivationUrl's cost in points as observed; the issuer reads real costs. */
export const LINK_MUTATION_COST = 10;
