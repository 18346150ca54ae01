// The store's own addresses: the only ones a merchant may put in an invite's bcc or from (a live store
// refuses any other: "Bcc ok@example.com is not a valid bcc address"). Staff members' addresses need
// read_users, which the app does not ask for (services/campaigns/senderAddresses.server.ts).
export const ShopEmailsQuery = `#graphql
  query ShopEmails {
    shop {
      email
      contactEmail
    }
  }
`;
