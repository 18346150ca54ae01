import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { createCampaignOnce } from "~/models/ledger.server";
import { findCampaign } from "~/models/Campaign.server";
import { recordActivationLink } from "~/models/ActivationLink.server";
import { deleteShopData, redactCustomer, reportCustomerData } from "~/services/compliance/shopData.server";

// Compliance: what the invite ledger holds about a customer, and that redaction removes it.

const shop = "ledger-compliance.myshopify.com";
const other = "other-shop.myshopify.com";
const customerId = "gid://shopify/Customer/191167";

async function seedLedger(forShop: string) {
  const { campaign } = await createCampaignOnce({
    shop: forShop,
    source: "selection",
    customerIds: [customerId, "gid://shopify/Customer/2", "gid://shopify/Customer/3"],
    includeDeclined: false,
    requestedBy: "42",
    idempotencyKey: "k",
  });
  await prisma.recipient.updateMany({
    where: { campaignId: campaign.id, customerId },
    data: { status: "sent", stateBefore: "DISABLED", sendingAt: new Date(), finishedAt: new Date() },
  });
  await prisma.campaign.update({ where: { id: campaign.id }, data: { queuedCount: 2, sentCount: 1 } });
  await recordActivationLink({
    shop: forShop,
    customerId,
    issuedAt: new Date(),
    expiresAt: new Date(Date.now() + 86_400_000),
    issuedBy: "42",
    fingerprint: "f".repeat(32),
  });
  return campaign;
}

describe("the invite ledger and compliance", () => {
  it("reports every invite and link it holds for a customer, and nothing else", async () => {
    await seedLedger(shop);
    const report = await reportCustomerData({ shop, customerId });
    expect(report.records.invites).toHaveLength(1);
    expect(report.records.invites![0]).toMatchObject({ customerId, status: "sent", stateBefore: "DISABLED" });
    expect(report.records.activationLinks).toHaveLength(1);
    expect(JSON.stringify(report)).not.toContain("fingerprint");
  });

  it("customers/redact deletes the customer's rows and keeps the campaign counters true", async () => {
    const campaign = await seedLedger(other);
    const [before] = await prisma.campaign.findMany({ where: { shop } });
    const result = await redactCustomer({ shop, customerId });
    expect(result).toMatchObject({ recipients: 1, activationLinks: 1 });
    expect(await prisma.recipient.count({ where: { shop, customerId } })).toBe(0);
    expect(await prisma.activationLink.count({ where: { shop, customerId } })).toBe(0);
    expect(await findCampaign({ shop, id: before!.id })).toMatchObject({
      total: 2,
      sentCount: 0,
      queuedCount: 2,
    });
    // Another shop's customer with the same id is untouched, and a second delivery changes nothing.
    expect(await prisma.recipient.count({ where: { shop: other, customerId } })).toBe(1);
    expect(await findCampaign({ shop: other, id: campaign.id })).toMatchObject({ total: 3 });
    expect(await redactCustomer({ shop, customerId })).toMatchObject({ deleted: 0 });
  });

  it("shop/redact deletes every ledger row of the shop", async () => {
    await deleteShopData({ shop: other });
    for (const count of [
      prisma.campaign.count({ where: { shop: other } }),
      prisma.recipient.count({ where: { shop: other } }),
      prisma.activationLink.count({ where: { shop: other } }),
      prisma.shopPacer.count({ where: { shop: other } }),
    ]) {
      expect(await count).toBe(0);
    }
    expect(await prisma.campaign.count({ where: { shop } })).toBe(1);
  });
});
