import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { findCampaign } from "~/models/Campaign.server";
import { createCampaign } from "~/services/campaigns/campaigns.server";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import {
  countBy,
  customers,
  expectedEligible,
  installShop,
  outbox,
  testWorker,
  reasonText,
} from "../support/invites";

// Shopify misbehaving: 10% of requests answered 5xx, 5% never answered, bursts of THROTTLED answers.

const shop = "faults.myshopify.com";
let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator?.close());

describe("a campaign under faults", () => {
  it("completes with no duplicate invite and a reason for every failure", { timeout: 120_000 }, async () => {
    // GIVEN 600 customers and a shop that fails often
    await installShop(emulator, {
      domain: shop,
      customers: 600,
      seed: 21,
      custom: { maximumAvailable: 1_000, restoreRate: 10_000 },
    });
    const all = await customers(emulator, shop);
    const eligible = expectedEligible(all);
    await emulator.control("POST", "faults", {
      shop,
      errorRate: 0.1,
      errorStatus: 503,
      timeoutRate: 0.05,
      timeoutMs: 2_500, // longer than the app's request timeout: a real timeout
      seed: 4,
    });
    const { campaign } = await createCampaign({
      shop,
      requestedBy: "42",
      input: { customerIds: all.map((c) => c.id), includeDeclined: false, idempotencyKey: "faults" },
    });

    // WHEN the worker runs (small batches: more requests, more faults) with THROTTLED bursts injected
    const worker = testWorker({ maxBatch: 20, requestTimeoutMs: 1_500, uncertainGraceMs: 300 });
    const bursts = setInterval(
      () => void emulator.control("POST", "faults", { shop, throttleBurst: 3 }),
      400,
    );
    try {
      worker.start();
      for (let i = 0; i < 1_000; i++) {
        const current = await findCampaign({ shop, id: campaign.id });
        if (current?.status === "completed") break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      clearInterval(bursts);
      await worker.stop();
    }

    // THEN the campaign completed, every recipient is final, and the counters match the rows
    const done = await findCampaign({ shop, id: campaign.id });
    const rows = await prisma.recipient.findMany({ where: { campaignId: campaign.id } });
    expect(done).toMatchObject({ status: "completed" });
    expect(rows.every((r) => ["sent", "skipped", "failed"].includes(r.status))).toBe(true);
    const byStatus = countBy(rows, (r) => r.status);
    expect(done).toMatchObject({
      sentCount: byStatus.get("sent") ?? 0,
      skippedCount: byStatus.get("skipped") ?? 0,
      failedCount: byStatus.get("failed") ?? 0,
      queuedCount: 0,
      sendingCount: 0,
    });

    // AND nobody received two invites; everyone marked sent received exactly one
    const emails = await outbox(emulator, shop);
    const perCustomer = countBy(emails, (e) => e.customerId);
    expect([...perCustomer.values()].every((n) => n === 1)).toBe(true);
    const sent = rows.filter((r) => r.status === "sent").map((r) => r.customerId);
    expect(new Set(perCustomer.keys())).toEqual(new Set(sent));
    // AND every eligible customer was either sent an invite or failed with a reason a merchant can read
    for (const failed of rows.filter((r) => r.status === "failed")) {
      expect(failed.reasonCode).toBeTruthy();
      expect(reasonText(failed)).toBeTruthy();
    }
    expect(sent.length + rows.filter((r) => r.status === "failed").length).toBe(eligible.length);

    // AND the faults really happened
    const stats = await emulator.control<{ faults5xx: number; faultTimeouts: number; throttled: number }>(
      "GET",
      `stats?shop=${shop}`,
    );
    expect(stats.faults5xx).toBeGreaterThan(0);
    expect(stats.faultTimeouts).toBeGreaterThan(0);
    expect(stats.throttled).toBeGreaterThan(0);
  });
});
