// CustomerSnapshots with the customers' tags: automatic invites that require tags read them when the
// invite is due (customer webhooks carry no tags since 2025-01). A document of its own, so campaigns
// that need no tags are not charged for them.
export const CustomerTaggedSnapshotsQuery = `#graphql
  query CustomerTaggedSnapshots($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Customer {
        id
        state
        defaultEmailAddress {
          validFormat
        }
        tags
      }
    }
  }
`;
