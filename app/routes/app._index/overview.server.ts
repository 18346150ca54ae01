import { countShopActivationLinks } from "~/models/ActivationLink.server";
import { listCampaignsPage, summarizeShopCampaigns } from "~/models/Campaign.server";
import { countActivationsByDay } from "~/models/recipientPages.server";
import { ShopifyUnavailable } from "~/services/shopify/adminRequest.server";
import { countCustomersByState } from "~/services/shopify/customerCounts.server";
import { getShopAccounts } from "~/services/shopify/shopAccounts.server";
import type { AdminGraphql } from "~/types/admin";

// The overview page: the shop's accounts mode, its customers per account state, the ledger's figures
// (maintained counters) and the latest campaigns. Shopify's counts are optional: without them the page
// still shows the ledger.

export const RECENT_CAMPAIGNS = 5;
/** The activations chart's span. */
export const ACTIVATION_DAYS = 30;

export async function getOverview({ graphql, shop }: { graphql: AdminGraphql; shop: string }) {
  const [accounts, ledger, links, recent, activations] = await Promise.all([
    getShopAccounts(graphql),
    summarizeShopCampaigns({ shop }),
    countShopActivationLinks({ shop }),
    listCampaignsPage({ shop, take: RECENT_CAMPAIGNS }),
    countActivationsByDay({ shop, days: ACTIVATION_DAYS }),
  ]);
  // Activations are the app's own: invites that ended activated (customers/enable, or the
  // reconciliation of open invites), with their time; Shopify keeps no activation date.
  const since = ledger.firstInviteAt;
  const states = await countCustomersByState({ graphql }).catch((error: unknown) => {
    if (error instanceof ShopifyUnavailable) return null;
    throw error;
  });
  return {
    shop: accounts,
    states,
    ledger: {
      campaigns: ledger.campaigns,
      invitesSent: ledger.invitesSent,
      firstInviteAt: since,
      activationsSince: ledger.firstInviteAt ? ledger.activations : null,
      activationLinks: links,
    },
    recentCampaigns: recent,
    activations,
  };
}
