import type { CustomerState } from "~/constants/invites";
import { CustomersCountQuery } from "~/graphql/CustomersCountQuery";
import { CustomerStateCountsQuery } from "~/graphql/CustomerStateCountsQuery";
import { askAdmin, ShopifyUnavailable } from "~/services/shopify/adminRequest.server";
import type { AdminGraphql } from "~/types/admin";

// Customer counts for the pages, inside a merchant's request. `customersCount(query:)` filters only on
// created_at, id and updated_at on a live store: it counts a whole shop, never an audience.

/** How many customers the shop has (`query` only with the fields customersCount supports). */
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

/** Customers per account state (segment members by account status: see CustomerStateCountsQuery). */
export async function countCustomersByState({ graphql }: { graphql: AdminGraphql }) {
  return askAdmin({
    send: (signal) => graphql(CustomerStateCountsQuery, { signal }),
    parse: (data): Record<CustomerState, number> => ({
      DISABLED: data.disabled.totalCount,
      INVITED: data.invited.totalCount,
      ENABLED: data.enabled.totalCount,
      DECLINED: data.declined.totalCount,
    }),
  });
}
