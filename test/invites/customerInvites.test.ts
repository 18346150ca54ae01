import { inviteResultJson } from "~/api/ledgerJson.server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateActivationLink } from "~/services/activationLinks/activationLinks.server";
import { createCampaign } from "~/services/campaigns/campaigns.server";
import { getCampaignView } from "~/services/campaigns/campaignView.server";
import { getCustomerHistory } from "~/services/customers/customerHistory.server";
import { inviteCustomer } from "~/services/customers/singleInvite.server";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { customers, installShop, outbox, testWorker } from "../support/invites";

// From a customer's page: one invite now, and the customer's history.

const shop = "single.myshopify.com";
let emulator: TestEmulator;
let graphql: Awaited<ReturnType<typeof installShop>>;
beforeAll(async () => {
  emulator = await startTestEmulator();
  graphql = await installShop(emulator, { domain: shop, customers: 30, seed: 8 });
});
afterAll(() => emulator?.close());

describe("one invite from a customer's page", () => {
  it("sends it, records it, and holds off a second one within the window", async () => {
    const [customer] = (await customers(emulator, shop)).filter((c) => c.state === "DISABLED" && c.email);
    const first = await inviteCustomer({
      graphql,
      shop,
      customerId: customer!.id,
      email: { subject: "Welcome" },
      requestedBy: "42",
    });
    expect(first).toEqual({ status: "sent" });
    const second = await inviteCustomer({ graphql, shop, customerId: customer!.id, requestedBy: "42" });
    expect(second).toMatchObject({ status: "skipped", reason: "INVITED_RECENTLY" });
    const emails = (await outbox(emulator, shop)).filter((e) => e.customerId === customer!.id);
    expect(emails).toHaveLength(1);
    expect(emails[0]!.subject).toBe("Welcome");
  });

  it("waits a moment for a bucket a campaign keeps busy, instead of answering that Shopify is busy", async () => {
    // GIVEN the shop's bucket empty (a campaign's worker spent it), refilling at the Standard 100/s
    const [customer] = (await customers(emulator, shop))
      .filter((c) => c.state === "DISABLED" && c.email && c.id !== undefined)
      .slice(-1);
    await emulator.control("PATCH", `shops/${shop}`, { drainBucket: true });
    const throttledBefore = (await emulator.control<{ throttled: number }>("GET", `stats?shop=${shop}`))
      .throttled;
    // WHEN the merchant invites one customer
    const result = await inviteCustomer({ graphql, shop, customerId: customer!.id, requestedBy: "42" });
    // THEN it is sent, after Shopify answered THROTTLED at least once
    expect(result).toEqual({ status: "sent" });
    const throttledAfter = (await emulator.control<{ throttled: number }>("GET", `stats?shop=${shop}`))
      .throttled;
    expect(throttledAfter).toBeGreaterThan(throttledBefore);
  });

  it("skips a customer who already has an account, with the reason", async () => {
    const [enabled] = (await customers(emulator, shop)).filter((c) => c.state === "ENABLED");
    const result = await inviteCustomer({ graphql, shop, customerId: enabled!.id, requestedBy: "42" });
    expect(inviteResultJson(result)).toMatchObject({
      status: "skipped",
      reason: "ACCOUNT_ENABLED",
      message: "Already has an account.",
    });
  });

  it("shows the customer's invites and links, newest first, with the state Shopify reports", async () => {
    const [customer] = (await customers(emulator, shop))
      .filter((c) => c.state === "DISABLED" && c.email)
      .slice(1);
    await inviteCustomer({ graphql, shop, customerId: customer!.id, requestedBy: "42" });
    await generateActivationLink({ graphql, shop, customerId: customer!.id, issuedBy: "42" });
    const history = await getCustomerHistory({ graphql, shop, customerId: customer!.id });
    expect(history.customer).toEqual({ id: customer!.id, state: "INVITED" });
    expect(history.events.map((e) => e.type)).toEqual(["activation_link", "invite"]);
    expect(history.events[1]).toMatchObject({ type: "invite", status: "sent" });
  });
});

describe("a campaign's progress view", () => {
  it("shows maintained counts and the latest failures", async () => {
    const ids = (await customers(emulator, shop)).map((c) => c.id);
    const { campaign } = await createCampaign({
      shop,
      requestedBy: "42",
      input: { customerIds: ids, includeDeclined: false, idempotencyKey: "view" },
    });
    await testWorker().runOnce();
    const view = await getCampaignView({ shop, id: campaign.id });
    expect(view).toMatchObject({ status: "completed", total: ids.length });
    const counts = view!.counts;
    expect(counts.queued + counts.sending).toBe(0);
    expect(counts.sent + counts.skipped + counts.failed).toBe(ids.length);
    expect(await getCampaignView({ shop: "another.myshopify.com", id: campaign.id })).toBeNull();
  });
});
