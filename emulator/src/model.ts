// The emulator's data model. Customers are plain objects in an array ordered by id (ids only grow), plus
// a Map for lookups: 100,000 of them take a few tens of MB and seed in well under a second.
import type { LeakyBucket, BucketLimits } from "./bucket";

export type CustomerState = "DISABLED" | "INVITED" | "ENABLED" | "DECLINED";
export const CUSTOMER_STATES: readonly CustomerState[] = ["DISABLED", "INVITED", "ENABLED", "DECLINED"];
export type CustomerAccountsVersion = "CLASSIC" | "NEW_CUSTOMER_ACCOUNTS";

/** A customer address (`MailingAddress`); the first one is the default address. */
export interface CustomerAddress {
  id: number;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  provinceCode: string | null;
  country: string | null;
  /** ISO 3166-1 alpha-2. */
  countryCode: string | null;
  zip: string | null;
  phone: string | null;
}

export interface Customer {
  id: number;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  state: CustomerState;
  tags: string[];
  note: string | null;
  verifiedEmail: boolean;
  numberOfOrders: number;
  locale: string;
  createdAt: number;
  updatedAt: number;
  /** Subscribed to email marketing (`accepts_marketing:`, `emailMarketingConsent`). */
  acceptsMarketing: boolean;
  /** Total spent in the shop's currency (`total_spent:`, `amountSpent`). */
  amountSpent: number;
  /** When the customer's orders were placed (`order_date:`); the emulator has no orders otherwise. */
  orderDates: number[];
  /** The customer's most recent abandoned checkout (`last_abandoned_order_date:`), or null. */
  lastAbandonedOrderAt: number | null;
  /** Addresses, the default one first (`country:`, `defaultAddress`, `addresses`). */
  addresses: CustomerAddress[];
  deleted?: boolean;
}

export type StaffAccountType =
  | "REGULAR"
  | "RESTRICTED"
  | "INVITED"
  | "REQUESTED"
  | "COLLABORATOR"
  | "COLLABORATOR_TEAM_MEMBER"
  | "SAML"
  | "INVITED_STORE_OWNER";
export const STAFF_ACCOUNT_TYPES: readonly StaffAccountType[] = [
  "REGULAR",
  "RESTRICTED",
  "INVITED",
  "REQUESTED",
  "COLLABORATOR",
  "COLLABORATOR_TEAM_MEMBER",
  "SAML",
  "INVITED_STORE_OWNER",
];

/** A staff member of the shop (`StaffMember`): the owner, whose email is the shop's, and the others. */
export interface StaffMember {
  id: number;
  email: string;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  locale: string;
  accountType: StaffAccountType;
  active: boolean;
  isShopOwner: boolean;
  /**
   * What the staff member's admin permissions allow, as the access scopes an online token of theirs is
   * narrowed to (`associated_user_scope`): null for full permissions (the owner, and the default).
   * `write_x` implies `read_x`. Not part of the Admin API (`StaffMember` has no such field).
   */
  permissions: string[] | null;
}

/** Protected customer data fields (Shopify's "Level 2" fields), as the schema marks them (`protectedContent`). */
export type ProtectedContent = "name" | "email" | "phone" | "address";
export const PROTECTED_CONTENTS: readonly ProtectedContent[] = ["name", "email", "phone", "address"];

/**
 * What the shop granted the app: Level 1 = customer data without the protected fields; Level 2 = with
 * the listed protected fields (all four by default).
 */
export interface CustomerDataAccess {
  level: 1 | 2;
  fields: ProtectedContent[];
}

export type PlanName = "standard" | "basic" | "development" | "advanced" | "plus" | "enterprise" | "custom";

export interface PlanPreset extends BucketLimits {
  displayName: string;
  shopifyPlus: boolean;
  partnerDevelopment: boolean;
}

/**
 * Restore rates are Shopify's documented ones; bucket sizes are the ones seen in real responses
 * (2,000 / 4,000 / 20,000). The enterprise bucket (40,000) is a guess: 20 × the restore rate like the others.
 */
export const PLAN_PRESETS: Record<Exclude<PlanName, "custom">, PlanPreset> = {
  standard: {
    maximumAvailable: 2000,
    restoreRate: 100,
    displayName: "Shopify",
    shopifyPlus: false,
    partnerDevelopment: false,
  },
  basic: {
    maximumAvailable: 2000,
    restoreRate: 100,
    displayName: "Basic",
    shopifyPlus: false,
    partnerDevelopment: false,
  },
  development: {
    maximumAvailable: 2000,
    restoreRate: 100,
    displayName: "Development",
    shopifyPlus: false,
    partnerDevelopment: true,
  },
  advanced: {
    maximumAvailable: 4000,
    restoreRate: 200,
    displayName: "Advanced",
    shopifyPlus: false,
    partnerDevelopment: false,
  },
  plus: {
    maximumAvailable: 20000,
    restoreRate: 1000,
    displayName: "Plus",
    shopifyPlus: true,
    partnerDevelopment: false,
  },
  enterprise: {
    maximumAvailable: 40000,
    restoreRate: 2000,
    displayName: "Commerce Components",
    shopifyPlus: true,
    partnerDevelopment: false,
  },
};

export interface ShopStats {
  requests: number;
  graphqlRequests: number;
  throttled: number;
  maxCostExceeded: number;
  pointsRequested: number;
  pointsSpent: number;
  mutations: number;
  /** Pre-execution faults (the request did not run). */
  faults5xx: number;
  faultTimeouts: number;
  /** Lost-answer faults (the request ran, then its answer was lost): see `Faults.lostAfter*`. */
  lostAfter502: number;
  lostAfter504: number;
  lostAfterReset: number;
  lostAfterDelay: number;
  /** Delayed answers whose client closed the connection before the delay was over. */
  lostAfterDelayAbandoned: number;
  tokenExchanges: number;
  /** Of the token exchanges, those that asked for an online (staff member's) token. */
  onlineTokenExchanges: number;
  tokenRefreshes: number;
  unauthorized: number;
}

export const emptyStats = (): ShopStats => ({
  requests: 0,
  graphqlRequests: 0,
  throttled: 0,
  maxCostExceeded: 0,
  pointsRequested: 0,
  pointsSpent: 0,
  mutations: 0,
  faults5xx: 0,
  faultTimeouts: 0,
  lostAfter502: 0,
  lostAfter504: 0,
  lostAfterReset: 0,
  lostAfterDelay: 0,
  lostAfterDelayAbandoned: 0,
  tokenExchanges: 0,
  onlineTokenExchanges: 0,
  tokenRefreshes: 0,
  unauthorized: 0,
});

export interface Faults {
  // Pre-execution faults: the request does NOT run (nothing changes, nothing is charged).
  /** Share (0..1) of Admin GraphQL requests answered with an HTTP 5xx. */
  errorRate: number;
  errorStatus: number;
  /** Share (0..1) of Admin GraphQL requests that hang, then get dropped (or answered 504). */
  timeoutRate: number;
  timeoutMs: number;
  timeoutMode: "drop" | "504";
  /** The next N Admin GraphQL requests are THROTTLED whatever the bucket holds. */
  throttleBurst: number;
  /** Added to every Admin GraphQL request before it starts (the bucket is charged after it). */
  latencyMs: number;
  /**
   * Execution time of a request that runs: its requested cost is taken when it starts, it executes
   * after `executionMs + executionMsPerMutation × top-level mutation fields`, then is refunded and
   * answered with the bucket as it is then (how Shopify charges a request that takes time).
   */
  executionMs: number;
  executionMsPerMutation: number;
  /** The next N token exchanges (`POST /admin/oauth/access_token`) are answered HTTP 503. */
  tokenExchangeFailures: number;
  // Lost-answer faults: the request RUNS in full (mutations take effect, the outbox records emails, the
  // bucket is charged), then its answer is lost. One draw per eligible request picks at most one of them:
  // 502 if r < lostAfter502Rate, else 504 if r < 502 + 504 rates, and so on (the rates sum to ≤ 1).
  /** Share answered HTTP 502 with an HTML gateway page instead of the result. */
  lostAfter502Rate: number;
  /** Share answered HTTP 504 with an HTML gateway page instead of the result. */
  lostAfter504Rate: number;
  /** Share whose connection is destroyed without any answer. */
  lostAfterResetRate: number;
  /** Share whose (real) answer is held `lostAfterDelayMs` before it is sent. */
  lostAfterDelayRate: number;
  lostAfterDelayMs: number;
  /** Lost-answer faults only for mutation operations (queries always get their answer). */
  lostAfterMutationsOnly: boolean;
}

/** The lost-answer rates, in the order one draw is partitioned between them. */
export const LOST_AFTER_RATES = [
  "lostAfter502Rate",
  "lostAfter504Rate",
  "lostAfterResetRate",
  "lostAfterDelayRate",
] as const;

export const noFaults = (): Faults => ({
  errorRate: 0,
  errorStatus: 503,
  timeoutRate: 0,
  timeoutMs: 10_000,
  timeoutMode: "drop",
  throttleBurst: 0,
  latencyMs: 0,
  executionMs: 0,
  executionMsPerMutation: 0,
  tokenExchangeFailures: 0,
  lostAfter502Rate: 0,
  lostAfter504Rate: 0,
  lostAfterResetRate: 0,
  lostAfterDelayRate: 0,
  lostAfterDelayMs: 10_000,
  lostAfterMutationsOnly: false,
});

export type LinkKind = "invite" | "activation";
export type LinkStatus = "active" | "superseded" | "used" | "declined";

export interface AccountLink {
  token: string;
  shop: string;
  customerId: number;
  kind: LinkKind;
  url: string;
  createdAt: number;
  expiresAt: number;
  status: LinkStatus;
  usedAt: number | null;
}

export interface OutboxEmail {
  seq: number;
  id: string;
  shop: string;
  kind: "invite";
  customerId: string;
  to: string;
  from: string;
  subject: string;
  customMessage: string | null;
  body: string | null;
  bcc: string[];
  sentAt: string;
  inviteToken: string;
  inviteUrl: string;
}

export interface Shop {
  domain: string;
  name: string;
  /** The shop owner's email (`shop.email`), also the owner staff member's. */
  email: string;
  /** The public-facing contact email (`shop.contactEmail`); the shop's email unless set. */
  contactEmail: string;
  /** Staff members, the owner first. */
  staff: StaffMember[];
  nextStaffId: number;
  /** Protected customer data the app may read (default: Level 2, every field). */
  customerData: CustomerDataAccess;
  /**
   * The admin language of the shop's (one) staff user, a BCP 47 tag: what Shopify admin passes the
   * embedded app as `locale` and gives UI extensions. Not the storefront's language (`primary_locale`).
   */
  locale: string;
  numericId: number;
  plan: PlanName;
  preset: PlanPreset;
  customerAccountsVersion: CustomerAccountsVersion;
  scopes: string;
  customers: Customer[];
  byId: Map<number, Customer>;
  nextCustomerId: number;
  bucket: LeakyBucket;
  stats: ShopStats;
  faults: Faults;
  installed: boolean;
  createdAt: number;
}

/** `fr-ca` → `fr-CA`; null for anything that is not a BCP 47 language tag. */
export function canonicalLocale(value: unknown): string | null {
  if (typeof value !== "string" || !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(value)) return null;
  try {
    return Intl.getCanonicalLocales(value)[0] ?? null;
  } catch {
    return null;
  }
}

export const customerGid = (id: number) => `gid://shopify/Customer/${id}`;
/** A scope the staff member's permissions cover (`write_x` covers `read_x`); null permissions cover all. */
export function staffAllows(member: StaffMember, scope: string): boolean {
  if (member.permissions === null) return true;
  if (member.permissions.includes(scope)) return true;
  return scope.startsWith("read_") && member.permissions.includes(scope.replace(/^read_/, "write_"));
}

/** The app's granted scopes narrowed to what a staff member may do: an online token's `associated_user_scope`. */
export function staffScopes(shopScopes: string, member: StaffMember): string {
  return shopScopes
    .split(",")
    .map((scope) => scope.trim())
    .filter((scope) => scope && staffAllows(member, scope))
    .join(",");
}

export const staffGid = (id: number) => `gid://shopify/StaffMember/${id}`;
export const addressGid = (id: number) => `gid://shopify/MailingAddress/${id}?model_name=CustomerAddress`;
export const shopGid = (id: number) => `gid://shopify/Shop/${id}`;

/** Shopify prints DateTime without milliseconds: 2024-05-01T10:20:30Z. */
export const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export function displayName(c: Pick<Customer, "firstName" | "lastName" | "email" | "phone">): string {
  const name = [c.firstName, c.lastName].filter((p) => p && p.trim()).join(" ");
  return name || c.email || c.phone || "";
}
