// One page of a saved segment's members (a segment campaign's targets, app/services/sending/targets.server.ts).
// Member ids are gid://shopify/CustomerSegmentMember/<n> with the customer's id as <n>; their state and
// email come from CustomerSnapshots. Pages of up to 1,000 are allowed; the app reads 250 (one nodes read).
export const SegmentMembersPageQuery = `#graphql
  query SegmentMembersPage($segmentId: ID!, $first: Int!, $after: String) {
    customerSegmentMembers(segmentId: $segmentId, first: $first, after: $after) {
      edges {
        node {
          id
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
