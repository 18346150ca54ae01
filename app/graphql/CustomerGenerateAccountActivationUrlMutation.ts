// The answer carries a credential (accountActivationUrl): services/activationLinks.server.ts hands it to
// the caller only, and neither logs nor stores it.
export const CustomerGenerateAccountActivationUrlMutation = `#graphql
  mutation CustomerGenerateAccountActivationUrl($customerId: ID!) {
    customerGenerateAccountActivationUrl(customerId: $customerId) {
      accountActivationUrl
      userErrors {
        field
        message
      }
    }
  }
`;
