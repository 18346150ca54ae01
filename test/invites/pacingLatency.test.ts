import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findCampaign } from "~/models/Campaign.server";
import { createCampaign } from "~/services/campaigns/campaigns.server";
import { parseCampaignInput } from "~/services/campaigns/campaignInput";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { installShop, outbox, testWorker } from "../support/invites";

// The pacer against a Shopify that takes time: every invite request runs 2 s on the emulator (its points
// out of the bucket meanwhile). With 3 requests in flight, as the window used to be, the sender could not
// go beyond 3 requests per 2 s, 60 % of this bucket's rate; a window that follows the request time and the
// restore rate keeps the bucket busy.

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator?.close());

describe("pacing with 2 s per invite request", () => {
  const shop = "pacing-latency.myshopify.com";
  // 250 points/s, 10 invites (100 points) per request: a request every 0.4 s, each out for 2 s
  const bucket = { maximumAvailable: 1_000, restoreRate: 250 };
  const invites = 300;
  const batch = 10;

  it("keeps as many requests in flight as the request time needs, never THROTTLED", async () => {
    // GIVEN 300 DISABLED customers with an email, selected
    await installShop(emulator, { domain: shop, customers: 0, custom: bucket });
    const { customers } = await emulator.control<{ customers: { id: string }[] }>(
      "POST",
      `shops/${shop}/customers`,
      {
        customers: Array.from({ length: invites }, (_, i) => ({
          email: `pacing${i}@example.com`,
          state: "DISABLED",
        })),
      },
    );
    // AND each invite request takes 2 s (200 ms per invite); reads answer at once
    await emulator.control("POST", "faults", { shop, executionMsPerMutation: 2_000 / batch });
    const parsed = parseCampaignInput({ customerIds: customers.map((c) => c.id), idempotencyKey: "lat" });
    if (!parsed.success) throw new Error(JSON.stringify(parsed.errors));
    const { campaign } = await createCampaign({ shop, requestedBy: "1", input: parsed.data });

    // WHEN the worker sends it with requests of 10 invites and a ceiling well above what is needed
    const worker = testWorker({ maxBatch: batch, maxInFlight: 20, requestTimeoutMs: 10_000 });
    await worker.runOnce();

    // THEN every invite went out once, and nothing was THROTTLED
    const emails = await outbox(emulator, shop);
    expect(new Set(emails.map((e) => e.customerId)).size).toBe(invites);
    expect(emails).toHaveLength(invites);
    expect(await findCampaign({ shop, id: campaign.id })).toMatchObject({
      status: "completed",
      sentCount: invites,
    });
    const stats = await emulator.control<{ throttled: number; mutations: number }>(
      "GET",
      `stats?shop=${shop}`,
    );
    expect(stats.throttled).toBe(0);

    // AND after the first full bucket, the window followed the request time: more requests overlapped
    // than the 3 a fixed window allowed (which capped this shop at 60 % of its rate). Overlaps are
    // counted from the emulator's request log, not from timings measured here.
    const { requests } = await emulator.control<{
      requests: { invites: number; receivedAt: number; endedAt: number }[];
    }>("GET", `mutation-requests?shop=${shop}`);
    const invitesRequests = requests.filter((r) => r.invites > 0).sort((a, b) => a.receivedAt - b.receivedAt);
    const afterBurst = invitesRequests.slice(bucket.maximumAvailable / (10 * batch));
    const overlapping = Math.max(
      ...afterBurst.map(
        (r) => invitesRequests.filter((o) => o.receivedAt <= r.receivedAt && o.endedAt > r.receivedAt).length,
      ),
    );
    expect(overlapping).toBeGreaterThan(3);
  }, 60_000);
});
