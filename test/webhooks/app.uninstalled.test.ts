import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { createCampaignOnce } from "~/models/ledger.server";
import { action } from "~/routes/webhooks.app.uninstalled";
import { storeOfflineSession } from "../support/sessions";
import { responseStatus, signedWebhookRequest } from "../support/webhooks";
import { routeArgs } from "../support/requests";

const shop = "uninstalling.myshopify.com";

describe("webhook app/uninstalled", () => {
  it("removes the shop's sessions and nobody else's", async () => {
    await storeOfflineSession(shop);
    await storeOfflineSession("other.myshopify.com");
    const request = signedWebhookRequest({
      topic: "app/uninstalled",
      shop,
      payload: { id: 1, domain: shop },
    });
    expect(await responseStatus(() => action(routeArgs(request)))).toBe(200);
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
    expect(await prisma.session.count({ where: { shop: "other.myshopify.com" } })).toBe(1);
  });

  it("is safe to receive twice", async () => {
    const again = () => signedWebhookRequest({ topic: "app/uninstalled", shop, payload: { id: 1 } });
    expect(await responseStatus(() => action(routeArgs(again())))).toBe(200);
    expect(await responseStatus(() => action(routeArgs(again())))).toBe(200);
  });

  it("refuses a request with a bad HMAC and keeps the sessions", async () => {
    await storeOfflineSession("kept.myshopify.com");
    const forged = signedWebhookRequest({
      topic: "app/uninstalled",
      shop: "kept.myshopify.com",
      payload: {},
      secret: "forged",
    });
    expect(await responseStatus(() => action(routeArgs(forged)))).toBe(401);
    expect(await prisma.session.count({ where: { shop: "kept.myshopify.com" } })).toBe(1);
  });

  it("pauses the shop's unfinished campaigns, which the merchant resumes after reinstalling", async () => {
    const { campaign } = await createCampaignOnce({
      shop,
      source: "selection",
      customerIds: ["gid://shopify/Customer/1"],
      includeDeclined: false,
      requestedBy: "1",
      idempotencyKey: "before-uninstall",
    });
    const other = await createCampaignOnce({
      shop: "other.myshopify.com",
      source: "selection",
      customerIds: ["gid://shopify/Customer/1"],
      includeDeclined: false,
      requestedBy: "1",
      idempotencyKey: "other-shop",
    });
    const request = signedWebhookRequest({ topic: "app/uninstalled", shop, payload: { id: 1 } });
    expect(await responseStatus(() => action(routeArgs(request)))).toBe(200);
    expect((await prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe("paused");
    expect((await prisma.campaign.findUniqueOrThrow({ where: { id: other.campaign.id } })).status).toBe(
      "queued",
    );
  });
});
