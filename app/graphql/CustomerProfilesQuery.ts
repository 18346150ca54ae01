// The name and email of the customers on screen (a page of recipients or history), read live and never
// stored. Both are protected customer data (Level 2): a shop that granted Level 1 only answers
// ACCESS_DENIED, and the pages show ids (services/shopify/customerProfiles.server.ts).
export const CustomerProfilesQuery = `#graphql
  query CustomerProfiles($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Customer {
        id
        displayName
        defaultEmailAddress {
          emailAddress
        }
      }
    }
  }
`;
