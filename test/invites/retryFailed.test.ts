import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { findCampaign } from "~/models/Campaign.server";
import { createCampaign, retryFailedRecipients } from "~/services/campaigns/campaigns.server";
import { parseCampaignInput } from "~/services/campaigns/campaignInput";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { customers, installShop, outbox, testWorker } from "../support/invites";

// "Retry failed" is a new campaign with the source campaign's email options: every one of them, bcc
// included, read back through the one column mapping (app/models/campaignEmail.ts).

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator?.close());

describe("retry failed", () => {
  const shop = "invites-retry-bcc.myshopify.com";

  it("sends the retry with the merchant's subject, message, sender and bcc", async () => {
    await installShop(emulator, { domain: shop, customers: 20, seed: 5 });
    const disabled = (await customers(emulator, shop)).filter((c) => c.state === "DISABLED" && c.email);
    const ids = disabled.slice(0, 3).map((c) => c.id);
    // The store's own address: the only kind a live store accepts as from and bcc.
    const owner = "owner@invites-retry-bcc.example.com";
    const email = {
      subject: "Your new account",
      customMessage: "Welcome to the new store",
      from: owner,
      bcc: [owner],
    };
    const parsed = parseCampaignInput({ customerIds: ids, email, idempotencyKey: "source" });
    if (!parsed.success) throw new Error(JSON.stringify(parsed.errors));
    const { campaign } = await createCampaign({ shop, requestedBy: "7", input: parsed.data });

    // GIVEN a campaign whose recipients all failed (recorded as the sender records a refusal)
    await prisma.$transaction([
      prisma.recipient.updateMany({
        where: { campaignId: campaign.id },
        data: {
          status: "failed",
          reasonCode: "SHOPIFY_ERROR",
          checkedAt: new Date(),
          finishedAt: new Date(),
        },
      }),
      prisma.campaign.update({
        where: { id: campaign.id },
        data: { status: "completed", queuedCount: 0, failedCount: ids.length, targetsResolved: true },
      }),
    ]);

    // WHEN the merchant retries the failures and the worker runs
    const retry = await retryFailedRecipients({ shop, id: campaign.id, requestedBy: "7" });
    if (retry.kind !== "created") throw new Error(retry.kind);
    const retryRow = await findCampaign({ shop, id: retry.campaignId });
    expect(retryRow).toMatchObject({
      emailSubject: email.subject,
      emailCustomMessage: email.customMessage,
      emailFrom: email.from,
      emailBcc: JSON.stringify(email.bcc),
    });
    await testWorker().runOnce();

    // THEN each customer got one invite, with the bcc the merchant chose for the first campaign
    const emails = await outbox(emulator, shop);
    expect(emails).toHaveLength(ids.length);
    for (const sent of emails) {
      expect(sent).toMatchObject({ subject: email.subject, bcc: email.bcc });
    }
  });
});
