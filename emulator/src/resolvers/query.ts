// Query root, Shop and Customer fields. Every field listed here is emulated; any other field of the
// schema answers "Field 'Type.field' is not emulated" (see ../graphql.ts).
import { GraphQLError, type GraphQLResolveInfo } from "graphql";
import {
  addressGid,
  customerGid,
  displayName,
  isoSeconds,
  shopGid,
  staffGid,
  type Customer,
  type CustomerAddress,
  type Shop,
  type StaffMember,
} from "../model";
import {
  compileSearch,
  CUSTOMER_FILTERS,
  STAFF_FILTERS,
  type CompiledSearch,
  type FieldMatcher,
} from "../search";
import {
  endSlice,
  invalidGid,
  parseGid,
  requireScope,
  sliceArgs,
  type GraphqlContext,
  type ResolverMap,
} from "./context";
import { paginate, paginateCustomers, STAFF_SORT, type PageArgs } from "./pagination";
import { bulkQueryResolvers } from "./bulk";
import { mergeResolvers, segmentQueryResolvers } from "./segments";

/**
 * Compiles a connection's `query:` with the filters its schema description lists; ignored terms go to
 * `extensions.search`; a refused term (an unreadable time) is Shopify's BAD_REQUEST on the field.
 */
function searchFor<T>(
  context: GraphqlContext,
  query: string | null | undefined,
  info: GraphQLResolveInfo,
  filters: Record<string, FieldMatcher<T>>,
): CompiledSearch<T> {
  const allowed = context.meta.searchFields.get(`${info.parentType.name}.${info.fieldName}`) ?? null;
  const compiled = compileSearch(query, filters, allowed, context.clock.now());
  if (compiled.error) throw new GraphQLError(compiled.error, { extensions: { code: "BAD_REQUEST" } });
  if (compiled.notEmulated)
    throw new GraphQLError(`Search filter '${compiled.notEmulated}' of ${info.fieldName} is not emulated`, {
      extensions: { code: "NOT_EMULATED" },
    });
  if (query && compiled.warnings.length > 0)
    context.search.push({ path: pathOf(info), query, parsed: compiled.parsed, warnings: compiled.warnings });
  return compiled;
}

function mailingAddress(a: CustomerAddress) {
  return a;
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

const EMPTY_PAGE = {
  edges: [],
  nodes: [],
  pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
};

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
      const search = searchFor(context, args.query, info, CUSTOMER_FILTERS);
      const sliced = sliceArgs(context, info.path.key, args);
      if (!sliced) return EMPTY_PAGE;
      const page = paginateCustomers(
        context.shop.customers,
        search.matches,
        search.matchesAll,
        sliced,
        Boolean(context.bulk),
      );
      endSlice(context, info.path.key, page);
      return page;
    },
    customersCount: (_s, args: { query?: string | null; limit?: number | null }, context, info) => {
      requireScope(context, "read_customers", "customersCount");
      const search = searchFor(context, args.query, info, CUSTOMER_FILTERS);
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
    staffMembers: (_s, args: PageArgs & { query?: string | null }, context, info) => {
      requireScope(context, "read_users", "staffMembers");
      const search = searchFor(context, args.query, info, STAFF_FILTERS);
      const sliced = sliceArgs(context, info.path.key, args);
      if (!sliced) return EMPTY_PAGE;
      const page = paginate(
        context.shop.staff,
        search.matches,
        search.matchesAll,
        sliced,
        STAFF_SORT,
        Boolean(context.bulk),
      );
      endSlice(context, info.path.key, page);
      return page;
    },
    staffMember: (_s, args: { id?: string | null }, context) => {
      requireScope(context, "read_users", "staffMember");
      // An offline token acts for no staff member: without an id there is nobody to return.
      if (args.id == null) return null;
      const gid = parseGid(args.id);
      if (!gid) throw invalidGid(args.id);
      if (gid.type !== "StaffMember") return null;
      return context.shop.staff.find((m) => m.id === gid.id) ?? null;
    },
  },

  Shop: {
    id: (shop: Shop) => shopGid(shop.numericId),
    name: true,
    email: true,
    contactEmail: true,
    accountOwner: (shop: Shop, _a, context: GraphqlContext) => {
      requireScope(context, "read_users", "accountOwner");
      return shop.staff.find((m) => m.isShopOwner)!;
    },
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
    amountSpent: (c: Customer) => ({
      amount: String(c.amountSpent.toFixed(2)).replace(/0$/, ""),
      currencyCode: "USD",
    }),
    defaultEmailAddress: (c: Customer) =>
      c.email
        ? {
            emailAddress: c.email,
            validFormat: /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(c.email),
            marketingState: c.acceptsMarketing ? "SUBSCRIBED" : "NOT_SUBSCRIBED",
            marketingOptInLevel: c.acceptsMarketing ? "SINGLE_OPT_IN" : null,
            marketingUpdatedAt: null,
          }
        : null,
    emailMarketingConsent: (c: Customer) =>
      c.email
        ? {
            marketingState: c.acceptsMarketing ? "SUBSCRIBED" : "NOT_SUBSCRIBED",
            marketingOptInLevel: c.acceptsMarketing ? "SINGLE_OPT_IN" : null,
            consentUpdatedAt: null,
          }
        : null,
    defaultAddress: (c: Customer) => (c.addresses[0] ? mailingAddress(c.addresses[0]) : null),
    addresses: (c: Customer, args: { first?: number | null }) =>
      (args.first == null ? c.addresses : c.addresses.slice(0, args.first)).map(mailingAddress),
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
  CustomerEmailMarketingConsentState: {
    marketingState: true,
    marketingOptInLevel: true,
    consentUpdatedAt: true,
  },
  MailingAddress: {
    id: (a: CustomerAddress) => addressGid(a.id),
    firstName: true,
    lastName: true,
    name: (a: CustomerAddress) => [a.firstName, a.lastName].filter(Boolean).join(" ") || null,
    company: true,
    address1: true,
    address2: true,
    city: true,
    province: true,
    provinceCode: true,
    country: true,
    countryCodeV2: (a: CustomerAddress) => a.countryCode,
    zip: true,
    phone: true,
    formattedArea: (a: CustomerAddress) =>
      [[a.city, a.provinceCode].filter(Boolean).join(" "), a.country].filter(Boolean).join(", ") || null,
    formatted: (a: CustomerAddress) =>
      [
        a.company,
        a.address1,
        a.address2,
        [a.city, a.provinceCode, a.zip].filter(Boolean).join(" "),
        a.country,
      ].filter((line): line is string => !!line),
  },
  MoneyV2: { amount: true, currencyCode: true },
  StaffMember: {
    id: (m: StaffMember) => staffGid(m.id),
    email: true,
    firstName: true,
    lastName: true,
    name: (m: StaffMember) => [m.firstName, m.lastName].filter(Boolean).join(" ") || m.email,
    initials: (m: StaffMember) => {
      const letters = [m.firstName, m.lastName].filter(Boolean).map((p) => p!.charAt(0).toUpperCase());
      return letters.length > 0 ? letters : null;
    },
    isShopOwner: true,
    active: true,
    exists: () => true,
    accountType: true,
    locale: true,
    phone: true,
  },
  StaffMemberConnection: { edges: true, nodes: true, pageInfo: true },
  StaffMemberEdge: { cursor: true, node: true },

  CustomerConnection: { edges: true, nodes: true, pageInfo: true },
  CustomerEdge: { cursor: true, node: true },
  PageInfo: { hasNextPage: true, hasPreviousPage: true, startCursor: true, endCursor: true },
  Count: { count: true, precision: true },
};

// Customer segments (customerSegmentMembers, segments, segment, segmentsCount): ./segments.ts.
mergeResolvers(
  queryResolvers,
  segmentQueryResolvers(() => queryResolvers.Customer ?? {}),
);
mergeResolvers(queryResolvers, bulkQueryResolvers);
