export const ShopCustomerAccountsQuery = `#graphql
  query ShopCustomerAccounts {
    shop {
      id
      name
      myshopifyDomain
      customerAccountsV2 {
        customerAccountsVersion
      }
    }
  }
`;
