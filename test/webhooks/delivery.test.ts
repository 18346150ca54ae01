import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { pauseShopCampaigns } from "~/models/Campaign.server";
import { createCampaignOnce } from "~/models/ledger.server";
import { recordInstallation } from "~/models/ShopInstallation.server";
import { action as uninstalled } from "~/routes/webhooks.app.uninstalled";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { storeOfflineSession } from "../support/sessions";
import { responseStatus, signedWebhookRequest } from "../support/webhooks";
import { routeArgs } from "../support/requests";

// What every webhook route does around its handler (app/services/webhooks/webhookDelivery.server.ts):
// one action per event, the verified header's shop only, nothing from an earlier installation.

async function campaignFor(shop: string, customerId: string, key: string) {
  return (
    await createCampaignOnce({
      shop,
      source: "selection",
      customerIds: [customerId],
      includeDeclined: false,
      requestedBy: "1",
      idempotencyKey: key,
    })
  ).campaign;
}

describe("webhook deliveries", () => {
  it("acts once per event: a retry of a handled event is acknowledged without acting again", async () => {
    const shop = "dedupe.myshopify.com";
    const customer = "gid://shopify/Customer/191167";
    await campaignFor(shop, customer, "first");
    const payload = { shop_domain: shop, customer: { id: 191167 }, orders_to_redact: [] };
    const eventId = "event-redact-1";
    const deliver = () =>
      responseStatus(() =>
        customersRedact(
          routeArgs(signedWebhookRequest({ topic: "customers/redact", shop, payload, eventId })),
        ),
      );
    expect(await deliver()).toBe(200);
    expect(await prisma.recipient.count({ where: { shop, customerId: customer } })).toBe(0);

    // GIVEN the customer was invited again after the redaction
    await campaignFor(shop, customer, "second");
    // WHEN Shopify retries the same event
    expect(await deliver()).toBe(200);
    // THEN nothing is deleted a second time
    expect(await prisma.recipient.count({ where: { shop, customerId: customer } })).toBe(1);
    expect(await prisma.webhookEvent.count({ where: { shop, eventId } })).toBe(1);
  });

  it("refuses a compliance payload naming another shop than its verified header, and deletes nothing", async () => {
    const victim = "victim.myshopify.com";
    await storeOfflineSession(victim);
    await campaignFor(victim, "gid://shopify/Customer/5", "victim");
    const replayed = signedWebhookRequest({
      topic: "shop/redact",
      shop: victim,
      payload: { shop_id: 1, shop_domain: "attacker.myshopify.com" },
    });
    expect(await responseStatus(() => shopRedact(routeArgs(replayed)))).toBe(400);
    expect(await prisma.session.count({ where: { shop: victim } })).toBe(1);
    expect(await prisma.campaign.count({ where: { shop: victim } })).toBe(1);

    const uninstall = signedWebhookRequest({
      topic: "app/uninstalled",
      shop: victim,
      payload: { id: 1, myshopify_domain: "attacker.myshopify.com" },
    });
    expect(await responseStatus(() => uninstalled(routeArgs(uninstall)))).toBe(400);
    expect(await prisma.session.count({ where: { shop: victim } })).toBe(1);
  });

  it("ignores an app/uninstalled triggered before the current installation", async () => {
    const shop = "reinstalled.myshopify.com";
    const uninstalledAt = new Date(Date.now() - 60_000);
    // GIVEN the merchant reinstalled after uninstalling (a new session, a new installation)
    await recordInstallation({ shop, now: new Date(Date.now() - 1_000) });
    await storeOfflineSession(shop);
    const campaign = await campaignFor(shop, "gid://shopify/Customer/9", "after-reinstall");
    // WHEN the uninstall of the earlier installation arrives late
    const late = signedWebhookRequest({
      topic: "app/uninstalled",
      shop,
      payload: { id: 1, myshopify_domain: shop },
      triggeredAt: uninstalledAt,
    });
    expect(await responseStatus(() => uninstalled(routeArgs(late)))).toBe(200);
    // THEN the new session and the campaign are untouched
    expect(await prisma.session.count({ where: { shop } })).toBe(1);
    expect((await prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe("queued");

    // AND an uninstall of the current installation still acts, pausing with the reason
    const current = signedWebhookRequest({
      topic: "app/uninstalled",
      shop,
      payload: { id: 1, myshopify_domain: shop },
    });
    expect(await responseStatus(() => uninstalled(routeArgs(current)))).toBe(200);
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
    expect(await prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).toMatchObject({
      status: "paused",
      failureCode: "UNINSTALLED",
    });
    // AND the worker's 401 a moment later keeps the more precise reason
    await pauseShopCampaigns({ shop, code: "ACCESS_REVOKED" });
    expect((await prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).failureCode).toBe(
      "UNINSTALLED",
    );
  });
});
