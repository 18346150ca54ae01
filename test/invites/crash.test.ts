import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { CustomerSendAccountInviteEmailMutation } from "~/graphql/CustomerSendAccountInviteEmailMutation";
import { findCampaign } from "~/models/Campaign.server";
import { createCampaign } from "~/services/campaigns/campaigns.server";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { countBy, customers, installShop, outbox, testWorker, waitFor, reasonText } from "../support/invites";

// A worker process killed with SIGKILL at random moments, again and again, while it resolves and sends
// a campaign. The ledger must lose nothing and no customer may receive the same invite twice.
// The targets are DISABLED customers: for them the crash is always decidable from the state
// (DISABLED → INVITED proves the send); the undecidable case (already INVITED) is tested on its own.

const shop = "crash.myshopify.com";
const TRIALS = 10;
let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator?.close());

const children = new Set<ChildProcess>();
afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
});

/**
 * The worker of `npm run worker` (app/jobs/main.ts) in its own process, with test timings, routed to
 * the emulator. Node itself runs it (tsx as a loader, not the tsx CLI, which would put a second process
 * between the test and the worker and SIGKILL would miss the worker).
 */
function spawnWorker(): ChildProcess {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--import", resolve("emulator/preload.mjs"), "app/jobs/main.ts"],
    {
      env: {
        ...process.env,
        NODE_OPTIONS: "",
        SHOPIFY_EMULATOR_URL: emulator.url,
        WORKER_POLL_MS: "50",
        WORKER_LEASE_MS: "1200",
        INVITE_REQUEST_TIMEOUT_MS: "600",
        LOG_LEVEL: "silent",
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

function killed(child: ChildProcess) {
  return new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once("exit", () => done());
    child.kill("SIGKILL");
  });
}

const random = (() => {
  let seed = 1234567;
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
})();

describe("a worker killed at random points", () => {
  it(`loses nothing and sends no invite twice (${TRIALS} kills)`, { timeout: 120_000 }, async () => {
    // GIVEN a query campaign over 1,500 customers; every request takes 300 ms (so a kill often lands while
    // a batch is out), the bucket allows ~2,000 points/s
    await installShop(emulator, {
      domain: shop,
      customers: 1_500,
      seed: 99,
      custom: { maximumAvailable: 1_000, restoreRate: 2_000 },
    });
    await emulator.control("POST", "faults", { shop, latencyMs: 300 });
    const disabled = (await customers(emulator, shop)).filter((c) => c.state === "DISABLED");
    const eligible = disabled.filter((c) => c.email);
    const { campaign } = await createCampaign({
      shop,
      requestedBy: "42",
      input: { query: "state:disabled", includeDeclined: false, idempotencyKey: "crash" },
    });

    // WHEN a worker process is started and SIGKILLed, ten times, each time once it made progress
    let kills = 0;
    let caughtSending = 0;
    const progress = { outbox: 0, rows: 0 };
    for (let trial = 0; trial < TRIALS; trial++) {
      const child = spawnWorker();
      try {
        await waitFor(
          async () => {
            const [emails, rows] = await Promise.all([
              outbox(emulator, shop),
              prisma.recipient.count({ where: { campaignId: campaign.id } }),
            ]);
            const moved = emails.length > progress.outbox || rows > progress.rows;
            if (moved) Object.assign(progress, { outbox: emails.length, rows });
            return moved || (await findCampaign({ shop, id: campaign.id }))?.status === "completed";
          },
          { timeoutMs: 20_000, intervalMs: 20 },
        );
        await new Promise((r) => setTimeout(r, random() * 250));
      } finally {
        await killed(child);
      }
      kills++;
      caughtSending += await prisma.recipient.count({
        where: { campaignId: campaign.id, status: "sending" },
      });
      if ((await findCampaign({ shop, id: campaign.id }))?.status === "completed") break;
    }

    // THEN another worker finishes the campaign (after the last lease expires)
    const worker = testWorker({ leaseTtlMs: 2_000, requestTimeoutMs: 1_500, uncertainGraceMs: 1_500 });
    worker.start();
    try {
      await waitFor(async () => (await findCampaign({ shop, id: campaign.id }))?.status === "completed", {
        timeoutMs: 60_000,
      });
    } finally {
      await worker.stop();
    }

    // AND exactly one invite reached each eligible customer, and every recipient is final
    expect(kills).toBeGreaterThanOrEqual(Math.min(TRIALS, 5));
    // (the kills did catch batches in flight: the recovery path ran, it was not luck)
    expect(caughtSending).toBeGreaterThan(0);
    const emails = await outbox(emulator, shop);
    const perCustomer = countBy(emails, (e) => e.customerId);
    expect([...perCustomer.values()].filter((n) => n > 1)).toEqual([]);
    expect(new Set(perCustomer.keys())).toEqual(new Set(eligible.map((c) => c.id)));
    const rows = await prisma.recipient.findMany({ where: { campaignId: campaign.id } });
    expect(rows).toHaveLength(disabled.length);
    expect(countBy(rows, (r) => r.status)).toEqual(
      new Map([
        ["sent", eligible.length],
        ["skipped", disabled.length - eligible.length],
      ]),
    );
    expect(await findCampaign({ shop, id: campaign.id })).toMatchObject({
      total: disabled.length,
      sentCount: eligible.length,
      skippedCount: disabled.length - eligible.length,
      queuedCount: 0,
      sendingCount: 0,
      failedCount: 0,
    });
    console.info(
      `crash test: ${kills} kills, ${caughtSending} recipients caught in sending, ${emails.length} invites, ` +
        `${rows.filter((r) => r.attempts > 1).length} recipients sent on a later attempt`,
    );
  });

  it("settles each case a crash can leave in `sending`, and says so where it cannot tell", async () => {
    // GIVEN three recipients left in `sending` by a crashed worker:
    //   - a DISABLED customer whose invite went out just before the crash (Shopify sent it),
    //   - a DISABLED customer whose request never reached Shopify,
    //   - a customer who was already INVITED before the send (an invite leaves the state unchanged).
    const shop = "crash-cases.myshopify.com";
    const graphql = await installShop(emulator, { domain: shop, customers: 40, seed: 5 });
    const list = await customers(emulator, shop);
    const [wentOut, neverSent] = list.filter((c) => c.state === "DISABLED" && c.email);
    const invited = list.find((c) => c.state === "INVITED" && c.email)!;
    const response = await graphql(CustomerSendAccountInviteEmailMutation, {
      variables: { customerId: wentOut!.id },
    });
    expect((await response.json()).data?.customerSendAccountInviteEmail?.userErrors).toEqual([]);
    const { campaign } = await createCampaign({
      shop,
      requestedBy: "42",
      input: {
        customerIds: [wentOut!.id, neverSent!.id, invited.id],
        includeDeclined: false,
        idempotencyKey: "crash-cases",
      },
    });
    const stale = new Date(Date.now() - 60_000);
    await prisma.$transaction([
      prisma.campaign.update({
        where: { id: campaign.id },
        data: { status: "running", queuedCount: 0, sendingCount: 3, targetsResolved: true },
      }),
      ...[wentOut!, neverSent!, invited].map((customer) =>
        prisma.recipient.updateMany({
          where: { campaignId: campaign.id, customerId: customer.id },
          data: {
            status: "sending",
            stateBefore: customer.state,
            checkedAt: stale,
            sendingAt: stale,
            attempts: 1,
          },
        }),
      ),
    ]);
    const before = await outbox(emulator, shop);
    expect(before.map((e) => e.customerId)).toEqual([wentOut!.id]);

    // WHEN a worker picks the campaign up
    await testWorker({ uncertainGraceMs: 100 }).runOnce();

    // THEN the invite that went out counts as sent and is not sent again; the one that never reached
    // Shopify is sent now (once); the undecidable one fails as UNCERTAIN and is not sent again
    const rows = await prisma.recipient.findMany({ where: { campaignId: campaign.id } });
    const row = (id: string) => rows.find((r) => r.customerId === id);
    expect(row(wentOut!.id)).toMatchObject({ status: "sent", attempts: 1 });
    expect(row(neverSent!.id)).toMatchObject({ status: "sent", attempts: 2 });
    expect(row(invited.id)).toMatchObject({ status: "failed", reasonCode: "UNCERTAIN" });
    expect(reasonText(row(invited.id)!)).toContain("may or may not have gone out");
    const after = countBy(await outbox(emulator, shop), (e) => e.customerId);
    expect(after).toEqual(
      new Map([
        [wentOut!.id, 1],
        [neverSent!.id, 1],
      ]),
    );
    expect(await findCampaign({ shop, id: campaign.id })).toMatchObject({
      status: "completed",
      sentCount: 2,
      failedCount: 1,
      sendingCount: 0,
    });
  });
});
