import { countShopActivationLinks } from "~/models/ActivationLink.server";
import { listCampaignsPage, summarizeShopCampaigns } from "~/models/Campaign.server";
import { ShopifyUnavailable } from "~/services/shopify/adminRequest.server";
import { countCustomersByState } from "~/services/shopify/customerCounts.server";
import { getShopAccounts } from "~/services/shopify/shopAccounts.server";
import type { AdminGraphql } from "~/types/admin";

// The overview page: the shop's accounts mode, its customers per account state, the ledger's figures
// (maintained counters) and the latest campaigns. Shopify's counts are optional: without them the page
// still shows the ledger.

export const RECENT_CAMPAIGNS = 5;

export async function getOverview({ graphql, shop }: { graphql: AdminGraphql; shop: string }) {
  const [accounts, ledger, links, recent] = await Promise.all([
    getShopAccounts(graphql),
    summarizeShopCampaigns({ shop }),
    countShopActivationLinks({ shop }),
    listCampaignsPage({ shop, take: RECENT_CAMPAIGNS }),
  ]);
  // "Activations since": customers with an account whose record changed since the first invite this
  // app sent. Shopify keeps no activation date; this is the closest count it offers, and labelled so.
  const since = ledger.firstInviteAt;
  const counts = await countCustomersByState({ graphql, since }).catch((error: unknown) => {
    if (error instanceof ShopifyUnavailable) return null;
    throw error;
  });
  return {
    shop: accounts,
    states: counts?.states ?? null,
    ledger: {
      campaigns: ledger.campaigns,
      invitesSent: ledger.invitesSent,
      firstInviteAt: since,
      activationsSince: since && counts ? counts.activatedSince : null,
      activationLinks: links,
    },
    recentCampaigns: recent,
  };
}
