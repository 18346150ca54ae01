import type { CustomerState, ReasonParams, SkipReason } from "~/constants/invites";
import type { CustomerAccountsMode } from "~/types/admin";

// Whether one customer should be sent an account invite. Pure: the dry runs and the sender reach it
// through one pass (eligibilityPass.server.ts) with the same inputs, so what the merchant previews is
// what the worker does. A skip is a reason code with its parameters; words are rendered when read.

/** What eligibility needs to know about a customer; `null` when Shopify does not know the id. */
export interface CustomerSnapshot {
  id: string;
  state: CustomerState;
  hasEmail: boolean;
  /** Read only when a rule needs them (automatic invites with required tags). */
  tags?: string[];
}

export interface EligibilityOptions {
  reinviteWindowHours: number;
  /** Customers who declined an earlier invite are skipped unless the merchant opts in. */
  includeDeclined: boolean;
  /**
   * Automatic invites: only customers never invited (DISABLED, and never sent an invite by this app),
   * and, when tags are given, only customers with at least one of them (compared case-insensitively, as
   * Shopify compares tags).
   */
  automatic?: { requiredTags: string[] };
}

export type Eligibility = { eligible: true } | { eligible: false; reason: SkipReason; params?: ReasonParams };

export function decideEligibility({
  customer,
  accountsMode,
  lastInvitedAt,
  now,
  options,
}: {
  customer: CustomerSnapshot | null;
  accountsMode: CustomerAccountsMode;
  /** The latest invite this app sent (or may have sent) to the customer, from the ledger. */
  lastInvitedAt: Date | null;
  now: Date;
  options: EligibilityOptions;
}): Eligibility {
  // The shop-wide reason comes first: on new customer accounts nothing else matters.
  // "unknown" does not block: Shopify said nothing, and the mutation itself will answer.
  if (accountsMode === "new") return skip("NEW_CUSTOMER_ACCOUNTS");
  if (!customer) return skip("NOT_FOUND");
  if (customer.state === "ENABLED") return skip("ACCOUNT_ENABLED");
  if (customer.state === "DECLINED" && !options.includeDeclined) return skip("DECLINED");
  if (!customer.hasEmail) return skip("NO_EMAIL");
  if (options.automatic) {
    if (customer.state !== "DISABLED" || lastInvitedAt) return skip("ALREADY_INVITED");
    const required = options.automatic.requiredTags.map((tag) => tag.toLowerCase());
    const tags = new Set((customer.tags ?? []).map((tag) => tag.toLowerCase()));
    if (required.length > 0 && !required.some((tag) => tags.has(tag)))
      return skip("MISSING_TAGS", { tags: options.automatic.requiredTags.join(", ") });
  }
  if (lastInvitedAt) {
    const windowMs = options.reinviteWindowHours * 3_600_000;
    if (now.getTime() - lastInvitedAt.getTime() < windowMs) {
      return skip("INVITED_RECENTLY", { hours: options.reinviteWindowHours });
    }
  }
  return { eligible: true };
}

function skip(reason: SkipReason, params?: ReasonParams): Eligibility {
  return params ? { eligible: false, reason, params } : { eligible: false, reason };
}
