// One page of a customer search (a query campaign's targets), with what eligibility needs.
export const CustomersPageQuery = `#graphql
  query CustomersPage($query: String, $after: String, $first: Int!) {
    customers(first: $first, after: $after, query: $query) {
      nodes {
        id
        state
        defaultEmailAddress {
          validFormat
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
