// What eligibility needs about up to 250 customers (Shopify's limit for `nodes(ids:)`). "Has an email"
// is the presence of the default email address, read through `validFormat`, not the address itself:
// the address is protected customer data (Level 2), so a shop that granted Level 1 only can run
// campaigns (app/services/shopify/customerReads.server.ts). Tags only when a rule needs them (automatic
// invites with required tags: customer webhooks carry no tags since 2025-01).
export const CustomerSnapshotsQuery = `#graphql
  query CustomerSnapshots($ids: [ID!]!, $withTags: Boolean = false) {
    nodes(ids: $ids) {
      ... on Customer {
        id
        state
        defaultEmailAddress {
          validFormat
        }
        tags @include(if: $withTags)
      }
    }
  }
`;
