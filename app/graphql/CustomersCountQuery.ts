// How many customers a search matches (the new-campaign page's live count). `limit: null` counts them
// all; Shopify's default stops at 10,000 with precision AT_LEAST.
export const CustomersCountQuery = `#graphql
  query CustomersCount($query: String) {
    customersCount(query: $query, limit: null) {
      count
      precision
    }
  }
`;
