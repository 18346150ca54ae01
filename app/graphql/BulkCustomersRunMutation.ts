// Starts a bulk query (a query campaign's targets above BULK_READ_THRESHOLD, decision 010): `$query` is
// the bulk query's text, built in services/shopify/bulkOperations.server.ts. Costs 10 points; the
// operation's reads do not spend the bucket.
export const BulkCustomersRunMutation = `#graphql
  mutation BulkCustomersRun($query: String!) {
    bulkOperationRunQuery(query: $query) {
      bulkOperation {
        id
        status
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;
