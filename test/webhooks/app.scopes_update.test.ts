import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action } from "~/routes/webhooks.app.scopes_update";
import { storeOfflineSession } from "../support/sessions";
import { responseStatus, signedWebhookRequest } from "../support/webhooks";
import { routeArgs } from "../support/requests";

const shop = "scopes.myshopify.com";

describe("webhook app/scopes_update", () => {
  it("records the scopes the merchant granted on the shop's sessions", async () => {
    await storeOfflineSession(shop, "read_customers");
    const request = signedWebhookRequest({
      topic: "app/scopes_update",
      shop,
      payload: { id: 1, previous: ["read_customers"], current: ["read_customers", "write_customers"] },
    });
    expect(await responseStatus(() => action(routeArgs(request)))).toBe(200);
    const session = await prisma.session.findUniqueOrThrow({ where: { id: `offline_${shop}` } });
    expect(session.scope).toBe("read_customers,write_customers");
  });

  it("acknowledges a payload without scopes and changes nothing", async () => {
    const request = signedWebhookRequest({ topic: "app/scopes_update", shop, payload: { id: 1 } });
    expect(await responseStatus(() => action(routeArgs(request)))).toBe(200);
    const session = await prisma.session.findUniqueOrThrow({ where: { id: `offline_${shop}` } });
    expect(session.scope).toBe("read_customers,write_customers");
  });

  it("refuses a bad HMAC", async () => {
    const forged = signedWebhookRequest({
      topic: "app/scopes_update",
      shop,
      payload: { current: [] },
      secret: "x",
    });
    expect(await responseStatus(() => action(routeArgs(forged)))).toBe(401);
  });
});
