// States of up to 250 invited customers with the time of their last change: the reconciliation of open
// invites (app/services/automation/followUps.server.ts) reads whether each activated or declined, and
// when at the latest (an activation is a change, so `updatedAt` is never before it).
export const CustomerOutcomeStatesQuery = `#graphql
  query CustomerOutcomeStates($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Customer {
        id
        state
        updatedAt
      }
    }
  }
`;
