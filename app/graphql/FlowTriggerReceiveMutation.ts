// Starts the merchant's workflows that begin with the app's trigger "Account invite sent"
// (extensions/account-invite-sent). The worker sends several aliased copies per request
// (app/services/flow/flowTriggerBatchDocument.ts); each alias has its own userErrors.
export const FlowTriggerReceiveMutation = `#graphql
  mutation FlowTriggerReceive($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors {
        field
        message
      }
    }
  }
`;
