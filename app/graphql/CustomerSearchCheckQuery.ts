// Whether Shopify understands a customer search: one customer is enough for Shopify to report, in
// `extensions.search`, the terms it ignored (an unknown field such as `tags:vip`). A campaign is only
// recorded for a search without warnings (services/customers/searchCheck.server.ts).
export const CustomerSearchCheckQuery = `#graphql
  query CustomerSearchCheck($query: String!) {
    customers(first: 1, query: $query) {
      nodes {
        id
      }
    }
  }
`;
