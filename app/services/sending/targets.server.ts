import { SHOPIFY_PAGE_SIZE } from "~/constants/invites";
import type { CampaignRow } from "~/models/Campaign.server";
import { recordQueryPage, recordSelectionEligibility } from "~/models/ledger.server";
import { findUncheckedRecipients } from "~/models/recipientQueue.server";
import {
  decideCustomers,
  ledgerDecisionOf,
  type PassContext,
} from "~/services/campaigns/eligibilityPass.server";
import type { AdminOutcome } from "~/services/shopify/adminRequest.server";
import { READ_COST, readCustomersPage, readCustomerSnapshots } from "~/services/shopify/customerReads.server";
import type { AdminGraphql } from "~/types/admin";

// Target sources: how a campaign's customers become recipient rows with their eligibility decided, one
// page (≤250 customers) per call. A selection's rows exist from creation and are checked against fresh
// snapshots; a query's pages are read with the cursor saved in the same transaction as their rows. (A
// bulk-operation source for very large audiences belongs here too.)

/** Runs a read with its requested cost reserved in the shop's pacer (the sender's `paced`). */
export type PacedRead = <T>(points: number, run: () => Promise<AdminOutcome<T>>) => Promise<AdminOutcome<T>>;

export interface TargetContext {
  shop: string;
  campaign: CampaignRow;
  graphql: AdminGraphql;
  pass: PassContext;
  paced: PacedRead;
  timeoutMs: number;
}

/** One page of targets: "retry" when Shopify did not answer (nothing was recorded). */
export async function resolveTargetsPage(
  context: TargetContext,
  cursor: string | null,
): Promise<"retry" | { done: boolean; cursor: string | null }> {
  return context.campaign.source === "selection"
    ? resolveSelectionPage(context)
    : resolveQueryPage(context, cursor);
}

async function resolveSelectionPage({ shop, campaign, graphql, pass, paced, timeoutMs }: TargetContext) {
  const rows = await findUncheckedRecipients({ shop, campaignId: campaign.id, take: SHOPIFY_PAGE_SIZE });
  if (rows.length === 0) {
    await recordQueryPage({ shop, campaignId: campaign.id, decisions: [], nextCursor: null, done: true });
    return { done: true, cursor: null };
  }
  const ids = rows.map((r) => r.customerId);
  const read = await paced(READ_COST.snapshots(ids.length), () =>
    readCustomerSnapshots({
      graphql,
      ids,
      timeoutMs,
      withTags: (pass.automatic?.requiredTags.length ?? 0) > 0,
    }),
  );
  if (read.kind !== "answered" || !read.data) return "retry" as const;
  const snapshots = read.data;
  const decided = await decideCustomers(
    pass,
    ids.map((id) => ({ id, snapshot: snapshots.get(id) ?? null })),
  );
  await recordSelectionEligibility({
    shop,
    campaignId: campaign.id,
    decisions: decided.map((customer, index) => ({
      ...ledgerDecisionOf(customer),
      recipientId: rows[index]!.id,
    })),
  });
  return { done: false, cursor: null };
}

async function resolveQueryPage(
  { shop, campaign, graphql, pass, paced, timeoutMs }: TargetContext,
  cursor: string | null,
) {
  const read = await paced(READ_COST.customersPage(), () =>
    readCustomersPage({ graphql, query: campaign.query ?? "", after: cursor, timeoutMs }),
  );
  if (read.kind !== "answered" || !read.data) return "retry" as const;
  const page = read.data;
  const decided = await decideCustomers(
    pass,
    page.snapshots.map((snapshot) => ({ id: snapshot.id, snapshot })),
  );
  const done = !page.hasNextPage || !page.endCursor;
  await recordQueryPage({
    shop,
    campaignId: campaign.id,
    decisions: decided.map(ledgerDecisionOf),
    nextCursor: done ? null : page.endCursor,
    done,
  });
  return { done, cursor: done ? null : page.endCursor };
}
