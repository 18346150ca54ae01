import type { CustomerState } from "~/constants/invites";
import { CustomersCountQuery } from "~/graphql/CustomersCountQuery";
import { CustomerStateCountsQuery } from "~/graphql/CustomerStateCountsQuery";
import { askAdmin, ShopifyUnavailable } from "~/services/shopify/adminRequest.server";
import type { AdminGraphql } from "~/types/admin";

// Customer counts for the pages (customersCount: cheap reads, inside a merchant's request).

/** How many customers a search matches now. */
export async function countCustomers({ graphql, query }: { graphql: AdminGraphql; query: string }) {
  return askAdmin({
    send: (signal) => graphql(CustomersCountQuery, { variables: { query: query || null }, signal }),
    parse: (data) => {
      const count = data.customersCount;
      return count ? { count: count.count, exact: count.precision === "EXACT" } : null;
    },
  }).then((result) => {
    if (!result) throw new ShopifyUnavailable("unanswered");
    return result;
  });
}

/**
 * Customers per account state, and those with an account whose record changed since `since` (the
 * overview's "activations since": Shopify keeps no activation date).
 */
export async function countCustomersByState({
  graphql,
  since,
}: {
  graphql: AdminGraphql;
  since: Date | null;
}) {
  return askAdmin({
    send: (signal) =>
      graphql(CustomerStateCountsQuery, {
        variables: {
          activatedQuery: since ? `state:enabled updated_at:>='${since.toISOString()}'` : "state:enabled",
        },
        signal,
      }),
    parse: (data) => {
      const states: Record<CustomerState, number> = {
        DISABLED: data.disabled?.count ?? 0,
        INVITED: data.invited?.count ?? 0,
        ENABLED: data.enabled?.count ?? 0,
        DECLINED: data.declined?.count ?? 0,
      };
      return { states, activatedSince: data.activatedSince?.count ?? 0 };
    },
  });
}
