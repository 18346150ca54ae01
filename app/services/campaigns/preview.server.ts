import type { ReasonParams, SkipReason } from "~/constants/invites";
import { getShopSettings } from "~/models/ShopSettings.server";
import { fieldErrorsFrom, previewInputSchema, type FieldErrors } from "~/services/campaigns/campaignInput";
import { decideCustomers, summarize, type PassContext } from "~/services/campaigns/eligibilityPass.server";
import { readCustomerSnapshots, readCustomersPage } from "~/services/shopify/customerReads.server";
import { dataOf, REQUEST_TIMEOUT_MS } from "~/services/shopify/adminRequest.server";
import { getShopAccounts } from "~/services/shopify/shopAccounts.server";
import type { AdminGraphql } from "~/types/admin";

// The dry runs: what a campaign would do now, decided by the same eligibility pass the worker uses,
// without writing or sending anything. For a selection (up to 250 customers per call; the extension
// previews bigger selections in chunks) and for a search (its first 250 customers, a sample).

/** Customers the new-campaign dry run looks at: one page of Shopify's search. */
export const SAMPLE_SIZE = 250;

export interface PreviewedCustomer {
  customerId: string;
  eligible: boolean;
  reason?: SkipReason;
  params?: ReasonParams;
}

export type PreviewResult =
  | { success: false; errors: FieldErrors }
  | {
      success: true;
      customers: PreviewedCustomer[];
      summary: { eligible: number; skipped: number; byReason: Record<string, number> };
    };

/**
 * The rules a dry run decides by, as the worker will: the shop's customer accounts mode and its
 * re-invite window (Settings), read together.
 */
export async function dryRunContext({
  graphql,
  shop,
  includeDeclined,
}: {
  graphql: AdminGraphql;
  shop: string;
  includeDeclined: boolean;
}): Promise<PassContext> {
  const [accounts, settings] = await Promise.all([getShopAccounts(graphql), getShopSettings({ shop })]);
  return {
    shop,
    accountsMode: accounts.accountsMode,
    reinviteWindowHours: settings.reinviteWindowHours,
    includeDeclined,
  };
}

export async function previewInvites({
  graphql,
  shop,
  input,
  timeoutMs = REQUEST_TIMEOUT_MS,
}: {
  graphql: AdminGraphql;
  shop: string;
  input: unknown;
  timeoutMs?: number;
}): Promise<PreviewResult> {
  const parsed = previewInputSchema.safeParse(input);
  if (!parsed.success) return { success: false, errors: fieldErrorsFrom(parsed.error) };
  const customerIds = [...new Set(parsed.data.customerIds)];
  const [context, read] = await Promise.all([
    dryRunContext({ graphql, shop, includeDeclined: parsed.data.includeDeclined }),
    readCustomerSnapshots({ graphql, ids: customerIds, timeoutMs }),
  ]);
  const snapshots = dataOf(read);
  const decided = await decideCustomers(
    context,
    customerIds.map((id) => ({ id, snapshot: snapshots.get(id) ?? null })),
  );
  return {
    success: true,
    customers: decided.map(({ id, eligibility }) =>
      eligibility.eligible
        ? { customerId: id, eligible: true }
        : { customerId: id, eligible: false, reason: eligibility.reason, params: eligibility.params },
    ),
    summary: summarize(decided),
  };
}

/**
 * The dry run for a search: the first ≤250 matching customers decided by the same pass the worker uses.
 * A sample, not the whole audience: the worker decides every customer when it runs.
 */
export async function previewSearchSample({
  graphql,
  shop,
  query,
  includeDeclined,
  timeoutMs = REQUEST_TIMEOUT_MS,
}: {
  graphql: AdminGraphql;
  shop: string;
  query: string;
  includeDeclined: boolean;
  timeoutMs?: number;
}) {
  const [context, page] = await Promise.all([
    dryRunContext({ graphql, shop, includeDeclined }),
    readCustomersPage({ graphql, query, after: null, timeoutMs }),
  ]);
  const found = dataOf(page);
  const snapshots = found.snapshots.slice(0, SAMPLE_SIZE);
  const decided = await decideCustomers(
    context,
    snapshots.map((snapshot) => ({ id: snapshot.id, snapshot })),
  );
  return {
    sampled: snapshots.length,
    ...summarize(decided),
    more: found.hasNextPage,
    reinviteWindowHours: context.reinviteWindowHours,
  };
}
