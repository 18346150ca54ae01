import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Kind, parse, print, type FieldNode, type OperationDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import { actualQueryCost, requestedQueryCost, type CostSurface } from "../src/cost";
import {
  formatReport,
  readCalibration,
  readCapturedAnswers,
  replayCalibration,
  summarize,
  surfaceOf,
  type CalibrationEntry,
} from "../src/costCalibration";
import { loadSchema } from "../src/schema";

// Requests captured from live stores (../shared/shopify-captures/costs/cost-calibration.json), written out
// here by hand with the requestedQueryCost (and, where the answer was captured, actualQueryCost) Shopify
// gave them. Each `from` names the capture: <api version>/<area>/<file>.
const schema = loadSchema();
const here = dirname(fileURLToPath(import.meta.url));

interface Case {
  from: string;
  query: string;
  variables?: Record<string, unknown>;
  requested: number;
  surface?: CostSurface;
}

function expectCases(cases: Case[]) {
  for (const c of cases) {
    const cost = requestedQueryCost(schema, parse(c.query), undefined, c.variables ?? {}, {
      surface: c.surface ?? "admin",
    });
    expect({ from: c.from, cost }).toEqual({ from: c.from, cost: c.requested });
  }
}

describe("captured: connections cost 2 + ⌊2 ln first⌋ × one item", () => {
  it("prices first 1, 3, 5, 10, 50, 100 and 250", () => {
    const bulkOperations = `query BulkOperationsBaseOverlayPostRun($first: Int!, $sortKey: BulkOperationsSortKeys, $reverse: Boolean) {
      bulkOperations(first: $first, sortKey: $sortKey, reverse: $reverse) {
        nodes { id status type errorCode createdAt completedAt objectCount rootObjectCount fileSize url partialDataUrl query }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }`;
    expectCases([
      {
        from: "2025-01/customers/customer-create-parity",
        query: `query CustomerDuplicateHydrate($query: String!) { customers(first: 1, query: $query) { nodes { id } } }`,
        variables: { query: "email:someone@example.com" },
        requested: 3,
      },
      {
        from: "2026-04/bulk-operations/bulk-operations-live-hybrid-base-overlay",
        query: bulkOperations,
        variables: { first: 3, sortKey: "CREATED_AT", reverse: false },
        requested: 4,
      },
      {
        from: "2026-04/bulk-operations/bulk-operation-root-count-and-search-filters",
        query: `query BulkOperationsCreatedBeforeFilter { bulkOperations(first: 5, query: "created_at:<2000-01-01") { nodes { id } } }`,
        requested: 5,
      },
      {
        from: "2026-04/bulk-operations/bulk-operations-live-hybrid-base-overlay",
        query: bulkOperations,
        variables: { first: 10, sortKey: "CREATED_AT", reverse: false },
        requested: 6,
      },
      {
        from: "2025-01/products/products-common-search-filters",
        query: `query ProductsCommonSearchFilterSeed {
          products(first: 50, query: "status:ACTIVE", sortKey: UPDATED_AT, reverse: true) { nodes { id title status vendor productType } }
        }`,
        requested: 9,
      },
      {
        from: "2026-04/storefront/storefront-catalog-read-after-admin-setup (an Admin API call)",
        query: `query StorefrontCatalogStockLocationHydrate {
          locations(first: 100, includeInactive: false) { nodes { id name isActive fulfillsOnlineOrders shipsInventory } }
        }`,
        requested: 11,
      },
      {
        from: "2025-01/online-store/article-page-blog-length-validations",
        query: `query OnlineStorePageHandleReservationHydrate($query: String!, $after: String) {
          pages(first: 250, after: $after, query: $query) { nodes { __typename id handle } pageInfo { hasNextPage endCursor } }
        }`,
        variables: { after: null, query: "handle:length-validation-page" },
        requested: 13,
      },
    ]);
  });

  it("prices edges { node } and nodes each when both are selected", () => {
    expectCases([
      {
        from: "2025-01/customers/customer-bounded-overlay-refill",
        query: `query CustomerBoundedOverlayRefillRead($query: String!) {
          customers(first: 2, query: $query, sortKey: NAME) {
            edges { cursor node { email displayName tags } }
            nodes { email displayName tags }
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          }
        }`,
        variables: { query: "tag:bounded-overlay" },
        requested: 2 + 1 + 1,
      },
      {
        from: "2026-04/bulk-operations/bulk-operation-status-catalog-cancel",
        query: `query BulkOperationsCatalogCapture($first: Int, $sortKey: BulkOperationsSortKeys, $reverse: Boolean) {
          bulkOperations(first: $first, sortKey: $sortKey, reverse: $reverse) {
            edges { cursor node { id status type errorCode createdAt completedAt objectCount rootObjectCount fileSize url partialDataUrl query } }
            nodes { id status type errorCode createdAt completedAt objectCount rootObjectCount fileSize url partialDataUrl query }
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          }
        }`,
        variables: { first: 5, sortKey: "CREATED_AT", reverse: true },
        requested: 2 + 3 + 3,
      },
    ]);
  });

  it("multiplies nested connections", () => {
    expectCases([
      {
        // 1 profile + 2 + 11 × (1 item + 1 product + (2 + 11 × 1) variants)
        from: "2026-04/shipping-fulfillments/delivery-profile-default-update",
        query: `query ShippingDeliveryProfileItemsPage($id: ID!, $after: String!) {
          deliveryProfile(id: $id) {
            profileItems(first: 250, after: $after) {
              nodes { id product { id title } variants(first: 250) { nodes { id title } pageInfo { hasNextPage endCursor } } }
              pageInfo { hasNextPage endCursor }
            }
          }
        }`,
        variables: { id: "gid://shopify/DeliveryProfile/1", after: "cursor" },
        requested: 168,
      },
    ]);
  });
});

describe("captured: lists", () => {
  it("prices nodes(ids:) as one object whatever the number of ids", () => {
    expectCases([
      {
        from: "2026-04/bulk-operations/bulk-operation-status-catalog-cancel",
        query: `query BulkOperationNodesRead($ids: [ID!]!) {
          aliasedBatch: nodes(ids: $ids) { __typename ...BulkOperationNodeFields ... on Product { id title } }
        }
        fragment BulkOperationNodeFields on BulkOperation {
          id status type errorCode createdAt completedAt objectCount rootObjectCount fileSize url partialDataUrl query
        }`,
        variables: {
          ids: [
            "gid://shopify/BulkOperation/8072963391794",
            "gid://shopify/BulkOperation/0",
            "gid://shopify/Product/9801098789170",
            "gid://shopify/BulkOperation/8072963391794",
          ],
        },
        requested: 1,
      },
      {
        from: "2026-04/products/selling-plan-group-add-remove-validation",
        query: `query ProductsHydrateNodes($ids: [ID!]!) {
          nodes(ids: $ids) {
            __typename id
            ... on Product { title variants(first: 1) { nodes { id title } } }
            ... on ProductVariant { title product { id } }
          }
        }`,
        variables: { ids: ["gid://shopify/Product/1", "gid://shopify/ProductVariant/2"] },
        requested: 1 + (2 + 1),
      },
    ]);
  });

  it("prices a plain list as one object, a `first` on it notwithstanding", () => {
    expectCases([
      {
        from: "2025-01/orders/fulfillment-multi-tracking-info",
        query: `mutation FulfillmentCreateMultiTracking($fulfillment: FulfillmentInput!, $message: String) {
          fulfillmentCreate(fulfillment: $fulfillment, message: $message) {
            fulfillment { id status displayStatus trackingInfo(first: 5) { number url company } }
            userErrors { field message }
          }
        }`,
        requested: 10 + 1,
      },
      {
        from: "2025-01/orders/draft-order-variant-custom-only-fields",
        query: `mutation DraftOrderVariantCustomOnlyFieldsCalculate($input: DraftOrderInput!) {
          draftOrderCalculate(input: $input) {
            calculatedDraftOrder { lineItems { title quantity custom originalUnitPriceSet { shopMoney { amount currencyCode } } } }
            userErrors { field message }
          }
        }`,
        requested: 10 + 1,
      },
    ]);
  });
});

describe("captured: counts", () => {
  it("charges a search count 10 at the root and below", () => {
    expectCases([
      {
        from: "2025-01/products/products-catalog-page",
        query: `query ProductsCatalogRead($first: Int!) {
          productsCount { count precision }
          products(first: $first, sortKey: UPDATED_AT, reverse: true) {
            edges { cursor node { id legacyResourceId title handle status vendor productType tags totalInventory tracksInventory createdAt updatedAt } }
            pageInfo { hasNextPage endCursor }
          }
        }`,
        variables: { first: 3 },
        requested: 10 + (2 + 2),
      },
      {
        from: "2025-01/segments/segment-mutation-first-hydration",
        query: `query SegmentMutationFirstUpdateRead($id: ID!, $name: String!) {
          detail: segment(id: $id) { id name query creationDate lastEditDate }
          list: segments(first: 10, query: $name) { nodes { id name query creationDate lastEditDate } }
          count: segmentsCount { count precision }
        }`,
        variables: { id: "gid://shopify/Segment/1", name: "x" },
        requested: 1 + (2 + 4) + 10,
      },
      {
        // Blog.articlesCount takes `limit`
        from: "2025-01/online-store/online-store-authoritative-content-hydration",
        query: `query OnlineStoreBlogMutationHydrate($id: ID!, $after: String) {
          blog(id: $id) {
            __typename id title handle commentPolicy tags templateSuffix createdAt updatedAt
            articlesCount { count precision }
            metafields(first: 250, after: $after) {
              nodes { __typename id namespace key type value jsonValue compareDigest ownerType createdAt updatedAt }
              pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
            }
          }
        }`,
        variables: { id: "gid://shopify/Blog/1", after: null },
        requested: 1 + 10 + 13,
      },
    ]);
  });

  it("charges a count that is not a search 1", () => {
    expectCases([
      {
        from: "2026-04/selling-plans/selling-plan-group-live-hybrid-existing-resource",
        query: `query SellingPlanGroupProductVariantMembershipProbe($groupId0: ID!, $resourceId0: ID!) {
          probe0: sellingPlanGroup(id: $groupId0) {
            id
            membership: appliesToProductVariant(productVariantId: $resourceId0)
            productVariantsCount { count precision }
          }
        }`,
        variables: {
          groupId0: "gid://shopify/SellingPlanGroup/1",
          resourceId0: "gid://shopify/ProductVariant/2",
        },
        requested: 2,
      },
    ]);
  });
});

describe("captured: objects that cost nothing, or more", () => {
  it("charges nothing for money, weights, a shop's address, collection rules and consent states", () => {
    expectCases([
      {
        from: "2025-01/orders/draft-order-complete-already-paid",
        query: `mutation DraftOrderCompleteAlreadyPaidCreate($input: DraftOrderInput!) {
          draftOrderCreate(input: $input) {
            draftOrder { id name status ready tags totalPriceSet { shopMoney { amount currencyCode } } }
            userErrors { field message }
          }
        }`,
        requested: 10,
      },
      {
        from: "2025-01/gift-cards/gift-card-live-hybrid-overlay-windowing",
        query: `mutation GiftCardLiveHybridOverlayCreate($code: String!, $initialValue: Decimal!, $expiresOn: Date!) {
          giftCardCreate(input: { code: $code, initialValue: $initialValue, expiresOn: $expiresOn }) {
            giftCard { id lastCharacters enabled expiresOn initialValue { amount currencyCode } balance { amount currencyCode } }
            userErrors { field message }
          }
        }`,
        requested: 10,
      },
      {
        from: "2026-04/b2b/b2b-contact-update-customer-readback",
        query: `query B2BShopCountryHydrate { shop { shopAddress { countryCodeV2 countryCode } } }`,
        requested: 1,
      },
      {
        // nodes 1, variant 1, selectedOptions 1, product 1, inventoryLevels 2 + 7 × 3; measurement and weight 0
        from: "2026-04/products/inventory-quantity-contracts-2026-04",
        query: `query ProductsHydrateNodes($ids: [ID!]!) {
          nodes(ids: $ids) {
            __typename id
            ... on InventoryItem {
              tracked requiresShipping
              measurement { weight { unit value } }
              variant { id title inventoryQuantity selectedOptions { name value } product { id title handle status totalInventory tracksInventory } }
              inventoryLevels(first: 50) {
                nodes { id location { id name } quantities(names: ["available", "on_hand", "committed"]) { name quantity updatedAt } }
              }
            }
          }
        }`,
        variables: { ids: ["gid://shopify/InventoryItem/1"] },
        requested: 27,
      },
      {
        // collection 1, image 1, productsCount 1, seo 1, ruleSet and rules 0, products 2 + 2 × 1; missing 1
        from: "2025-01/products/collection-detail",
        query: `query CollectionHandleRead($customCollectionHandle: String!, $productId: ID!) {
          customCollection: collectionByHandle(handle: $customCollectionHandle) {
            id legacyResourceId title handle updatedAt description descriptionHtml
            image { id url altText width height }
            productsCount { count precision }
            hasProduct(id: $productId) sortOrder templateSuffix
            seo { title description }
            ruleSet { appliedDisjunctively rules { column relation condition } }
            products(first: 3) {
              edges { cursor node { id title handle vendor productType tags totalInventory tracksInventory } }
              pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
            }
          }
          missingCollection: collectionByHandle(handle: "missing-handle-for-parity") { id }
        }`,
        variables: { customCollectionHandle: "frontpage", productId: "gid://shopify/Product/1" },
        requested: 9,
      },
      {
        from: "2026-07/customers/customer-input-inline-consent-parity",
        query: `mutation CustomerInputInlineConsentCreate($input: CustomerInput!) {
          customerCreate(input: $input) {
            customer {
              id email
              defaultEmailAddress { emailAddress marketingState marketingOptInLevel marketingUpdatedAt }
              defaultPhoneNumber { phoneNumber marketingState marketingOptInLevel marketingUpdatedAt marketingCollectedFrom }
              emailMarketingConsent { marketingState marketingOptInLevel consentUpdatedAt }
              smsMarketingConsent { marketingState marketingOptInLevel consentUpdatedAt consentCollectedFrom }
            }
            userErrors { field message }
          }
        }`,
        requested: 12,
      },
    ]);
  });

  it("charges nothing for a customer's addresses, but a draft order's address 1", () => {
    expectCases([
      {
        from: "2025-01/customers/customers-keyed-search-filters",
        query: `mutation CustomersKeyedSearchCreate($input: CustomerInput!) {
          customerCreate(input: $input) {
            customer {
              id email firstName lastName displayName state tags
              defaultAddress { address1 city province provinceCode country countryCodeV2 zip formattedArea }
            }
            userErrors { field message }
          }
        }`,
        requested: 10,
      },
      {
        // customer 1, addresses 0, addressesV2 2+1+1, companyContactProfiles 1, orders 2+1+1, events 2+1+1,
        // metafield 1, metafields 2+1+1, lastOrder 1
        from: "2025-01/customers/customer-nested-subresources",
        query: `query CustomerNestedSubresourcesRead($id: ID!) {
          customer(id: $id) {
            id
            addresses { address1 city }
            addressesV2(first: 2) { nodes { address1 city } edges { cursor node { address1 city } } pageInfo { hasNextPage } }
            companyContactProfiles { id }
            orders(first: 2) { nodes { id } edges { cursor node { id } } pageInfo { hasNextPage } }
            events(first: 2) { nodes { id } edges { cursor node { id } } pageInfo { hasNextPage } }
            metafield(namespace: "custom", key: "tier") { id namespace key }
            metafields(first: 2) { nodes { id namespace key } edges { cursor node { id namespace key } } pageInfo { hasNextPage } }
            lastOrder { id }
          }
        }`,
        variables: { id: "gid://shopify/Customer/1" },
        requested: 20,
      },
    ]);
  });

  it("charges a store credit account's balance 5", () => {
    expectCases([
      {
        from: "2026-04/admin-platform/by-id-not-found-read",
        query: `query CustomerPaymentByIdNotFound($customerPaymentMethodId: ID!, $storeCreditAccountId: ID!) {
          missingCustomerPaymentMethod: customerPaymentMethod(id: $customerPaymentMethodId) { __typename }
          missingStoreCreditAccount: storeCreditAccount(id: $storeCreditAccountId) { __typename }
        }`,
        variables: { customerPaymentMethodId: "x", storeCreditAccountId: "y" },
        requested: 2,
      },
      {
        // account 1 + balance 5 + owner (the Customer branch: 1 + 1 + 1 + 0 + 13)
        from: "2026-04/customers/store-credit-account-parity",
        query: `query StoreCreditAccountHydrate($id: ID!) {
          storeCreditAccount(id: $id) {
            id
            balance { amount currencyCode }
            owner {
              ... on Customer {
                id firstName lastName displayName email
                defaultEmailAddress { emailAddress }
                defaultPhoneNumber { phoneNumber }
                defaultAddress { id address1 city }
                addressesV2(first: 250) { nodes { id address1 city } }
              }
              ... on CompanyLocation { id name }
            }
          }
        }`,
        variables: { id: "gid://shopify/StoreCreditAccount/1" },
        requested: 22,
      },
    ]);
  });
});

describe("captured: mutations", () => {
  it("charges 10 per mutation field plus the payload below its own objects", () => {
    expectCases([
      {
        from: "2025-01/customers/customer-bounded-overlay-refill",
        query: `mutation CustomerLiveHybridOverlayCreate($input: CustomerInput!) {
          customerCreate(input: $input) {
            customer { id email firstName lastName displayName state tags defaultEmailAddress { emailAddress } defaultPhoneNumber { phoneNumber } }
            userErrors { field message }
          }
        }`,
        requested: 12,
      },
      {
        // 10 + trackingInfo 1 + fulfillmentLineItems (2 + 3 × (1 + lineItem 1))
        from: "2025-01/orders/fulfillment-tracking-info-update-parity",
        query: `mutation FulfillmentLifecycleCreate($fulfillment: FulfillmentInput!, $message: String) {
          fulfillmentCreate(fulfillment: $fulfillment, message: $message) {
            fulfillment {
              id status displayStatus
              trackingInfo { number url company }
              fulfillmentLineItems(first: 5) { nodes { id quantity lineItem { id title } } }
            }
            userErrors { field message }
          }
        }`,
        requested: 19,
      },
      {
        from: "2025-01/customers/unknown-customer-mutations (customers/ capture)",
        query: `mutation ($customerId: ID!, $customerPaymentMethodId: ID!) {
          customerGenerateAccountActivationUrl(customerId: $customerId) { accountActivationUrl userErrors { field message } }
          customerSendAccountInviteEmail(customerId: $customerId) { customer { id } userErrors { field message } }
          customerPaymentMethodSendUpdateEmail(customerPaymentMethodId: $customerPaymentMethodId) { customer { id } userErrors { field message } }
        }`,
        requested: 30,
      },
    ]);
  });

  it("charges the mutations Shopify prices otherwise their own price", () => {
    expectCases([
      {
        from: "2026-04/payments/order-capture-validation",
        query: `mutation OrderCaptureValidation($input: OrderCaptureInput!) {
          orderCapture(input: $input) {
            transaction {
              id kind status gateway
              amountSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
              parentTransaction { id kind status }
            }
            userErrors { field message }
          }
        }`,
        requested: 21,
      },
      {
        from: "2026-04/bulk-operations/bulk-operation-root-count-and-search-filters",
        query: `mutation BulkOperationRootCountProductCreateMedia($productId: ID!, $media: [CreateMediaInput!]!) {
          productCreateMedia(productId: $productId, media: $media) { media { id alt mediaContentType status } mediaUserErrors { field message } }
        }`,
        requested: 20,
      },
      {
        from: "2026-04/orders/fulfillment-state-preconditions (June 2026; April's captures show 11)",
        query: `mutation FulfillmentStatePreconditionsTracking($fulfillmentId: ID!, $trackingInfoInput: FulfillmentTrackingInput!, $notifyCustomer: Boolean) {
          fulfillmentTrackingInfoUpdate(fulfillmentId: $fulfillmentId, trackingInfoInput: $trackingInfoInput, notifyCustomer: $notifyCustomer) {
            fulfillment { id status displayStatus trackingInfo { number url company } }
            userErrors { field message }
          }
        }`,
        requested: 51,
      },
      {
        from: "2025-01/segments/segment-authoritative-prerequisites",
        query: `mutation CustomerSegmentMembersQueryAuthoritativeSegmentId($input: CustomerSegmentMembersQueryInput!) {
          customerSegmentMembersQueryCreate(input: $input) { customerSegmentMembersQuery { id currentCount done } userErrors { field code message } }
        }`,
        requested: 2,
      },
    ]);
  });
});

describe("captured: introspection, minimum, Storefront API", () => {
  it("prices introspection objects and charges a query at least 1", () => {
    expectCases([
      {
        from: "2026-04/shipping-fulfillments/fulfillment-event-create-validation",
        query: `query FulfillmentEventStatusEnumIntrospection { __type(name: "FulfillmentEventStatus") { kind enumValues { name } } }`,
        requested: 2,
      },
      {
        from: "2026-04/markets/market-localization-money-metafield-remove-parity",
        query: `query MarketsMutationPreflightHydrate { __typename }`,
        requested: 1,
      },
    ]);
  });

  it("prices Storefront API requests by shape, payload objects included", () => {
    expectCases([
      {
        from: "2026-04/storefront/storefront-cart-strict-address-validation",
        query: `mutation StorefrontCartStrictAddressCreate($input: CartInput) {
          cartCreate(input: $input) { cart { id } userErrors { field message code } }
        }`,
        requested: 12,
        surface: "storefront",
      },
      {
        from: "2026-04/storefront/storefront-customer-profile-address-order-lifecycle",
        query: `mutation StorefrontCustomerAuthTokenCreate($input: CustomerAccessTokenCreateInput!) {
          customerAccessTokenCreate(input: $input) {
            customerAccessToken { accessToken expiresAt }
            customerUserErrors { field message code }
            userErrors { field message }
          }
        }`,
        requested: 13,
        surface: "storefront",
      },
      {
        from: "2026-04/storefront/storefront-customer-profile-address-order-lifecycle",
        query: `mutation StorefrontCustomerAuthCreate($input: CustomerCreateInput!) {
          customerCreate(input: $input) {
            customer {
              id email firstName lastName displayName acceptsMarketing createdAt updatedAt numberOfOrders tags
              addresses(first: 2) { nodes { id } pageInfo { hasNextPage hasPreviousPage } }
            }
            customerUserErrors { field message code }
            userErrors { field message }
          }
        }`,
        requested: 16,
        surface: "storefront",
      },
    ]);
  });
});

describe("captured: actual cost", () => {
  const bulkOperationsQuery = `query BulkOperationsBaseOverlayPreRun($first: Int!) {
    bulkOperations(first: $first) { nodes { id status } pageInfo { hasNextPage } }
  }`;
  const operation = (id: number) => ({ id: `gid://shopify/BulkOperation/${id}`, status: "COMPLETED" });
  const actual = (query: string, variables: Record<string, unknown>, data: unknown) => {
    const document = parse(query);
    const requested = requestedQueryCost(schema, document, undefined, variables);
    return Math.min(requested, actualQueryCost(schema, document, undefined, variables, data));
  };

  it("charges the items a connection returned, at most what was requested", () => {
    // 2026-04/bulk-operations/bulk-operations-live-hybrid-base-overlay: first 10 returned 2 → 6 requested,
    // 4 actual; first 3 returned 3 → 4 and 4.
    const two = { bulkOperations: { nodes: [operation(1), operation(2)], pageInfo: { hasNextPage: false } } };
    expect(actual(bulkOperationsQuery, { first: 10 }, two)).toBe(4);
    const three = { bulkOperations: { nodes: [1, 2, 3].map(operation), pageInfo: { hasNextPage: true } } };
    expect(actual(bulkOperationsQuery, { first: 3 }, three)).toBe(4);
  });

  it("charges a mutation's actual like its requested cost when nothing in it is a connection", () => {
    // customers/2026-04-invite-email-validation: the invite with a userError cost 10 and 10
    const invite = `mutation ($customerId: ID!, $email: EmailInput) {
      customerSendAccountInviteEmail(customerId: $customerId, email: $email) { customer { id state } userErrors { field message code } }
    }`;
    const data = {
      customerSendAccountInviteEmail: {
        customer: null,
        userErrors: [{ field: ["email", "subject"], message: "Subject can't be blank", code: "INVALID" }],
      },
    };
    expect(actual(invite, { customerId: "gid://shopify/Customer/1", email: { subject: "" } }, data)).toBe(10);
  });
});

// The app's operations: each `#graphql` document in app/graphql and the aliased invite batch. Shopify's
// figure for each is the captured one where the operation (or its twin) was captured, otherwise the one
// the captured rules give; none may be priced below it.
describe("the app's operations", () => {
  const root = resolve(here, "../..");
  const documents = new Map<string, string>();
  for (const file of readdirSync(join(root, "app/graphql"))) {
    const match = /`#graphql([\s\S]*?)`/.exec(readFileSync(join(root, "app/graphql", file), "utf8"));
    if (match) documents.set(file.replace(/\.ts$/, ""), match[1]!);
  }
  const price = (name: string, variables: Record<string, unknown> = {}) =>
    requestedQueryCost(schema, parse(documents.get(name)!), undefined, variables);
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `gid://shopify/Customer/${i + 1}`);

  it("prices every operation at Shopify's figure", () => {
    const figures: [string, Record<string, unknown>, number, string][] = [
      // captured: customers/2026-04-invite-email-validation (10 each)
      ["CustomerSendAccountInviteEmailMutation", {}, 10, "captured"],
      // captured: 2026-04/storefront/storefront-customer-auth-lifecycle (an Admin call, 10)
      ["CustomerGenerateAccountActivationUrlMutation", {}, 10, "captured"],
      // captured twin: CustomerDuplicateHydrate, customers(first: 1) { nodes { id } } = 3
      ["CustomerSearchCheckQuery", { query: "x" }, 3, "captured twin"],
      // search count: productsCount / segmentsCount = 10
      ["CustomersCountQuery", { query: null }, 10, "rule"],
      // nodes(ids:) is one object (BulkOperationNodesRead: 4 ids = 1): 1 + defaultEmailAddress 1
      ["CustomerProfilesQuery", { ids: ids(250) }, 2, "rule"],
      ["CustomerSnapshotsQuery", { ids: ids(250) }, 2, "rule"],
      ["CustomerStatesQuery", { ids: ids(250) }, 1, "rule"],
      ["CustomerOutcomeStatesQuery", { ids: ids(250) }, 1, "rule"],
      ["CustomerTaggedSnapshotsQuery", { ids: ids(250) }, 2, "rule"],
      // 2 + m(first) × (1 + defaultEmailAddress 1)
      ["CustomersPageQuery", { first: 250, query: null, after: null }, 2 + 11 * 2, "rule"],
      ["CustomersPageQuery", { first: 50, query: null, after: null }, 2 + 7 * 2, "rule"],
      // shop 1 (CustomerDeleteShopHydrate: shop { … primaryDomain { … } } = 2)
      ["ShopCustomerAccountsQuery", {}, 2, "rule"],
      ["ShopEmailsQuery", {}, 1, "rule"],
      // not captured: a connection asked only for totalCount, priced as one item per slot (errs high)
      ["AudienceSegmentCountQuery", { query: "x" }, 3, "uncaptured"],
      ["CustomerStateCountsQuery", {}, 4 * 3, "uncaptured"],
      // captured: bulkOperationRunQuery and bulkOperationCancel 10 each, bulkOperation(id:) 1
      // (shopify-captures/bulk-operations, every run, cancel and status read)
      ["BulkCustomersRunMutation", { query: "{ customers { edges { node { id } } } }" }, 10, "captured"],
      ["BulkOperationCancelMutation", { id: "gid://shopify/BulkOperation/1" }, 10, "captured"],
      ["BulkOperationStatusQuery", { id: "gid://shopify/BulkOperation/1" }, 1, "captured"],
      // captured: shopify-captures/flow (six aliased calls cost 6, three 3)
      ["FlowTriggerReceiveMutation", { handle: "h", payload: {} }, 1, "captured"],
      // 2 + m(first) × member 1 (the app reserves SEGMENT_PAGE_COST = 13)
      [
        "SegmentMembersPageQuery",
        { segmentId: "gid://shopify/Segment/1", first: 250, after: null },
        2 + 11,
        "rule",
      ],
      // segment 1 + the members connection as above
      ["SegmentSummaryQuery", { segmentId: "gid://shopify/Segment/1", first: 250 }, 1 + 2 + 11, "rule"],
    ];
    expect(new Set(figures.map(([name]) => name))).toEqual(new Set(documents.keys()));
    for (const [name, variables, figure] of figures) {
      expect({ name, cost: price(name, variables) }).toEqual({ name, cost: figure });
    }
  });

  // The batch as app/services/sending/inviteBatchDocument.ts builds it (the emulator does not import the
  // app): the invite mutation's field repeated as i0, i1, … with one $cN per alias and a shared $email.
  function inviteBatch(size: number): { query: string; variables: Record<string, unknown> } {
    const operation = parse(documents.get("CustomerSendAccountInviteEmailMutation")!).definitions.find(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    )!;
    const field = operation.selectionSet.selections[0] as FieldNode;
    const email = operation.variableDefinitions!.find((v) => v.variable.name.value === "email")!;
    const customerId = operation.variableDefinitions!.find((v) => v.variable.name.value === "customerId")!;
    const variable = (name: string) =>
      ({ kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: name } }) as const;
    const indexes = Array.from({ length: size }, (_, i) => i);
    const query = print({
      kind: Kind.DOCUMENT,
      definitions: [
        {
          ...operation,
          name: { kind: Kind.NAME, value: "CustomerSendAccountInviteEmailBatch" },
          variableDefinitions: [
            email,
            ...indexes.map((i) => ({ ...customerId, variable: variable(`c${i}`) })),
          ],
          selectionSet: {
            kind: Kind.SELECTION_SET,
            selections: indexes.map((i) => ({
              ...field,
              alias: { kind: Kind.NAME, value: `i${i}` },
              arguments: field.arguments!.map((a) =>
                a.name.value === "customerId" ? { ...a, value: variable(`c${i}`) } : a,
              ),
            })),
          },
        },
      ],
    });
    const variables: Record<string, unknown> = { email: null };
    for (const i of indexes) variables[`c${i}`] = `gid://shopify/Customer/${i + 1}`;
    return { query, variables };
  }

  it("prices the invite batch 10 per alias, as Shopify prices aliased mutations", () => {
    for (const size of [1, 2, 10, 100]) {
      const { query, variables } = inviteBatch(size);
      expect(query.match(/customerSendAccountInviteEmail\(/g)).toHaveLength(size);
      expect(requestedQueryCost(schema, parse(query), undefined, variables)).toBe(10 * size);
    }
  });
});

describe("the replay (src/costCalibration.ts)", () => {
  const entry = (source: string, query: string, requested: number): CalibrationEntry => ({
    source,
    query,
    variables: {},
    requestedQueryCost: requested,
    actualQueryCost: null,
  });

  it("takes the Storefront API's requests to be the storefront area's that the Admin schema rejects", () => {
    const cart = "mutation { cartCreate(input: {}) { cart { id } } }";
    const shop = "{ shop { id } }";
    expect(surfaceOf(entry("s/2026-04/storefront/f.json", cart, 0), parse(cart), schema)).toBe("storefront");
    expect(surfaceOf(entry("s/2026-04/storefront/f.json", shop, 0), parse(shop), schema)).toBe("admin");
    expect(surfaceOf(entry("s/2026-04/orders/f.json", cart, 0), parse(cart), schema)).toBe("admin");
  });

  it("counts exact, over and under and lists the worst misses", () => {
    const results = replayCalibration(schema, [
      entry("s/2026-04/shop/a.json", "{ shop { id } }", 1),
      entry("s/2026-04/shop/b.json", "{ shop { id primaryDomain { id } } }", 1),
      entry("s/2026-04/customers/c.json", "{ customers(first: 250) { nodes { id } } }", 252),
    ]);
    const summary = summarize(results);
    expect(summary.requested).toEqual({ total: 3, exact: 1, over: 1, under: 1 });
    expect(summary.worst.map((r) => r.entry.requestedQueryCost)).toEqual([252, 1]);
    expect(formatReport(summary)).toContain("exact     1 (33.3 %)");
  });

  const captures = resolve(here, "../../../shared/shopify-captures");
  it.skipIf(!existsSync(join(captures, "costs/cost-calibration.json")))(
    "prices at least 95 % of the captured requests exactly",
    () => {
      const entries = readCalibration(captures);
      const summary = summarize(replayCalibration(schema, entries, readCapturedAnswers(captures, entries)));
      expect(summary.requested.exact / summary.requested.total).toBeGreaterThanOrEqual(0.95);
      expect(summary.actual.total).toBeGreaterThan(0);
    },
  );
});
