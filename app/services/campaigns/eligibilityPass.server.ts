import { findLastInviteTimes } from "~/models/recipientQueue.server";
import type { EligibilityDecision } from "~/models/ledger.server";
import { decideEligibility, type CustomerSnapshot, type Eligibility } from "~/services/campaigns/eligibility";
import type { CustomerAccountsMode } from "~/types/admin";

// The one eligibility pass: customers as Shopify reported them, with when the app last (possibly)
// invited each, decided by decideEligibility. The dry runs (a selection, a search sample), the sender
// (selection rows, query pages) and the single invite all call it, so they can never disagree.

export interface PassContext {
  shop: string;
  accountsMode: CustomerAccountsMode;
  reinviteWindowHours: number;
  includeDeclined: boolean;
  /** Automatic invites' rules (eligibility.ts): never invited, and the required tags if any. */
  automatic?: { requiredTags: string[] };
  now?: Date;
}

export interface PassedCustomer {
  id: string;
  snapshot: CustomerSnapshot | null;
  eligibility: Eligibility;
}

export async function decideCustomers(
  context: PassContext,
  customers: { id: string; snapshot: CustomerSnapshot | null }[],
): Promise<PassedCustomer[]> {
  if (customers.length === 0) return [];
  const lastInvites = await findLastInviteTimes({
    shop: context.shop,
    customerIds: customers.map((c) => c.id),
  });
  const now = context.now ?? new Date();
  return customers.map(({ id, snapshot }) => ({
    id,
    snapshot,
    eligibility: decideEligibility({
      customer: snapshot,
      accountsMode: context.accountsMode,
      lastInvitedAt: lastInvites.get(id) ?? null,
      now,
      options: {
        reinviteWindowHours: context.reinviteWindowHours,
        includeDeclined: context.includeDeclined,
        automatic: context.automatic,
      },
    }),
  }));
}

/**
 * The pass's rules for a campaign, by where its invites come from: automatic invites add theirs (the
 * tags are the merchant's setting when the invite is due), and a reminder's re-invite window never
 * exceeds its own interval (a reminder after 2 days is not held back by a 3-day window: it is the
 * follow-up the merchant asked for). The sender uses the same window for its send-time check.
 */
export function passRulesFor(
  campaign: { origin: string; includeDeclined: boolean; reminderAfterDays: number | null },
  settings: { reinviteWindowHours: number; autoInviteTags: string[] },
): Pick<PassContext, "reinviteWindowHours" | "includeDeclined" | "automatic"> {
  const reinviteWindowHours =
    campaign.origin === "reminder" && campaign.reminderAfterDays
      ? Math.min(settings.reinviteWindowHours, campaign.reminderAfterDays * 24)
      : settings.reinviteWindowHours;
  return {
    reinviteWindowHours,
    includeDeclined: campaign.origin === "automatic" ? false : campaign.includeDeclined,
    ...(campaign.origin === "automatic" ? { automatic: { requiredTags: settings.autoInviteTags } } : {}),
  };
}

/** A decision as the ledger records it: the state seen, and the skip (reason and parameters) if any. */
export function ledgerDecisionOf(customer: PassedCustomer): EligibilityDecision {
  const { eligibility } = customer;
  return {
    customerId: customer.id,
    state: customer.snapshot?.state ?? null,
    skip: eligibility.eligible ? null : { reason: eligibility.reason, params: eligibility.params },
  };
}

/** Counts for a dry run's summary. */
export function summarize(customers: PassedCustomer[]) {
  const byReason: Record<string, number> = {};
  let eligible = 0;
  for (const { eligibility } of customers) {
    if (eligibility.eligible) eligible++;
    else byReason[eligibility.reason] = (byReason[eligibility.reason] ?? 0) + 1;
  }
  return { eligible, skipped: customers.length - eligible, byReason };
}
