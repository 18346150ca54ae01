// Links from the app's pages into Shopify admin. An embedded app opens admin pages through App Bridge's
// `shopify://admin/...` URLs (https://shopify.dev/docs/api/app-bridge-library/apis/navigation).

/** The customer's page in Shopify admin. */
export function adminCustomerUrl(customerId: string): string {
  return `shopify://admin/customers/${customerId.slice(customerId.lastIndexOf("/") + 1)}`;
}
