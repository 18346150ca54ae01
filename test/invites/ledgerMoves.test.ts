import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { markCampaignRunning } from "~/models/Campaign.server";
import { cancelCampaign, createCampaignOnce, markBatchSending, settleSending } from "~/models/ledger.server";
import { acquireShopLease } from "~/models/ShopPacer.server";
import { controlCampaign } from "~/services/campaigns/campaigns.server";

// The ledger's moves under concurrency: a cancel while a batch is out, and the re-invite window checked
// again when a batch is marked `sending`.

const owner = "test-worker";

async function runningSelection(shop: string, customerIds: string[], key: string) {
  const { campaign } = await createCampaignOnce({
    shop,
    source: "selection",
    customerIds,
    includeDeclined: false,
    requestedBy: "1",
    idempotencyKey: key,
  });
  await markCampaignRunning({ shop, id: campaign.id });
  await prisma.recipient.updateMany({
    where: { campaignId: campaign.id },
    data: { checkedAt: new Date(), stateBefore: "DISABLED" },
  });
  const rows = await prisma.recipient.findMany({
    where: { campaignId: campaign.id },
    orderBy: { id: "asc" },
  });
  return { campaign, rows };
}

describe("a cancel while a batch is in flight", () => {
  it("never puts the batch's rows back in the queue", async () => {
    const shop = "cancel-in-flight.myshopify.com";
    await acquireShopLease({ shop, owner, ttlMs: 60_000 });
    const { campaign, rows } = await runningSelection(
      shop,
      ["gid://shopify/Customer/1", "gid://shopify/Customer/2", "gid://shopify/Customer/3"],
      "c",
    );
    const batch = rows.slice(0, 2);
    await markBatchSending({
      shop,
      campaignId: campaign.id,
      recipients: batch,
      owner,
      leaseTtlMs: 60_000,
      reinviteWindowHours: 24,
    });
    // WHEN the merchant cancels while the request is out, and the request turns out throttled (requeue)
    expect(await cancelCampaign({ shop, id: campaign.id })).toBe(true);
    await settleSending({
      shop,
      campaignId: campaign.id,
      outcomes: batch.map((r) => ({ recipientId: r.id, to: "queued", refundAttempt: true })),
    });
    // THEN nothing is queued: the batch's rows are skipped as cancelled, like the rest of the queue
    const after = await prisma.recipient.findMany({ where: { campaignId: campaign.id } });
    expect(after.map((r) => [r.status, r.reasonCode])).toEqual([
      ["skipped", "CANCELLED"],
      ["skipped", "CANCELLED"],
      ["skipped", "CANCELLED"],
    ]);
    expect(await prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).toMatchObject({
      status: "cancelled",
      queuedCount: 0,
      sendingCount: 0,
      skippedCount: 3,
    });
  });
});

describe("the re-invite window, checked again at send time", () => {
  it("skips a customer another campaign has sent or is sending to since eligibility was decided", async () => {
    const shop = "send-time.myshopify.com";
    await acquireShopLease({ shop, owner, ttlMs: 60_000 });
    const a = await runningSelection(shop, ["gid://shopify/Customer/1", "gid://shopify/Customer/2"], "a");
    const b = await runningSelection(
      shop,
      ["gid://shopify/Customer/1", "gid://shopify/Customer/2", "gid://shopify/Customer/3"],
      "b",
    );
    // GIVEN campaign A sent customer 1 and is sending to customer 2 right now
    await markBatchSending({
      shop,
      campaignId: a.campaign.id,
      recipients: a.rows,
      owner,
      leaseTtlMs: 60_000,
      reinviteWindowHours: 24,
    });
    await settleSending({
      shop,
      campaignId: a.campaign.id,
      outcomes: [{ recipientId: a.rows[0]!.id, to: "sent" }],
    });
    // WHEN campaign B, decided eligible earlier, marks its batch
    const marked = await markBatchSending({
      shop,
      campaignId: b.campaign.id,
      recipients: b.rows,
      owner,
      leaseTtlMs: 60_000,
      reinviteWindowHours: 24,
    });
    // THEN only customer 3 is sent; 1 and 2 are skipped with the window's reason
    expect(marked.sending).toEqual([b.rows[2]!.id]);
    const rows = await prisma.recipient.findMany({
      where: { campaignId: b.campaign.id },
      orderBy: { id: "asc" },
    });
    expect(rows.map((r) => [r.customerId, r.status, r.reasonCode, r.reasonParams])).toEqual([
      ["gid://shopify/Customer/1", "skipped", "INVITED_RECENTLY", JSON.stringify({ hours: 24 })],
      ["gid://shopify/Customer/2", "skipped", "INVITED_RECENTLY", JSON.stringify({ hours: 24 })],
      ["gid://shopify/Customer/3", "sending", null, null],
    ]);
    expect(await prisma.campaign.findUniqueOrThrow({ where: { id: b.campaign.id } })).toMatchObject({
      queuedCount: 0,
      sendingCount: 1,
      skippedCount: 2,
    });
  });
});

describe("invites in doubt, resolved by the merchant", () => {
  async function withUncertain(shop: string, key: string) {
    const { campaign, rows } = await runningSelection(
      shop,
      ["gid://shopify/Customer/1", "gid://shopify/Customer/2", "gid://shopify/Customer/3"],
      key,
    );
    await acquireShopLease({ shop, owner, ttlMs: 60_000 });
    await markBatchSending({
      shop,
      campaignId: campaign.id,
      recipients: rows,
      owner,
      leaseTtlMs: 60_000,
      reinviteWindowHours: 24,
    });
    await settleSending({
      shop,
      campaignId: campaign.id,
      outcomes: [
        { recipientId: rows[0]!.id, to: "sent" },
        { recipientId: rows[1]!.id, to: "failed", reasonCode: "UNCERTAIN" },
        { recipientId: rows[2]!.id, to: "failed", reasonCode: "UNCERTAIN" },
      ],
    });
    return campaign;
  }

  it("marks them as sent, once, with the counters following", async () => {
    const shop = "resolve-sent.myshopify.com";
    const campaign = await withUncertain(shop, "m");
    const first = await controlCampaign({ shop, id: campaign.id, intent: "mark-sent", requestedBy: "1" });
    expect(first).toMatchObject({
      kind: "changed",
      message: { key: "campaign.markedSent", values: { count: 2 } },
    });
    expect(
      await controlCampaign({ shop, id: campaign.id, intent: "mark-sent", requestedBy: "1" }),
    ).toMatchObject({
      kind: "unchanged",
    });
    expect(await prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).toMatchObject({
      sentCount: 3,
      failedCount: 0,
    });
  });

  it("sends them again in one new campaign, however often the button is pressed", async () => {
    const shop = "resolve-resend.myshopify.com";
    const campaign = await withUncertain(shop, "r");
    const first = await controlCampaign({
      shop,
      id: campaign.id,
      intent: "resend-uncertain",
      requestedBy: "1",
    });
    const again = await controlCampaign({
      shop,
      id: campaign.id,
      intent: "resend-uncertain",
      requestedBy: "1",
    });
    expect(first).toMatchObject({ kind: "retry-created", created: true });
    expect(again).toMatchObject({ kind: "retry-created", created: false });
    if (first.kind !== "retry-created" || again.kind !== "retry-created") throw new Error("no retry");
    expect(again.campaignId).toBe(first.campaignId);
    const resend = await prisma.recipient.findMany({ where: { campaignId: first.campaignId } });
    expect(resend.map((r) => r.customerId).sort()).toEqual([
      "gid://shopify/Customer/2",
      "gid://shopify/Customer/3",
    ]);
    // AND the source rows say what the merchant chose (no longer "in doubt")
    const source = await prisma.recipient.findMany({ where: { campaignId: campaign.id, status: "failed" } });
    expect(source.every((r) => r.reasonCode === "RESEND_REQUESTED")).toBe(true);
  });
});
