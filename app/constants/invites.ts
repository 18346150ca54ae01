// Values of the invite ledger that cross files (models, services, routes, extensions' API answers).

export const CAMPAIGN_KINDS = ["invite", "activation_link"] as const;
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];

/** How a campaign's customers are found: ids given at creation, a customer search, a saved segment's members. */
export const CAMPAIGN_SOURCES = ["selection", "query", "segment"] as const;
export type CampaignSource = (typeof CAMPAIGN_SOURCES)[number];

/**
 * Where a campaign's invites come from, shown on History beside each invite: a merchant's campaign (and
 * its follow-ups), a single invite, automatic invites of new customers, reminders, a Shopify Flow action,
 * a customer segment.
 */
export const CAMPAIGN_ORIGINS = ["campaign", "single", "automatic", "reminder", "flow", "segment"] as const;
export type CampaignOrigin = (typeof CAMPAIGN_ORIGINS)[number];

export const CAMPAIGN_STATUSES = ["queued", "running", "paused", "completed", "cancelled", "failed"] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
/** Campaigns the worker still has to drive. */
export const RUNNABLE_CAMPAIGN_STATUSES = ["queued", "running"] as const satisfies readonly CampaignStatus[];

export const RECIPIENT_STATUSES = ["queued", "sending", "sent", "skipped", "failed"] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

/** Customer.state in the Admin API. */
export const CUSTOMER_STATES = ["DISABLED", "INVITED", "ENABLED", "DECLINED"] as const;
export type CustomerState = (typeof CUSTOMER_STATES)[number];

/** Why a customer is skipped before sending (eligibility). */
export const SKIP_REASONS = [
  "ACCOUNT_ENABLED",
  "DECLINED",
  "NO_EMAIL",
  "INVITED_RECENTLY",
  "NEW_CUSTOMER_ACCOUNTS",
  "NOT_FOUND",
  /** Automatic invites only: the customer is INVITED already, or the app invited them before. */
  "ALREADY_INVITED",
  /** Automatic invites only: the customer has none of the tags the merchant requires. */
  "MISSING_TAGS",
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** Why a recipient ended without a send, or failed. */
export const OUTCOME_REASONS = [
  ...SKIP_REASONS,
  /** Shopify answered the mutation with userErrors (all messages are kept). */
  "SHOPIFY_ERROR",
  /** Retries exhausted on 5xx, timeouts or network errors, and Shopify confirmed nothing went out. */
  "RETRIES_EXHAUSTED",
  /** The app stopped (or the request failed) mid-send and the customer's state cannot tell. */
  "UNCERTAIN",
  /** The campaign was cancelled before this recipient was sent. */
  "CANCELLED",
  /** Shopify refused the request before running it (access revoked, store frozen or locked). */
  "REFUSED",
  /** UNCERTAIN, and the merchant chose to send it again (in a new campaign). */
  "RESEND_REQUESTED",
] as const;
export type OutcomeReason = (typeof OUTCOME_REASONS)[number];

/**
 * A reason's parameters, stored beside its code (`reasonParams`, JSON) and filled into its words when
 * read: `{ hours }` for INVITED_RECENTLY, `{ shopifyMessage }` (Shopify's own text) for SHOPIFY_ERROR.
 */
export type ReasonParams = Record<string, string | number>;

/**
 * Most customer ids one selection campaign may carry. Shopify documents no cap for the admin's
 * selection; 5,000 covers "select all" on many pages while keeping the request
 * that records the campaign (one row per customer) well under a second. Bigger audiences use a query.
 */
export const MAX_SELECTED_CUSTOMERS = 5_000;
/**
 * Query campaigns whose audience is at least this large read their targets with a Shopify bulk query
 * instead of search pages (decision 010). Page reads cost 24 points per 250 customers (about 1 % of
 * the invites' points) but deliver the first customers at once; a bulk query costs ~12 points whatever
 * the size, and its wait (about 1 s + 1 s per 3,000 customers in the emulator's model) is absorbed by
 * the bucket refilling meanwhile (a full bucket is 20 s of restore on every plan). At 10,000 the pages
 * would cost 960 points and the bulk query's wait is ~4 s.
 */
export const BULK_READ_THRESHOLD = 10_000;
/** Bulk operation statuses that still occupy one of the shop's slots at Shopify. */
export const LIVE_BULK_STATUSES = ["CREATED", "RUNNING", "CANCELING"] as const;
/** Statuses of an operation that is still reading, so a cancelled campaign's worker cancels it. */
export const CANCELLABLE_BULK_STATUSES = ["CREATED", "RUNNING"] as const;
/** Bulk queries started for one campaign before it fails (BULK_READ_FAILED). */
export const MAX_BULK_RUNS = 3;
/** Shopify's page size limit for connections and `nodes(ids:)`. */
export const SHOPIFY_PAGE_SIZE = 250;
/** The mutation's cost in points, as observed on live stores; the pacer still reads real costs. */
export const INVITE_MUTATION_COST = 10;
/** Shopify refuses requests whose requested cost exceeds this. */
export const MAX_REQUEST_COST = 1_000;

export const DEFAULT_REINVITE_WINDOW_HOURS = 24;

/**
 * How a sent invite ends: the customer activated the account (customers/enable, or seen ENABLED), declined
 * it (seen DECLINED), or the invite expired (30 days, or superseded by a newer invite or activation link).
 */
export const INVITE_OUTCOMES = ["activated", "declined", "expired"] as const;
export type InviteOutcome = (typeof INVITE_OUTCOMES)[number];
/** Why an invite expired. */
export const EXPIRY_REASONS = ["EXPIRED", "SUPERSEDED", "CUSTOMER_GONE"] as const;
export type ExpiryReason = (typeof EXPIRY_REASONS)[number];
/** An invite email's link stays valid this long (Shopify's help centre). */
export const INVITE_LIFETIME_DAYS = 30;
/**
 * Open invites are read again at least this often (a customer's state, 1 point per 250): webhooks can be
 * lost (Shopify gives up after 8 retries over 4 hours), the reconciliation catches what they missed.
 */
export const RECONCILE_INTERVAL_HOURS = 12;

/** The merchant's choices for automatic invites and reminders, checked before they are saved. */
export const AUTOMATION_LIMITS = {
  /** Delay after a customer's creation: 1 minute to 30 days. */
  delayMinutesMin: 1,
  delayMinutesMax: 30 * 24 * 60,
  /** Reminders: each one before the previous invite expires (30 days). */
  reminderAfterDaysMin: 1,
  reminderAfterDaysMax: INVITE_LIFETIME_DAYS - 1,
  reminderMaxMin: 1,
  reminderMaxMax: 5,
  tagsMax: 10,
  tagLengthMax: 255,
} as const;
/** Activation links stay valid this long (Shopify docs); a newer link invalidates the previous one. */
export const ACTIVATION_LINK_LIFETIME_DAYS = 30;

/** Limits on the email options, checked before a campaign is accepted. */
export const EMAIL_LIMITS = {
  subjectMax: 255,
  customMessageMax: 5_000,
  bccMax: 5,
} as const;
