// Customer states only (1 point per customer): resolves recipients left in `sending` after a crash or
// an unanswered request, by comparing with the state recorded before the send.
export const CustomerStatesQuery = `#graphql
  query CustomerStates($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Customer {
        id
        state
      }
    }
  }
`;
