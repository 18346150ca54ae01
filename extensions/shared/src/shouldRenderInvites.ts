import { ADMIN_API_VERSION } from "./adminApiVersion";
import { isRecord } from "./apiClient";

// Account invites and activation links exist only for shops on legacy ("classic") customer accounts:
// on new customer accounts customers log in with a one-time code and Shopify refuses both mutations.
// The should-render targets ask the Admin API directly (no app round trip while admin draws its menu)
// and hide the action only when Shopify says for certain the shop is on new customer accounts; any
// doubt (an error, no answer) shows the action, whose dry run then explains what it can and cannot do.

export const EXTENSION_SHOP_CUSTOMER_ACCOUNTS_QUERY = `#graphql
  query ExtensionShopCustomerAccounts {
    shop {
      customerAccountsV2 {
        customerAccountsVersion
      }
    }
  }
`;

type Query = (query: string, options: { version: string }) => Promise<{ data?: unknown; errors?: unknown }>;

export async function invitesMayWork(query: Query): Promise<boolean> {
  try {
    const { data } = await query(EXTENSION_SHOP_CUSTOMER_ACCOUNTS_QUERY, { version: ADMIN_API_VERSION });
    const shop = isRecord(data) ? data.shop : null;
    const accounts = isRecord(shop) ? shop.customerAccountsV2 : null;
    const version = isRecord(accounts) ? accounts.customerAccountsVersion : null;
    return version !== "NEW_CUSTOMER_ACCOUNTS";
  } catch {
    return true;
  }
}
