import {
  cancelCampaign as cancelCampaignRow,
  createCampaignOnce,
  findCampaign,
  pauseCampaign as pauseCampaignRow,
  resumeCampaign as resumeCampaignRow,
} from "~/models/Campaign.server";
import { findLastInviteTimes } from "~/models/Recipient.server";
import { getShopSettings } from "~/models/ShopSettings.server";
import {
  type CampaignInput,
  previewInputSchema,
  fieldErrorsFrom,
  type FieldErrors,
} from "~/services/campaignInput";
import { ShopifyUnavailable } from "~/services/adminRequest.server";
import { readCustomerSnapshots } from "~/services/customerReads.server";
import { decideEligibility, type Eligibility } from "~/services/eligibility";
import { getShopAccounts } from "~/services/shopAccounts.server";
import type { AdminGraphql } from "~/types/admin";
import { logger } from "~/utils/logger.server";

// Campaign workflows run inside a merchant's request: record, preview, control. None of them sends:
// the worker does (app/jobs), so a request never waits on Shopify's rate limit.

/** Records a campaign (and a selection's recipients). The same idempotency key returns the same campaign. */
export async function createCampaign({
  shop,
  requestedBy,
  input,
}: {
  shop: string;
  requestedBy: string | null;
  input: CampaignInput;
}) {
  const { campaign, created } = await createCampaignOnce({
    shop,
    source: input.customerIds ? "selection" : "query",
    customerIds: input.customerIds,
    query: input.query,
    email: input.email,
    includeDeclined: input.includeDeclined,
    requestedBy,
    idempotencyKey: input.idempotencyKey,
  });
  logger.info(
    { shop, campaignId: campaign.id, created, recipients: campaign.total },
    created ? "campaign recorded" : "campaign already recorded for this key",
  );
  return { campaign, created };
}

export type PreviewResult =
  | { success: false; errors: FieldErrors }
  | {
      success: true;
      customers: ({ customerId: string } & Eligibility)[];
      summary: { eligible: number; skipped: number; byReason: Record<string, number> };
    };

/**
 * The dry run: what a campaign would do for these customers now, decided by the same eligibility
 * function the worker uses, without writing or sending anything. Up to 250 customers per call (one
 * Shopify read); the extension previews bigger selections in chunks.
 */
export async function previewInvites({
  graphql,
  shop,
  input,
  timeoutMs = 15_000,
}: {
  graphql: AdminGraphql;
  shop: string;
  input: unknown;
  timeoutMs?: number;
}): Promise<PreviewResult> {
  const parsed = previewInputSchema.safeParse(input);
  if (!parsed.success) return { success: false, errors: fieldErrorsFrom(parsed.error) };
  const customerIds = [...new Set(parsed.data.customerIds)];
  const [accounts, settings, lastInvites, read] = await Promise.all([
    getShopAccounts(graphql),
    getShopSettings({ shop }),
    findLastInviteTimes({ shop, customerIds }),
    readCustomerSnapshots({ graphql, ids: customerIds, timeoutMs }),
  ]);
  if (read.kind !== "answered" || !read.data) {
    throw new ShopifyUnavailable(
      read.kind === "throttled"
        ? "Shopify is busy; try again in a few seconds."
        : "Shopify did not answer; try again.",
    );
  }
  const snapshots = read.data;
  const now = new Date();
  const customers = customerIds.map((customerId) => ({
    customerId,
    ...decideEligibility({
      customer: snapshots.get(customerId) ?? null,
      accountsMode: accounts.accountsMode,
      lastInvitedAt: lastInvites.get(customerId) ?? null,
      now,
      options: {
        reinviteWindowHours: settings.reinviteWindowHours,
        includeDeclined: parsed.data.includeDeclined,
      },
    }),
  }));
  const byReason: Record<string, number> = {};
  let eligible = 0;
  for (const customer of customers) {
    if (customer.eligible) eligible++;
    else byReason[customer.reason] = (byReason[customer.reason] ?? 0) + 1;
  }
  return { success: true, customers, summary: { eligible, skipped: customers.length - eligible, byReason } };
}

export async function getCampaign({ shop, id }: { shop: string; id: string }) {
  return findCampaign({ shop, id });
}

/** Pauses before the worker's next request; requests already out are settled normally. */
export async function pauseCampaign({ shop, id }: { shop: string; id: string }) {
  return pauseCampaignRow({ shop, id });
}

export async function resumeCampaign({ shop, id }: { shop: string; id: string }) {
  return resumeCampaignRow({ shop, id });
}

/** Cancels: nothing new is sent; already-sent stay sent; still-queued become skipped (CANCELLED). */
export async function cancelCampaign({ shop, id }: { shop: string; id: string }) {
  return cancelCampaignRow({ shop, id });
}
