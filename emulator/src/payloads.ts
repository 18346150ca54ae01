// Webhook payloads for the topics the control API can trigger (REST-style JSON, as Shopify sends them).
import { isoSeconds, type Customer, type Shop } from "./model";

export function shopPayload(shop: Shop): Record<string, unknown> {
  return {
    id: shop.numericId,
    name: shop.name,
    email: shop.email,
    domain: shop.domain,
    myshopify_domain: shop.domain,
    customer_email: shop.email,
    created_at: isoSeconds(shop.createdAt),
    updated_at: isoSeconds(shop.createdAt),
    currency: "USD",
    country_code: "US",
    country_name: "United States",
    timezone: "(GMT+00:00) UTC",
    iana_timezone: "Etc/UTC",
    primary_locale: "en",
    plan_name: shop.plan,
    plan_display_name: shop.preset.displayName,
    shop_owner: "Local Owner",
    money_format: "${{amount}}",
  };
}

export function compliancePayload(
  topic: string,
  shop: Shop,
  customer: Customer | null,
  requestId: number,
): Record<string, unknown> {
  const customerPart = customer
    ? { id: customer.id, email: customer.email, phone: customer.phone }
    : { id: null, email: null, phone: null };
  switch (topic) {
    case "customers/data_request":
      return {
        shop_id: shop.numericId,
        shop_domain: shop.domain,
        orders_requested: [],
        customer: customerPart,
        data_request: { id: requestId },
      };
    case "customers/redact":
      return {
        shop_id: shop.numericId,
        shop_domain: shop.domain,
        customer: customerPart,
        orders_to_redact: [],
      };
    case "shop/redact":
      return { shop_id: shop.numericId, shop_domain: shop.domain };
    case "app/uninstalled":
      return shopPayload(shop);
    case "app/scopes_update":
      return {
        id: shop.numericId,
        previous: [],
        current: shop.scopes.split(",").map((s) => s.trim()),
        updated_at: new Date().toISOString(),
      };
    default:
      return { shop_id: shop.numericId, shop_domain: shop.domain };
  }
}
