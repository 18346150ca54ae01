import { withEnglishErrors } from "../support/messages";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { findCampaign } from "~/models/Campaign.server";
import {
  cancelCampaign,
  createCampaign,
  pauseCampaign,
  resumeCampaign,
} from "~/services/campaigns/campaigns.server";
import { previewInvites } from "~/services/campaigns/preview.server";
import { parseCampaignInput } from "~/services/campaigns/campaignInput";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import {
  countBy,
  customers,
  expectedEligible,
  installShop,
  outbox,
  testWorker,
  waitFor,
  reasonText,
} from "../support/invites";

// The invite engine end to end against the local Shopify: the app's services record campaigns, the
// worker sends through admin.graphql (unauthenticated.admin, token exchange), the emulator's outbox
// shows what customers received.

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator?.close());

function input(value: unknown) {
  const parsed = parseCampaignInput(value);
  if (!parsed.success) throw new Error(JSON.stringify(parsed.errors));
  return parsed.data;
}

describe("a campaign of 1,000 selected customers", () => {
  const shop = "invites-1000.myshopify.com";

  it("sends exactly one invite to each eligible customer and none to the others", async () => {
    // GIVEN a shop with 1,000 seeded customers and a fast bucket
    await installShop(emulator, {
      domain: shop,
      customers: 1_000,
      seed: 7,
      custom: { maximumAvailable: 2_000, restoreRate: 20_000 },
    });
    const all = await customers(emulator, shop);
    const eligible = expectedEligible(all);
    expect(all).toHaveLength(1_000);

    // WHEN the merchant starts a campaign for all of them and the worker runs
    const { campaign, created } = await createCampaign({
      shop,
      requestedBy: "42",
      input: input({
        customerIds: all.map((c) => c.id),
        idempotencyKey: "first",
        email: { subject: "Activate your account" },
      }),
    });
    expect(created).toBe(true);
    expect(await outbox(emulator, shop)).toHaveLength(0); // nothing is sent in the request
    const worker = testWorker();
    await worker.runOnce();

    // THEN the outbox holds one invite per eligible customer, with the campaign's subject
    const emails = await outbox(emulator, shop);
    const perCustomer = countBy(emails, (e) => e.customerId);
    expect(new Set(perCustomer.keys())).toEqual(new Set(eligible.map((c) => c.id)));
    expect([...perCustomer.values()].every((n) => n === 1)).toBe(true);
    expect(emails.every((e) => e.subject === "Activate your account")).toBe(true);

    // AND the ledger agrees, with maintained counters and a reason for every skip
    const done = await findCampaign({ shop, id: campaign.id });
    expect(done).toMatchObject({
      status: "completed",
      total: 1_000,
      sentCount: eligible.length,
      skippedCount: 1_000 - eligible.length,
      failedCount: 0,
      queuedCount: 0,
      sendingCount: 0,
    });
    const skipped = await prisma.recipient.findMany({
      where: { shop, campaignId: campaign.id, status: "skipped" },
    });
    expect(skipped.every((r) => r.reasonCode && reasonText(r))).toBe(true);
    const reasons = countBy(skipped, (r) => r.reasonCode ?? "");
    expect(reasons.get("ACCOUNT_ENABLED")).toBe(all.filter((c) => c.state === "ENABLED").length);
    expect(reasons.get("DECLINED")).toBe(all.filter((c) => c.state === "DECLINED").length);
    expect(reasons.get("NO_EMAIL")).toBe(all.filter((c) => !c.email).length);
  });

  it("sends nothing new for the same idempotency key", async () => {
    const all = await customers(emulator, shop);
    const before = (await outbox(emulator, shop)).length;
    const again = await createCampaign({
      shop,
      requestedBy: "42",
      input: input({ customerIds: all.map((c) => c.id), idempotencyKey: "first" }),
    });
    expect(again.created).toBe(false);
    await testWorker().runOnce();
    expect(await outbox(emulator, shop)).toHaveLength(before);
    expect(await prisma.campaign.count({ where: { shop } })).toBe(1);
  });

  it("skips everyone invited in the last 24 hours when a new campaign names them again", async () => {
    const all = await customers(emulator, shop);
    const before = (await outbox(emulator, shop)).length;
    const { campaign } = await createCampaign({
      shop,
      requestedBy: "42",
      input: input({ customerIds: all.slice(0, 100).map((c) => c.id), idempotencyKey: "second" }),
    });
    await testWorker().runOnce();
    expect(await outbox(emulator, shop)).toHaveLength(before);
    const done = await findCampaign({ shop, id: campaign.id });
    expect(done).toMatchObject({ status: "completed", sentCount: 0, skippedCount: 100 });
    const reasons = countBy(
      await prisma.recipient.findMany({ where: { campaignId: campaign.id } }),
      (r) => r.reasonCode ?? "",
    );
    expect(reasons.get("INVITED_RECENTLY")).toBe(expectedEligible(all.slice(0, 100)).length);
  });
});

describe("the dry run", () => {
  const shop = "invites-preview.myshopify.com";

  it("gives the same decisions the worker takes, without writing or sending", async () => {
    const graphql = await installShop(emulator, { domain: shop, customers: 60, seed: 3 });
    const all = await customers(emulator, shop);
    const ids = [...all.map((c) => c.id), "gid://shopify/Customer/999999"];
    const preview = await previewInvites({ graphql, shop, input: { customerIds: ids } });
    if (!preview.success) throw new Error("preview refused");
    expect(preview.summary.eligible).toBe(expectedEligible(all).length);
    expect(preview.customers.at(-1)).toMatchObject({ eligible: false, reason: "NOT_FOUND" });
    expect(await prisma.campaign.count({ where: { shop } })).toBe(0);
    expect(await outbox(emulator, shop)).toHaveLength(0);

    // AND a campaign for the same customers sends to exactly the previewed ones
    await createCampaign({ shop, requestedBy: "7", input: input({ customerIds: ids, idempotencyKey: "p" }) });
    await testWorker().runOnce();
    const sentTo = new Set((await outbox(emulator, shop)).map((e) => e.customerId));
    expect(sentTo).toEqual(new Set(preview.customers.filter((c) => c.eligible).map((c) => c.customerId)));
  });

  it("answers field errors for bad input", async () => {
    const graphql = await installShop(emulator, {
      domain: "invites-preview-2.myshopify.com",
      customers: 1,
      seed: 1,
    });
    expect(
      withEnglishErrors(await previewInvites({ graphql, shop, input: { customerIds: ["nope"] } })),
    ).toMatchObject({
      success: false,
      errors: { "customerIds.0": expect.any(String) },
    });
  });
});

describe("a search-query campaign", () => {
  const shop = "invites-query.myshopify.com";

  it("resolves its targets page by page and invites the eligible ones", async () => {
    await installShop(emulator, {
      domain: shop,
      customers: 600,
      seed: 11,
      custom: { maximumAvailable: 2_000, restoreRate: 20_000 },
    });
    const all = await customers(emulator, shop);
    const disabled = all.filter((c) => c.state === "DISABLED");
    const { campaign } = await createCampaign({
      shop,
      requestedBy: "42",
      input: input({ query: "state:disabled", idempotencyKey: "q" }),
    });
    await testWorker().runOnce();
    const emails = await outbox(emulator, shop);
    expect(new Set(emails.map((e) => e.customerId))).toEqual(
      new Set(disabled.filter((c) => c.email).map((c) => c.id)),
    );
    expect(emails).toHaveLength(disabled.filter((c) => c.email).length);
    expect(await findCampaign({ shop, id: campaign.id })).toMatchObject({
      status: "completed",
      total: disabled.length,
      targetsResolved: true,
      targetCursor: null,
    });
  });
});

describe("pause, resume and cancel", () => {
  const shop = "invites-control.myshopify.com";

  it("pauses before the next request, resumes where it stopped, and cancel keeps what was sent", async () => {
    // GIVEN a slow bucket: 100 invites per second
    await installShop(emulator, {
      domain: shop,
      customers: 800,
      seed: 5,
      custom: { maximumAvailable: 1_000, restoreRate: 1_000 },
    });
    const all = await customers(emulator, shop);
    const eligible = expectedEligible(all);
    const { campaign } = await createCampaign({
      shop,
      requestedBy: "42",
      input: input({ customerIds: all.map((c) => c.id), idempotencyKey: "c" }),
    });
    const worker = testWorker();
    worker.start();
    try {
      // WHEN the merchant pauses once some invites are out
      await waitFor(async () => (await outbox(emulator, shop)).length >= 100);
      expect(await pauseCampaign({ shop, id: campaign.id })).toBe(true);
      await waitFor(async () => (await findCampaign({ shop, id: campaign.id }))?.sendingCount === 0);
      const atPause = (await outbox(emulator, shop)).length;
      // THEN nothing more is sent while paused
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(await outbox(emulator, shop)).toHaveLength(atPause);
      expect(atPause).toBeLessThan(eligible.length);

      // WHEN resumed, sending continues; WHEN cancelled, it stops and the rest is skipped (CANCELLED)
      expect(await resumeCampaign({ shop, id: campaign.id })).toBe(true);
      await waitFor(async () => (await outbox(emulator, shop)).length > atPause + 50);
      expect(await cancelCampaign({ shop, id: campaign.id })).toBe(true);
      await waitFor(async () => (await findCampaign({ shop, id: campaign.id }))?.sendingCount === 0);
      const atCancel = (await outbox(emulator, shop)).length;
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(await outbox(emulator, shop)).toHaveLength(atCancel);
      expect(atCancel).toBeLessThan(eligible.length);

      const final = await findCampaign({ shop, id: campaign.id });
      expect(final).toMatchObject({
        status: "cancelled",
        queuedCount: 0,
        sendingCount: 0,
        sentCount: atCancel,
      });
      const cancelled = await prisma.recipient.count({
        where: { campaignId: campaign.id, reasonCode: "CANCELLED" },
      });
      expect(cancelled).toBeGreaterThan(0);
      // Every send in the outbox is one recipient marked sent, and no customer got two.
      const emails = await outbox(emulator, shop);
      expect(new Set(emails.map((e) => e.customerId)).size).toBe(emails.length);
      expect(await resumeCampaign({ shop, id: campaign.id })).toBe(false);
    } finally {
      await worker.stop();
    }
  });
});
