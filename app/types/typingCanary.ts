// Proves the Admin GraphQL documents are typed by codegen: if typing silently became `any`,
// the @ts-expect-error lines stop erroring and `npm run typecheck` fails.
import { ShopCustomerAccountsQuery } from "~/graphql/ShopCustomerAccountsQuery";
import type { AdminGraphql } from "~/types/admin";

export async function typingCanary(graphql: AdminGraphql) {
  const { data } = await (await graphql(ShopCustomerAccountsQuery)).json();
  // @ts-expect-error the query does not select `email`
  void data?.shop.email;
  // @ts-expect-error `customerAccountsVersion` is an enum, not a number
  const version: number | undefined = data?.shop.customerAccountsV2.customerAccountsVersion;
  return version;
}
