// Cancels the bulk query of a cancelled campaign (10 points).
export const BulkOperationCancelMutation = `#graphql
  mutation BulkOperationCancel($id: ID!) {
    bulkOperationCancel(id: $id) {
      bulkOperation {
        id
        status
      }
      userErrors {
        field
        message
      }
    }
  }
`;
