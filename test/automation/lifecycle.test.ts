import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { subscriptionsFromToml } from "../../emulator/src/appToml";
import prisma from "~/db.server";
import { createCampaignOnce } from "~/models/ledger.server";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { installShop, outbox, testWorker } from "../support/invites";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhookReceiver";

// An invite to its end, on the emulator's clock: activated (customers/enable, or the reconciliation when
// that webhook is lost), declined (customers/update), or reminded while still INVITED, up to the
// campaign's number of reminders, until it expires 30 days after the last one.

const shop = "lifecycle.myshopify.com";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let emulator: TestEmulator;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  emulator = await startTestEmulator({ appUrl: receiver.url });
  await installShop(emulator, { domain: shop, customers: 0 });
});
afterAll(async () => {
  await emulator?.close();
  await receiver?.close();
});

async function createCustomers(names: string[]) {
  const { customers } = await emulator.control<{ customers: { id: string }[] }>(
    "POST",
    `shops/${shop}/customers`,
    {
      customers: names.map((name) => ({ firstName: name, email: `${name.toLowerCase()}@example.com` })),
    },
  );
  return customers.map((c) => c.id);
}

const act = (id: string, what: "activate" | "decline") =>
  emulator.control("POST", `customers/${encodeURIComponent(id)}/${what}?shop=${shop}`);

async function invitesTo(id: string) {
  return (await outbox(emulator, shop)).filter((e) => e.customerId === id).length;
}

async function rowsOf(customerId: string) {
  return prisma.recipient.findMany({
    where: { shop, customerId },
    orderBy: { createdAt: "asc" },
    include: { campaign: { select: { origin: true, parentCampaignId: true } } },
  });
}

describe("an invite's lifecycle", () => {
  it("reminds on schedule, stops at activation and decline, catches a lost webhook, and expires after 30 days", async () => {
    const [ana, bo, cy, dee] = await createCustomers(["Ana", "Bo", "Cy", "Dee"]);
    const worker = testWorker({ now: emulator.now });
    const advance = async (ms: number) => {
      emulator.advance(ms);
      await worker.runOnce();
      await worker.runOnce();
      await emulator.settleWebhooks();
    };

    // GIVEN a campaign reminding after 3 days, at most twice
    const { campaign } = await createCampaignOnce({
      shop,
      source: "selection",
      customerIds: [ana!, bo!, cy!, dee!],
      includeDeclined: false,
      requestedBy: "1",
      idempotencyKey: "lifecycle",
      reminders: { afterDays: 3, max: 2 },
    });
    await worker.runOnce();
    await emulator.settleWebhooks();
    expect((await outbox(emulator, shop)).length).toBe(4);

    // WHEN Dee activates (customers/enable) and Cy declines (customers/update)
    await act(dee!, "activate");
    await act(cy!, "decline");
    await emulator.settleWebhooks();
    expect((await rowsOf(dee!))[0]).toMatchObject({ outcome: "activated", followUpAt: null });
    expect((await rowsOf(dee!))[0]!.outcomeAt).toBeInstanceOf(Date);
    expect((await rowsOf(cy!))[0]).toMatchObject({ outcome: "declined" });

    // AND Bo activates while the webhooks are lost (Shopify gave up after its retries)
    await emulator.control("POST", "webhooks", {
      subscriptions: { "customers/enable": "", "customers/update": "" },
    });
    await act(bo!, "activate");
    await emulator.control("POST", "webhooks", { subscriptions: subscriptionsFromToml("shopify.app.toml") });
    expect((await rowsOf(bo!))[0]!.outcome).toBeNull();

    // THEN the reconciliation reads Bo's state within 12 hours
    await advance(13 * HOUR);
    const [boRow] = await rowsOf(bo!);
    expect(boRow).toMatchObject({ outcome: "activated", followUpAt: null });
    expect(boRow!.outcomeAt!.getTime()).toBeLessThanOrEqual(emulator.now().getTime());
    expect(await invitesTo(ana!)).toBe(1);

    // WHEN 3 days have passed: Ana, still INVITED, gets her first reminder, and only she does
    await advance(3 * DAY - 13 * HOUR + HOUR);
    expect(await invitesTo(ana!)).toBe(2);
    for (const other of [bo!, cy!, dee!]) expect(await invitesTo(other)).toBe(1);
    let ana1 = await rowsOf(ana!);
    expect(
      ana1.map((r) => [r.campaign.origin, r.reminderNumber, r.status, r.outcome, r.outcomeReason]),
    ).toEqual([
      ["campaign", 0, "sent", "expired", "SUPERSEDED"],
      ["reminder", 1, "sent", null, null],
    ]);
    expect(ana1[1]!.campaign.parentCampaignId).toBe(campaign.id);

    // AND 3 days later the second, then no more (at most two)
    await advance(3 * DAY);
    expect(await invitesTo(ana!)).toBe(3);
    await advance(3 * DAY);
    await advance(3 * DAY);
    expect(await invitesTo(ana!)).toBe(3);

    // WHEN 30 days pass after the last reminder without activation, it expires
    await advance(25 * DAY);
    ana1 = await rowsOf(ana!);
    expect(ana1.map((r) => [r.reminderNumber, r.outcome, r.outcomeReason])).toEqual([
      [0, "expired", "SUPERSEDED"],
      [1, "expired", "SUPERSEDED"],
      [2, "expired", "EXPIRED"],
    ]);
    expect(ana1.every((r) => r.followUpAt === null)).toBe(true);

    // AND every counter moved with its row
    const root = await prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(root).toMatchObject({ sentCount: 4, activatedCount: 2, declinedCount: 1, expiredCount: 1 });
    const reminders = await prisma.campaign.findMany({ where: { shop, origin: "reminder" } });
    expect(reminders.map((r) => [r.total, r.sentCount, r.expiredCount])).toEqual([
      [1, 1, 1],
      [1, 1, 1],
    ]);
    // AND nothing is left for the worker: no follow-up due, ever
    expect(await prisma.shopPacer.findUnique({ where: { shop }, select: { followUpAt: true } })).toEqual({
      followUpAt: null,
    });
  }, 180_000);

  it("stops reminders when the customer activates before the reminder is due", async () => {
    const [eve] = await createCustomers(["Eve"]);
    const worker = testWorker({ now: emulator.now });
    await createCampaignOnce({
      shop,
      source: "selection",
      customerIds: [eve!],
      includeDeclined: false,
      requestedBy: "1",
      idempotencyKey: "stops",
      reminders: { afterDays: 2, max: 3 },
    });
    await worker.runOnce();
    await act(eve!, "activate");
    await emulator.settleWebhooks();
    emulator.advance(5 * DAY);
    await worker.runOnce();
    await worker.runOnce();
    expect(await invitesTo(eve!)).toBe(1);
    expect((await rowsOf(eve!)).map((r) => r.outcome)).toEqual(["activated"]);
  }, 60_000);
});
