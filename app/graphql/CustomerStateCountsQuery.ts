// The overview's account-state breakdown: one customersCount per state (1 point each), and customers
// with an account whose record changed since the app's first invite.
export const CustomerStateCountsQuery = `#graphql
  query CustomerStateCounts($activatedQuery: String) {
    disabled: customersCount(query: "state:disabled", limit: null) {
      count
    }
    invited: customersCount(query: "state:invited", limit: null) {
      count
    }
    enabled: customersCount(query: "state:enabled", limit: null) {
      count
    }
    declined: customersCount(query: "state:declined", limit: null) {
      count
    }
    activatedSince: customersCount(query: $activatedQuery, limit: null) {
      count
    }
  }
`;
