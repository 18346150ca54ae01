import { ShopCustomerAccountsQuery } from "~/graphql/ShopCustomerAccountsQuery";
import { askAdmin } from "~/services/shopify/adminRequest.server";
import type { AdminGraphql, CustomerAccountsMode } from "~/types/admin";

// The shop facts the app needs: its name and domain, and whether it uses legacy customer accounts (the
// only ones with accounts to activate, decision 003).

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

/** The shop query, parsed (the sender runs it through requestAdmin itself, paced). */
export function shopAccountsRead(graphql: AdminGraphql) {
  return {
    send: (signal: AbortSignal) => graphql(ShopCustomerAccountsQuery, { signal }),
    parse: (data: {
      shop: {
        id: string;
        name: string;
        myshopifyDomain: string;
        customerAccountsV2: { customerAccountsVersion: string };
      };
    }): ShopAccounts => {
      const accountsMode = accountsModeFrom(data.shop.customerAccountsV2.customerAccountsVersion);
      return {
        id: data.shop.id,
        name: data.shop.name,
        domain: data.shop.myshopifyDomain,
        accountsMode,
        invitesApply: accountsMode === "classic",
      };
    },
  };
}

/** Inside a merchant's request: the shop's accounts, or ShopifyUnavailable. */
export async function getShopAccounts(graphql: AdminGraphql): Promise<ShopAccounts> {
  return askAdmin(shopAccountsRead(graphql));
}
