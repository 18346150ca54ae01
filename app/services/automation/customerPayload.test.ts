import { describe, expect, it } from "vitest";
import { webhookCustomer } from "~/services/automation/customerPayload";

describe("the customer of a customer webhook", () => {
  it("reads the REST payload Shopify sends: numeric id, GID, state in lower case, times with an offset", () => {
    expect(
      webhookCustomer({
        id: 706405506930370000,
        admin_graphql_api_id: "gid://shopify/Customer/706405506930370000",
        state: "disabled",
        created_at: "2026-12-02T10:15:00-05:00",
        updated_at: "2026-12-02T10:15:00-05:00",
      }),
    ).toEqual({
      id: "gid://shopify/Customer/706405506930370000",
      state: "DISABLED",
      createdAt: new Date("2026-12-02T15:15:00Z"),
      updatedAt: new Date("2026-12-02T15:15:00Z"),
    });
  });

  it("builds the GID from the numeric id when the payload has none, and refuses a payload without a customer", () => {
    expect(webhookCustomer({ id: 42 })?.id).toBe("gid://shopify/Customer/42");
    expect(webhookCustomer({ id: "not-a-number" })).toBeNull();
    expect(webhookCustomer({ shop_domain: "x.myshopify.com" })).toBeNull();
  });
});
