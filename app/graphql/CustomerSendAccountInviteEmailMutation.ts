// One account invite. The sender sends many per request: services/sending/inviteBatchDocument.ts repeats this
// exact field selection under aliases, so every alias's answer has this operation's generated type.
export const CustomerSendAccountInviteEmailMutation = `#graphql
  mutation CustomerSendAccountInviteEmail($customerId: ID!, $email: EmailInput) {
    customerSendAccountInviteEmail(customerId: $customerId, email: $email) {
      customer {
        id
        state
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;
