// Query root, Shop and Customer fields. Every field listed here is emulated; any other field of the
// schema answers "Field 'Type.field' is not emulated" (see ../graphql.ts).
import { GraphQLError, type GraphQLResolveInfo } from "graphql";
import { customerGid, displayName, isoSeconds, shopGid, type Customer, type Shop } from "../model";
import { compileCustomerSearch } from "../search";
import { invalidGid, parseGid, requireScope, type GraphqlContext, type ResolverMap } from "./context";
import { paginateCustomers, type PageArgs } from "./pagination";

function searchFor(context: GraphqlContext, query: string | null | undefined, path: (string | number)[]) {
  const compiled = compileCustomerSearch(query, context.clock.now());
  if (query && compiled.warnings.length > 0)
    context.search.push({ path, query, warnings: compiled.warnings });
  return compiled;
}

function pathOf(info: GraphQLResolveInfo): (string | number)[] {
  const out: (string | number)[] = [];
  for (let p: typeof info.path | undefined = info.path; p; p = p.prev) out.unshift(p.key);
  return out;
}

function lookupNode(context: GraphqlContext, id: unknown): Customer | Error | null {
  const gid = parseGid(id);
  if (!gid) return invalidGid(id);
  if (gid.type !== "Customer") {
    return new GraphQLError(`Node type '${gid.type}' is not emulated (only Customer is)`, {
      extensions: { code: "NOT_EMULATED" },
    });
  }
  return context.store.findCustomer(context.shop, gid.id) ?? null;
}

export const queryResolvers: ResolverMap = {
  Query: {
    shop: (_s, _a, context) => context.shop,
    customer: (_s, args: { id: string }, context) => {
      requireScope(context, "read_customers", "customer");
      const node = lookupNode(context, args.id);
      if (node instanceof Error) throw node;
      return node;
    },
    customers: (_s, args: PageArgs & { query?: string | null }, context, info) => {
      requireScope(context, "read_customers", "customers");
      const search = searchFor(context, args.query, pathOf(info));
      return paginateCustomers(context.shop.customers, search.matches, search.matchesAll, args);
    },
    customersCount: (_s, args: { query?: string | null; limit?: number | null }, context, info) => {
      requireScope(context, "read_customers", "customersCount");
      const search = searchFor(context, args.query, pathOf(info));
      const limit = args.limit ?? null;
      let count = 0;
      const list = context.shop.customers;
      if (search.matchesAll) count = list.length;
      else for (let i = 0; i < list.length; i++) if (search.matches(list[i]!)) count++;
      if (limit !== null && count > limit) return { count: limit, precision: "AT_LEAST" };
      return { count, precision: "EXACT" };
    },
    nodes: (_s, args: { ids: string[] }, context) => {
      requireScope(context, "read_customers", "nodes");
      if (args.ids.length > 250) {
        throw new GraphQLError(
          "The input array size of 251 is greater than the maximum allowed of 250.".replace(
            "251",
            String(args.ids.length),
          ),
          {
            extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" },
          },
        );
      }
      return args.ids.map((id) => lookupNode(context, id));
    },
    node: (_s, args: { id: string }, context) => {
      requireScope(context, "read_customers", "node");
      const node = lookupNode(context, args.id);
      if (node instanceof Error) throw node;
      return node;
    },
  },

  Shop: {
    id: (shop: Shop) => shopGid(shop.numericId),
    name: true,
    email: true,
    contactEmail: (shop: Shop) => shop.email,
    myshopifyDomain: (shop: Shop) => shop.domain,
    url: (shop: Shop) => `https://${shop.domain}`,
    currencyCode: () => "USD",
    ianaTimezone: () => "Etc/UTC",
    timezoneAbbreviation: () => "UTC",
    timezoneOffset: () => "+0000",
    timezoneOffsetMinutes: () => 0,
    createdAt: (shop: Shop) => isoSeconds(shop.createdAt),
    plan: (shop: Shop) => ({
      displayName: shop.preset.displayName,
      publicDisplayName: shop.preset.displayName,
      partnerDevelopment: shop.preset.partnerDevelopment,
      shopifyPlus: shop.preset.shopifyPlus,
    }),
    customerAccounts: () => "OPTIONAL",
    customerAccountsV2: (shop: Shop) => ({
      customerAccountsVersion: shop.customerAccountsVersion,
      loginLinksVisibleOnStorefrontAndCheckout: true,
      loginRequiredAtCheckout: false,
      url:
        shop.customerAccountsVersion === "NEW_CUSTOMER_ACCOUNTS"
          ? `https://shopify.com/${shop.numericId}/account`
          : null,
    }),
  },
  ShopPlan: { displayName: true, publicDisplayName: true, partnerDevelopment: true, shopifyPlus: true },
  CustomerAccountsV2: {
    customerAccountsVersion: true,
    loginLinksVisibleOnStorefrontAndCheckout: true,
    loginRequiredAtCheckout: true,
    url: true,
  },

  Customer: {
    id: (c: Customer) => customerGid(c.id),
    legacyResourceId: (c: Customer) => String(c.id),
    firstName: true,
    lastName: true,
    displayName: (c: Customer) => displayName(c),
    email: true,
    phone: true,
    state: true,
    tags: true,
    note: true,
    verifiedEmail: true,
    validEmailAddress: (c: Customer) => c.email != null && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(c.email),
    locale: true,
    numberOfOrders: (c: Customer) => String(c.numberOfOrders),
    createdAt: (c: Customer) => isoSeconds(c.createdAt),
    updatedAt: (c: Customer) => isoSeconds(c.updatedAt),
    canDelete: () => true,
    taxExempt: () => false,
    dataSaleOptOut: () => false,
    multipassIdentifier: () => null,
    amountSpent: () => ({ amount: "0.0", currencyCode: "USD" }),
    defaultEmailAddress: (c: Customer) =>
      c.email
        ? {
            emailAddress: c.email,
            validFormat: /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(c.email),
            marketingState: "NOT_SUBSCRIBED",
            marketingOptInLevel: null,
            marketingUpdatedAt: null,
          }
        : null,
    defaultPhoneNumber: (c: Customer) =>
      c.phone ? { phoneNumber: c.phone, marketingState: "NOT_SUBSCRIBED" } : null,
  },
  CustomerEmailAddress: {
    emailAddress: true,
    validFormat: true,
    marketingState: true,
    marketingOptInLevel: true,
    marketingUpdatedAt: true,
  },
  CustomerPhoneNumber: { phoneNumber: true, marketingState: true },
  MoneyV2: { amount: true, currencyCode: true },

  CustomerConnection: { edges: true, nodes: true, pageInfo: true },
  CustomerEdge: { cursor: true, node: true },
  PageInfo: { hasNextPage: true, hasPreviousPage: true, startCursor: true, endCursor: true },
  Count: { count: true, precision: true },
};
