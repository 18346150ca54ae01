import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { callApi } from "../support/api";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { customers, expectedEligible, installShop, outbox, testWorker } from "../support/invites";

// "Invite this segment": the dry run of a saved segment, then a campaign over exactly its members,
// resolved by the worker page by page (customerSegmentMembers(segmentId:)), through the JSON API the
// extension calls and the emulator's segments.

const shop = "segment-campaign.myshopify.com";
let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
  await installShop(emulator, {
    domain: shop,
    customers: 700,
    seed: 5,
    custom: { maximumAvailable: 2_000, restoreRate: 20_000 },
  });
});
afterAll(() => emulator?.close());

describe("a campaign over a customer segment", () => {
  it("previews the segment, then invites exactly its eligible members, once each", async () => {
    // GIVEN a saved segment of the shop's wholesale and imported customers (over 250: several pages)
    const segment = await emulator.control<{ id: string; name: string }>("POST", "segments", {
      shop,
      name: "Imported or wholesale",
      query: "customer_tags CONTAINS 'imported' OR customer_tags CONTAINS 'wholesale'",
    });
    const all = await customers(emulator, shop);
    const members = all.filter((c) => ["imported", "wholesale"].some((tag) => c.tags.includes(tag)));
    expect(members.length).toBeGreaterThan(250);
    const eligible = expectedEligible(members);

    // WHEN the merchant opens "Invite this segment": the dry run counts the members and samples 250
    const preview = await callApi("segmentPreview", {
      method: "POST",
      token: { shop },
      body: { segmentId: segment.id },
    });
    expect(preview.status).toBe(200);
    expect(preview.json).toMatchObject({
      segment: { id: segment.id, name: "Imported or wholesale" },
      totalCount: members.length,
      sampled: 250,
      more: true,
    });
    const summary = (preview.json as { summary: { eligible: number; skipped: number } }).summary;
    expect(summary.eligible + summary.skipped).toBe(250);

    // AND confirms: the campaign is recorded with nothing sent yet
    const created = await callApi("campaigns", {
      method: "POST",
      token: { shop },
      body: {
        segmentId: segment.id,
        idempotencyKey: "segment-1",
        email: { subject: "Your account is ready" },
      },
    });
    expect(created.status).toBe(202);
    const campaignId = (created.json as { campaign: { id: string } }).campaign.id;
    expect(await prisma.campaign.findFirst({ where: { shop, id: campaignId } })).toMatchObject({
      origin: "segment",
      source: "segment",
      segmentId: segment.id,
    });
    expect(await outbox(emulator, shop)).toHaveLength(0);

    await testWorker().runOnce();

    // THEN the recipients are exactly the segment's members, and the invites exactly its eligible ones
    const recipients = await prisma.recipient.findMany({
      where: { shop, campaignId },
      select: { customerId: true },
    });
    expect(new Set(recipients.map((r) => r.customerId))).toEqual(new Set(members.map((c) => c.id)));
    expect(recipients).toHaveLength(members.length);
    const emails = await outbox(emulator, shop);
    expect(emails.map((e) => e.customerId).sort()).toEqual(eligible.map((c) => c.id).sort());
    expect(await prisma.campaign.findFirst({ where: { id: campaignId } })).toMatchObject({
      status: "completed",
      total: members.length,
      sentCount: eligible.length,
    });
  });

  it("refuses a segment that does not exist, before recording anything", async () => {
    const missing = "gid://shopify/Segment/987654";
    const preview = await callApi("segmentPreview", {
      method: "POST",
      token: { shop },
      body: { segmentId: missing },
    });
    expect(preview.status).toBe(404);
    const created = await callApi("campaigns", {
      method: "POST",
      token: { shop },
      body: { segmentId: missing, idempotencyKey: "segment-missing" },
    });
    expect(created.status).toBe(404);
    expect(created.json).toMatchObject({ error: "This customer segment does not exist in this shop." });
    const invalid = await callApi("campaigns", {
      method: "POST",
      token: { shop },
      body: { segmentId: "gid://shopify/Customer/1", idempotencyKey: "segment-bad" },
    });
    expect(invalid.status).toBe(400);
    expect(
      await prisma.campaign.count({
        where: { shop, idempotencyKey: { in: ["segment-missing", "segment-bad"] } },
      }),
    ).toBe(0);
  });
});
