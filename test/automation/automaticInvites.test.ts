import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { saveAutomationSettings } from "~/models/AutomationSettings.server";
import { action as customersCreate } from "~/routes/webhooks.customers.create";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { customers, installShop, outbox, testWorker } from "../support/invites";
import { routeArgs } from "../support/requests";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhookReceiver";
import { signedWebhookRequest } from "../support/webhooks";

// Automatic invites end to end: the emulator delivers customers/create for a bulk import to the app's
// route, the route records due invites, the worker (on the emulator's clock) sends them once due, in
// batches, after reading each customer again (state, email, tags).

const shop = "auto-import.myshopify.com";
const MINUTE = 60_000;
let emulator: TestEmulator;
let receiver: WebhookReceiver;

interface Stats {
  mutations: number;
  requests: number;
}

const stats = async () => emulator.control<Stats>("GET", `stats?shop=${shop}`);

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  emulator = await startTestEmulator({ appUrl: receiver.url });
  // A large bucket: the test is about how many requests, not about waiting for points.
  await installShop(emulator, {
    domain: shop,
    customers: 0,
    custom: { maximumAvailable: 100_000, restoreRate: 10_000 },
  });
});
afterAll(async () => {
  await emulator?.close();
  await receiver?.close();
});

/** The i-th imported customer: some without email, some with an account already, some without the tags. */
function imported(i: number) {
  return {
    firstName: `Import${i}`,
    lastName: "Customer",
    email: i % 10 === 0 ? null : `import-${i}@example.com`,
    state: i % 25 === 0 ? "ENABLED" : "DISABLED",
    tags: i % 7 === 0 ? ["retail"] : i % 2 === 0 ? ["Wholesale"] : ["b2b", "vip"],
  };
}

describe("automatic invites of an import", () => {
  it("turns 5,000 customers/create webhooks into exactly one invite per eligible customer, after the delay, in batched requests", async () => {
    // GIVEN automatic invites after one hour, for customers tagged wholesale or b2b
    await saveAutomationSettings({
      shop,
      values: { autoInviteEnabled: true, autoInviteDelayMinutes: 60, autoInviteTags: ["wholesale", "B2B"] },
    });
    const worker = testWorker({ now: emulator.now, maxInFlight: 3 });

    // WHEN the merchant imports 5,000 customers (Shopify sends customers/create for each)
    const count = 5_000;
    for (let start = 0; start < count; start += 1_000) {
      await emulator.control("POST", `shops/${shop}/customers`, {
        customers: Array.from({ length: 1_000 }, (_, k) => imported(start + k)),
        webhooks: true,
      });
    }
    await emulator.settleWebhooks();
    // (A delivery that timed out under load is retried by the emulator, as by Shopify, and acknowledged
    // again without acting twice.)
    const { deliveries } = await emulator.control<{ deliveries: { status: string }[] }>(
      "GET",
      `webhooks/deliveries?shop=${shop}&topic=customers/create`,
    );
    expect(deliveries.length).toBe(count);
    expect(deliveries.every((d) => d.status === "delivered")).toBe(true);
    expect([...receiver.statuses.keys()]).toEqual([200]);

    // THEN due invites are recorded (not for customers who already have an account), in few campaigns
    const enabledAtImport = Array.from({ length: count }, (_, i) => imported(i)).filter(
      (c) => c.state === "ENABLED",
    );
    const automatic = await prisma.campaign.findMany({ where: { shop, origin: "automatic" } });
    expect(automatic.length).toBeGreaterThanOrEqual(1);
    expect(automatic.length).toBeLessThanOrEqual(3);
    expect(automatic.reduce((sum, c) => sum + c.total, 0)).toBe(count - enabledAtImport.length);
    const firstCreated = Math.min(...automatic.map((c) => c.createdAt.getTime()));
    expect(automatic.every((c) => c.dueAt && c.dueAt.getTime() >= firstCreated + 59 * MINUTE)).toBe(true);
    expect(automatic.every((c) => c.dueAt! > emulator.now())).toBe(true);

    // AND before the delay nothing is sent, and the worker does not even read Shopify
    const before = await stats();
    await worker.runOnce();
    expect(await outbox(emulator, shop)).toEqual([]);
    expect((await stats()).requests).toBe(before.requests);

    // GIVEN, during the delay, one customer creates their own account and one is invited from Shopify admin
    const all = await customers(emulator, shop);
    const selfEnabled = all.find((c) => c.state === "DISABLED" && c.email)!;
    const invitedByHand = all.find((c) => c.state === "DISABLED" && c.email && c.id !== selfEnabled.id)!;
    await emulator.control("PATCH", `customers/${encodeURIComponent(selfEnabled.id)}?shop=${shop}`, {
      state: "ENABLED",
    });
    await emulator.control("PATCH", `customers/${encodeURIComponent(invitedByHand.id)}?shop=${shop}`, {
      state: "INVITED",
    });

    // WHEN the delay has passed
    emulator.advance(75 * MINUTE);
    for (let turn = 0; turn < 5; turn++) await worker.runOnce();

    // THEN exactly the eligible customers got one invite each
    const byId = new Map((await customers(emulator, shop)).map((c) => [c.id, c]));
    const expected = [...byId.values()].filter((c) => {
      const i = Number(c.email?.match(/import-(\d+)@/)?.[1] ?? -1);
      return (
        i >= 0 &&
        imported(i).state === "DISABLED" &&
        i % 7 !== 0 &&
        c.id !== selfEnabled.id &&
        c.id !== invitedByHand.id
      );
    });
    const sent = await outbox(emulator, shop);
    expect(new Set(sent.map((e) => e.customerId)).size).toBe(sent.length);
    expect(sent.map((e) => e.customerId).sort()).toEqual(expected.map((c) => c.id).sort());
    expect(expected.length).toBeGreaterThan(count * 0.6);

    // AND in batched requests: ≤ 100 invites each (at most one partial batch per page of 250 customers
    // read), a snapshot read per 250 customers. (Other mutations, the Flow trigger's events, are not
    // invite requests: the emulator's log counts each request's invite aliases.)
    const after = await stats();
    const { requests: mutationLog } = await emulator.control<{ requests: { invites: number }[] }>(
      "GET",
      `mutation-requests?shop=${shop}`,
    );
    const inviteRequests = mutationLog.filter((r) => r.invites > 0);
    expect(inviteRequests.reduce((sum, r) => sum + r.invites, 0)).toBe(expected.length);
    expect(inviteRequests.length).toBeLessThanOrEqual(
      Math.ceil(expected.length / 100) + Math.ceil(count / 250) + 5,
    );
    const reads = after.requests - before.requests - (after.mutations - before.mutations);
    expect(reads).toBeLessThanOrEqual(Math.ceil(count / 250) + 10);

    // AND every campaign completed with exact counters, each skip with its reason
    const done = await prisma.campaign.findMany({ where: { shop, origin: "automatic" } });
    expect(done.every((c) => c.status === "completed")).toBe(true);
    expect(done.reduce((sum, c) => sum + c.sentCount, 0)).toBe(expected.length);
    const reasons = await prisma.recipient.groupBy({
      by: ["reasonCode"],
      where: { shop, status: "skipped" },
      _count: { _all: true },
    });
    const reasonCounts = Object.fromEntries(reasons.map((r) => [r.reasonCode, r._count._all]));
    expect(reasonCounts).toMatchObject({ NO_EMAIL: expect.any(Number), MISSING_TAGS: expect.any(Number) });
    expect(reasonCounts.ALREADY_INVITED).toBe(1);
    expect(reasonCounts.ACCOUNT_ENABLED).toBe(1);
    const skipped = done.reduce((sum, c) => sum + c.skippedCount, 0);
    expect(skipped + expected.length).toBe(count - enabledAtImport.length);
  }, 600_000);

  it("acts once on a duplicated delivery, and once per customer whatever the event id", async () => {
    const customer = (
      await emulator.control<{ customers: { id: string; legacyResourceId: string; createdAt: string }[] }>(
        "POST",
        `shops/${shop}/customers`,
        { customers: [{ email: "dup@example.com", tags: ["wholesale"] }] },
      )
    ).customers[0]!;
    const payload = {
      id: Number(customer.legacyResourceId),
      admin_graphql_api_id: customer.id,
      state: "disabled",
      created_at: customer.createdAt,
    };
    const deliver = (eventId: string) =>
      customersCreate(routeArgs(signedWebhookRequest({ topic: "customers/create", shop, payload, eventId })));
    expect((await deliver("event-dup-1")).status).toBe(200);
    expect((await deliver("event-dup-1")).status).toBe(200);
    expect((await deliver("event-dup-2")).status).toBe(200);
    expect(await prisma.recipient.count({ where: { shop, customerId: customer.id } })).toBe(1);
    expect(await prisma.webhookEvent.count({ where: { shop, eventId: "event-dup-1" } })).toBe(1);
  });
});
