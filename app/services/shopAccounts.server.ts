import { ShopCustomerAccountsQuery } from "~/graphql/ShopCustomerAccountsQuery";
import type { AdminGraphql } from "~/types/admin";

export type CustomerAccountsMode = "classic" | "new" | "unknown";

export interface ShopAccounts {
  id: string;
  name: string;
  domain: string;
  accountsMode: CustomerAccountsMode;
  /** Account invites and activation links exist only with legacy ("classic") customer accounts. */
  invitesApply: boolean;
}

export function accountsModeFrom(version: string | null | undefined): CustomerAccountsMode {
  if (version === "CLASSIC") return "classic";
  if (version === "NEW_CUSTOMER_ACCOUNTS") return "new";
  return "unknown";
}

export async function getShopAccounts(graphql: AdminGraphql): Promise<ShopAccounts> {
  const response = await graphql(ShopCustomerAccountsQuery);
  const { data } = await response.json();
  if (!data) throw new Error("Shopify returned no data for the shop query");
  const accountsMode = accountsModeFrom(data.shop.customerAccountsV2.customerAccountsVersion);
  return {
    id: data.shop.id,
    name: data.shop.name,
    domain: data.shop.myshopifyDomain,
    accountsMode,
    invitesApply: accountsMode === "classic",
  };
}
