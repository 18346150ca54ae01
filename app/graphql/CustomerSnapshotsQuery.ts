// What eligibility needs about up to 250 customers (Shopify's limit for `nodes(ids:)`). The email
// address is only tested for presence (app/services/shopify/customerReads.server.ts) and never stored or logged.
export const CustomerSnapshotsQuery = `#graphql
  query CustomerSnapshots($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Customer {
        id
        state
        defaultEmailAddress {
          emailAddress
        }
      }
    }
  }
`;
