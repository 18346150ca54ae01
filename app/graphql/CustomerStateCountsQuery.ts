// The overview's account-state breakdown. `customersCount(query:)` supports only created_at, id and
// updated_at on a live store (any other field is ignored: "state:disabled" counts every customer), so
// the counts come from customer segment members, whose ShopifyQL query filters on the account status,
// with `totalCount` over all members (https://shopify.dev/docs/api/shopifyql/segment-query-language-reference).
export const CustomerStateCountsQuery = `#graphql
  query CustomerStateCounts {
    disabled: customerSegmentMembers(first: 1, query: "customer_account_status = 'DISABLED'") {
      totalCount
    }
    invited: customerSegmentMembers(first: 1, query: "customer_account_status = 'INVITED'") {
      totalCount
    }
    enabled: customerSegmentMembers(first: 1, query: "customer_account_status = 'ENABLED'") {
      totalCount
    }
    declined: customerSegmentMembers(first: 1, query: "customer_account_status = 'DECLINED'") {
      totalCount
    }
  }
`;
