// What eligibility needs about up to 250 customers (Shopify's limit for `nodes(ids:)`). "Has an email"
// is the presence of the default email address, read through `validFormat`, not the address itself:
// the address is protected customer data (Level 2), so a shop that granted Level 1 only can run
// campaigns (app/services/shopify/customerReads.server.ts).
export const CustomerSnapshotsQuery = `#graphql
  query CustomerSnapshots($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Customer {
        id
        state
        defaultEmailAddress {
          validFormat
        }
      }
    }
  }
`;
