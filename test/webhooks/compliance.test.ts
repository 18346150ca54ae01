import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action as dataRequest } from "~/routes/webhooks.customers.data_request";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { storeOfflineSession } from "../support/sessions";
import { responseStatus, signedWebhookRequest } from "../support/webhooks";
import { routeArgs } from "../support/requests";

const shop = "compliance.myshopify.com";
const customerPayload = {
  shop_id: 954889,
  shop_domain: shop,
  customer: { id: 191167, email: "john@example.com", phone: "555-625-1199" },
  orders_requested: [],
  data_request: { id: 9999 },
};

// Shopify's mandatory compliance webhooks: 401 on a bad HMAC, 2xx to acknowledge, safe to repeat.
describe.each([
  ["customers/data_request", dataRequest, customerPayload],
  ["customers/redact", customersRedact, { ...customerPayload, orders_to_redact: [] }],
  ["shop/redact", shopRedact, { shop_id: 954889, shop_domain: shop }],
] as const)("compliance webhook %s", (topic, action, payload) => {
  it("acknowledges a signed request, twice", async () => {
    for (let i = 0; i < 2; i++) {
      const request = signedWebhookRequest({ topic, shop, payload });
      expect(await responseStatus(() => action(routeArgs(request)))).toBe(200);
    }
  });

  it("answers 401 to a bad HMAC", async () => {
    const forged = signedWebhookRequest({ topic, shop, payload, secret: "forged-secret" });
    expect(await responseStatus(() => action(routeArgs(forged)))).toBe(401);
  });

  it("acknowledges a payload without the expected fields instead of failing", async () => {
    const request = signedWebhookRequest({ topic, shop, payload: {} });
    expect(await responseStatus(() => action(routeArgs(request)))).toBe(200);
  });
});

describe("shop/redact", () => {
  it("deletes everything the app holds for the shop", async () => {
    await storeOfflineSession(shop);
    const request = signedWebhookRequest({ topic: "shop/redact", shop, payload: { shop_domain: shop } });
    expect(await responseStatus(() => shopRedact(routeArgs(request)))).toBe(200);
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
  });
});
