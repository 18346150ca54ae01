// A bulk operation's status (1 point): polled when no bulk_operations/finish webhook came, and read for
// the result file's URL (the webhook does not carry it).
export const BulkOperationStatusQuery = `#graphql
  query BulkOperationStatus($id: ID!) {
    bulkOperation(id: $id) {
      id
      status
      errorCode
      objectCount
      url
    }
  }
`;
