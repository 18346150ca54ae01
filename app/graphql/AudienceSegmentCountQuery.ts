// How many customers an audience of account states and tags holds: segment members of the same
// criteria in ShopifyQL, `totalCount` over all of them (services/customers/audienceCount.server.ts).
export const AudienceSegmentCountQuery = `#graphql
  query AudienceSegmentCount($query: String!) {
    customerSegmentMembers(first: 1, query: $query) {
      totalCount
    }
  }
`;
