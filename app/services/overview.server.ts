import { CustomerStateCountsQuery } from "~/graphql/CustomerStateCountsQuery";
import { countShopActivationLinks } from "~/models/ActivationLink.server";
import { listCampaignsPage, summarizeShopCampaigns } from "~/models/Campaign.server";
import { getShopAccounts } from "~/services/shopAccounts.server";
import type { AdminGraphql } from "~/types/admin";

// The overview page: the shop's accounts mode, its customers per account state (customersCount per
// state, 1 point each), the ledger's figures (maintained counters) and the latest campaigns.

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
  const response = await graphql(CustomerStateCountsQuery, {
    variables: {
      activatedQuery: since ? `state:enabled updated_at:>='${since.toISOString()}'` : "state:enabled",
    },
  });
  const { data } = await response.json();
  const states = data
    ? {
        DISABLED: data.disabled?.count ?? 0,
        INVITED: data.invited?.count ?? 0,
        ENABLED: data.enabled?.count ?? 0,
        DECLINED: data.declined?.count ?? 0,
      }
    : null;
  return {
    shop: accounts,
    states,
    ledger: {
      campaigns: ledger.campaigns,
      invitesSent: ledger.invitesSent,
      firstInviteAt: since,
      activationsSince: since && data ? (data.activatedSince?.count ?? 0) : null,
      activationLinks: links,
    },
    recentCampaigns: recent,
  };
}
