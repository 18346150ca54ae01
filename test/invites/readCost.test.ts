import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INVITE_MUTATION_COST } from "~/constants/invites";
import { findCampaign } from "~/models/Campaign.server";
import { createCampaign } from "~/services/campaigns/campaigns.server";
import { parseCampaignInput } from "~/services/campaigns/campaignInput";
import { READ_COST } from "~/services/shopify/customerReads.server";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { installShop, outbox, testWorker } from "../support/invites";

// What eligibility's reads cost a selection campaign, as the emulator's cost model (calibrated on live
// captures: `nodes(ids:)` is one list, priced like one customer whatever its length) charges them. The
// target is at most 1 point per selected customer; each customer's state is read once.

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator?.close());

interface Stats {
  graphqlRequests: number;
  mutations: number;
  pointsSpent: number;
  pointsRequested: number;
}

describe("the reads of a selection campaign", () => {
  const shop = "read-cost.myshopify.com";
  const selected = 600;

  it("cost well under 1 point per selected customer, and read each customer once", async () => {
    // GIVEN 600 DISABLED customers with an email, all selected
    await installShop(emulator, { domain: shop, customers: 0, plan: "plus" });
    const { customers } = await emulator.control<{ customers: { id: string }[] }>(
      "POST",
      `shops/${shop}/customers`,
      {
        customers: Array.from({ length: selected }, (_, i) => ({
          email: `reads${i}@example.com`,
          state: "DISABLED",
        })),
      },
    );
    const parsed = parseCampaignInput({ customerIds: customers.map((c) => c.id), idempotencyKey: "r" });
    if (!parsed.success) throw new Error(JSON.stringify(parsed.errors));
    const before = await emulator.control<Stats>("GET", `stats?shop=${shop}`);

    // WHEN the worker runs the campaign
    const { campaign } = await createCampaign({ shop, requestedBy: "1", input: parsed.data });
    await testWorker().runOnce();
    const after = await emulator.control<Stats>("GET", `stats?shop=${shop}`);

    // THEN every customer got an invite
    expect(await outbox(emulator, shop)).toHaveLength(selected);
    expect(await findCampaign({ shop, id: campaign.id })).toMatchObject({
      status: "completed",
      sentCount: selected,
    });
    // AND what is not an invite cost: the shop's accounts setting, then one snapshot read per 250
    const invitePoints = selected * INVITE_MUTATION_COST;
    const readPoints = after.pointsSpent - before.pointsSpent - invitePoints;
    const pages = Math.ceil(selected / 250);
    const readRequests =
      after.graphqlRequests - before.graphqlRequests - (after.mutations - before.mutations);
    expect(readRequests).toBe(1 + pages);
    expect(readPoints).toBe(2 + pages * READ_COST.snapshots(250));
    expect(readPoints / selected).toBeLessThanOrEqual(1);
    expect(readPoints / selected).toBeLessThan(0.02);
    // AND the pacer reserved what Shopify charged (nothing requested beyond what was spent)
    expect(after.pointsRequested - before.pointsRequested).toBe(after.pointsSpent - before.pointsSpent);
  });
});
