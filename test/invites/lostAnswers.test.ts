import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { findCampaign } from "~/models/Campaign.server";
import { createCampaign } from "~/services/campaigns/campaigns.server";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { countBy, customers, installShop, outbox, testWorker } from "../support/invites";

// The case the crash guarantee exists for: Shopify ran the invites and the answer was lost (a 502 or 504
// after execution, a dropped socket, an answer after the client gave up). Every such batch is settled by
// the customers' states once the request can no longer be running: nobody is invited twice, nobody is
// lost, and customers without an account (DISABLED → INVITED proves the send) end decided.

const shop = "lost-answers.myshopify.com";
let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator?.close());

describe("answers lost after Shopify ran the request", () => {
  it("sends 2,000+ invites with none twice and none lost", { timeout: 180_000 }, async () => {
    // GIVEN 2,400 customers without an account, and a Shopify that loses ~14% of invite answers after
    // running them, in four different ways
    await installShop(emulator, {
      domain: shop,
      customers: 3_800,
      seed: 41,
      custom: { maximumAvailable: 2_000, restoreRate: 20_000 },
    });
    const targets = (await customers(emulator, shop)).filter((c) => c.state === "DISABLED" && c.email);
    expect(targets.length).toBeGreaterThanOrEqual(2_000);
    await emulator.control("POST", "faults", {
      shop,
      lostAfter502Rate: 0.05,
      lostAfter504Rate: 0.04,
      lostAfterResetRate: 0.03,
      lostAfterDelayRate: 0.02,
      lostAfterDelayMs: 1_500,
      lostAfterMutationsOnly: true,
      seed: 7,
    });
    const campaigns = [];
    for (let start = 0; start < targets.length; start += 1_000) {
      const { campaign } = await createCampaign({
        shop,
        requestedBy: "42",
        input: {
          customerIds: targets.slice(start, start + 1_000).map((c) => c.id),
          includeDeclined: false,
          idempotencyKey: `lost-${start}`,
        },
      });
      campaigns.push(campaign.id);
    }

    // WHEN the worker runs with a request timeout shorter than the late answers
    const worker = testWorker({ maxBatch: 10, requestTimeoutMs: 1_000, uncertainGraceMs: 1_200 });
    worker.start();
    try {
      for (let i = 0; i < 3_000; i++) {
        const rows = await Promise.all(campaigns.map((id) => findCampaign({ shop, id })));
        if (rows.every((c) => c?.status === "completed")) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await worker.stop();
    }

    // THEN the faults really happened, on at least 10 % of invite requests and 20 answers
    const stats = await emulator.control<Record<string, number>>("GET", `stats?shop=${shop}`);
    const lost = stats.lostAfter502! + stats.lostAfter504! + stats.lostAfterReset! + stats.lostAfterDelay!;
    expect(lost).toBeGreaterThanOrEqual(20);
    expect(lost / worker.stats.inviteRequests).toBeGreaterThanOrEqual(0.1);
    // AND every customer got exactly one invite, and the ledger says sent for exactly those customers
    const perCustomer = countBy(await outbox(emulator, shop), (e) => e.customerId);
    expect([...perCustomer.values()].every((n) => n === 1)).toBe(true);
    const rows = await prisma.recipient.findMany({ where: { campaignId: { in: campaigns } } });
    const sent = rows.filter((r) => r.status === "sent").map((r) => r.customerId);
    expect(new Set(sent)).toEqual(new Set(perCustomer.keys()));
    expect(sent).toHaveLength(targets.length);
    // AND nothing was left undecided: DISABLED → INVITED proves each lost send
    expect(rows.filter((r) => r.status !== "sent")).toEqual([]);
    console.warn(
      `lost answers: ${lost} of ${worker.stats.inviteRequests} invite requests (${(
        (100 * lost) /
        worker.stats.inviteRequests
      ).toFixed(1)} %), ${targets.length} invites, 0 duplicates, 0 lost, 0 uncertain`,
    );
  });
});
