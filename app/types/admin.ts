import type { AdminApiContext } from "@shopify/shopify-app-remix/server";

// The typed Admin GraphQL client services receive: `admin.graphql` from authenticate.admin in a request,
// or from unauthenticated.admin(shop) in the worker. Services never see the Request.
export type AdminGraphql = AdminApiContext["graphql"];

/** The bucket Shopify reports in `extensions.cost.throttleStatus`. */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** Legacy ("classic") or new customer accounts, as the shop reports it. */
export type CustomerAccountsMode = "classic" | "new" | "unknown";
