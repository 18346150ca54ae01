// A segment's name, how many customers it holds now, and its first members: the dry run of
// "Invite this segment" (extensions/invite-segment) decides eligibility on those first members.
export const SegmentSummaryQuery = `#graphql
  query SegmentSummary($segmentId: ID!, $first: Int!) {
    segment(id: $segmentId) {
      id
      name
    }
    customerSegmentMembers(segmentId: $segmentId, first: $first) {
      totalCount
      edges {
        node {
          id
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`;
