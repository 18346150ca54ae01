import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as detailRoute from "~/routes/app.campaigns.$id/route";
import { createCampaign } from "~/services/campaigns/campaigns.server";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { customers, expectedEligible, outbox, testWorker } from "../support/invites";
import { embeddedDocumentRequest, routeArgs } from "../support/requests";
import { outcome } from "../routes/routeHelpers";
import { authenticate } from "~/shopify.server";

// A shop that granted the app Level 1 protected customer data only (no names, emails, phones, addresses):
// campaigns run ("has an email" is read without the address), and pages show customers by id with a note
// (docs/decisions/007-protected-customer-data.md).

const shop = "level-one.myshopify.com";
let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
  await emulator.control("POST", "shops", {
    domain: shop,
    customers: 40,
    seed: 71,
    protectedCustomerData: { level: 1 },
  });
  await authenticate.admin(embeddedDocumentRequest("/app", { shop }));
});
afterAll(() => emulator?.close());

describe("a shop with Level 1 protected customer data only", () => {
  it("runs a campaign, and its page shows customers by id with a note", async () => {
    const eligible = expectedEligible(await customers(emulator, shop));
    const { campaign } = await createCampaign({
      shop,
      requestedBy: "1",
      input: { customerIds: eligible.map((c) => c.id), includeDeclined: false, idempotencyKey: "level-1" },
    });
    await testWorker().runOnce();
    const sent = new Set((await outbox(emulator, shop)).map((e) => e.customerId));
    expect(sent).toEqual(new Set(eligible.map((c) => c.id)));

    const page = await outcome(
      detailRoute.loader(
        routeArgs(embeddedDocumentRequest(`/app/campaigns/${campaign.id}`, { shop }), { id: campaign.id }),
      ),
    );
    expect((page.body as { people: { access: string } }).people.access).toBe("denied");
  });
});
