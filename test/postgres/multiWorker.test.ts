import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { createCampaign } from "~/services/campaigns/campaigns.server";
import { inviteCustomer } from "~/services/customers/singleInvite.server";
import { unauthenticated } from "~/shopify.server";
import { Child, mulberry32, sleep } from "../chaos/harness.mjs";
import { pacerOverlaps, verifyRun } from "../chaos/verify.mjs";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { customers, expectedEligible, installShop } from "../support/invites";

// Several worker processes on one PostgreSQL ledger (decision 009): 3 production workers
// (`npm run worker`: app/jobs/main.ts, each its own process and connection pool) pace 10 shops, while
// this process (standing for an app instance) invites some of the same customers one at a time, and a
// worker is SIGKILLed every few seconds (preferably with a batch of its own in `sending`) and replaced.
// Then the emulator's outbox is compared with the ledger (test/chaos/verify.mjs): no customer invited
// twice, none lost, nothing left queued or sending, counters equal to rows, every campaign completed; and
// the emulator's mutation log proves one pacer per shop at a time: no two invite requests for one shop
// from different worker processes were ever in flight together. Figures: test-output/multi-worker/.

const WORKERS = 3;
const SHOPS = Array.from({ length: 10 }, (_, i) => `multi-${String(i).padStart(2, "0")}.myshopify.com`);
const KILLS = 12;
const SEED = 20261202;
const random = mulberry32(SEED);
const outputDir = resolve("test-output/multi-worker");

const WORKER_ENV = {
  NODE_OPTIONS: "",
  NODE_ENV: "production",
  WORKER_POLL_MS: "100",
  // A killed worker's shops wait out its lease (which outlasts its requests' timeout), then move.
  WORKER_LEASE_MS: "3000",
  INVITE_REQUEST_TIMEOUT_MS: "2000",
  // Short turns and fewer slots than shops: shops change hands between workers all the time.
  WORKER_SLICE_MS: "2500",
  WORKER_MAX_SHOPS: "2",
  INVITE_MAX_IN_FLIGHT: "3",
  LOG_LEVEL: "info",
};

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
  mkdirSync(outputDir, { recursive: true });
});
afterAll(() => emulator?.close());

/** The worker's lease owner is `${hostname}:${pid}:${random}`. */
const pidOfOwner = (owner: string | null) => owner?.split(":").at(-2) ?? null;

describe("several workers on one PostgreSQL ledger", () => {
  it(
    "3 workers over 10 shops with SIGKILLs: no duplicate, none lost, every shop progresses, one pacer per shop at a time",
    { timeout: 420_000 },
    async () => {
      const started = Date.now();
      // GIVEN 10 shops with a slow bucket (2 invites a second each) and Shopify-like request time
      const campaigns: string[] = [];
      const singles: { shop: string; customerId: string }[] = [];
      for (const [index, shop] of SHOPS.entries()) {
        await installShop(emulator, {
          domain: shop,
          customers: 100,
          seed: 300 + index,
          // Small batches (a few invites a request), many requests: kills land mid-request, and two
          // pacers on one shop would overlap.
          custom: { maximumAvailable: 150, restoreRate: 20 },
        });
        await emulator.control("POST", "faults", { shop, latencyMs: 150 });
        const eligible = expectedEligible(await customers(emulator, shop));
        const { campaign } = await createCampaign({
          shop,
          requestedBy: "7",
          input: { customerIds: eligible.map((c) => c.id), includeDeclined: false, idempotencyKey: "all" },
        });
        campaigns.push(campaign.id);
        // AND on every other shop a second campaign naming half of the same customers (the re-invite
        // window must skip them), and one customer the app invites by hand while the workers run
        if (index % 2 === 0) {
          const half = eligible.filter((_, i) => i % 2 === 0).map((c) => c.id);
          const second = await createCampaign({
            shop,
            requestedBy: "8",
            input: { customerIds: half, includeDeclined: false, idempotencyKey: "half" },
          });
          campaigns.push(second.campaign.id);
          singles.push({ shop, customerId: eligible.at(-1)!.id });
        }
      }

      // WHEN 3 worker processes run, one of them SIGKILLed every 2-6 s and replaced
      const workers: Child[] = [];
      const allWorkerPids = new Set<string>();
      let started_ = 0;
      const startWorker = () => {
        const child = new Child(
          `worker-${++started_}`,
          ["--import", "tsx", "--import", resolve("emulator/preload.mjs"), "app/jobs/main.ts"],
          {
            cwd: process.cwd(),
            env: { ...process.env, ...WORKER_ENV, SHOPIFY_EMULATOR_URL: emulator.url },
            logFile: join(outputDir, "workers.log"),
          },
        );
        allWorkerPids.add(String(child.pid));
        workers.push(child);
        return child;
      };
      for (let i = 0; i < WORKERS; i++) startWorker();
      const running = () => workers.filter((w) => w.running);
      const kills: { pid: string; at: number; sendingRows: number }[] = [];
      const singleResults: string[] = [];
      const unfinished = async () =>
        prisma.campaign.count({ where: { id: { in: campaigns }, status: { notIn: ["completed"] } } });
      const deadline = started + 360_000;
      try {
        while (kills.length < KILLS && (await unfinished()) > 0 && Date.now() < deadline) {
          await sleep(1_500 + random() * 2_500);
          // The app invites one of its customers by hand, racing the campaigns' batches.
          const single = singles.shift();
          if (single) {
            const { admin } = await unauthenticated.admin(single.shop);
            const result = await inviteCustomer({
              graphql: admin.graphql,
              shop: single.shop,
              customerId: single.customerId,
              requestedBy: "9",
            });
            singleResults.push(result.status);
          }
          const candidates = running();
          const victim = candidates[Math.floor(random() * candidates.length)];
          if (!victim) continue;
          // Prefer the moment it has a batch of its own out (up to 2 s), then kill it anyway.
          let sendingRows = 0;
          const waitUntil = Date.now() + 2_000;
          while (Date.now() < waitUntil) {
            const owned = await prisma.shopPacer.findMany({ select: { shop: true, owner: true } });
            const shops = owned.filter((p) => pidOfOwner(p.owner) === String(victim.pid)).map((p) => p.shop);
            sendingRows =
              shops.length === 0
                ? 0
                : await prisma.recipient.count({ where: { shop: { in: shops }, status: "sending" } });
            if (sendingRows > 0) break;
            await sleep(50);
          }
          const at = Date.now();
          await victim.kill();
          kills.push({ pid: String(victim.pid), at, sendingRows });
          startWorker();
        }
        // THEN, without further kills, every campaign completes
        while ((await unfinished()) > 0) {
          if (Date.now() > deadline) throw new Error(`campaigns unfinished after ${deadline - started} ms`);
          await sleep(250);
        }
      } finally {
        await Promise.all(running().map((w) => w.stop(15_000)));
      }
      const wallMs = Date.now() - started;

      const { emails } = await emulator.control<{
        emails: { shop: string; customerId: string; seq: number }[];
      }>("GET", "outbox");
      const ledger = {
        campaigns: await prisma.campaign.findMany(),
        recipients: await prisma.recipient.findMany({
          select: {
            shop: true,
            campaignId: true,
            customerId: true,
            status: true,
            reasonCode: true,
            attempts: true,
            stateBefore: true,
          },
        }),
      };
      const verdict = verifyRun({ outbox: emails.filter((e) => SHOPS.includes(e.shop)), ledger });
      const { requests } = await emulator.control<{
        requests: {
          shop: string;
          client: string | null;
          invites: number;
          receivedAt: number;
          endedAt: number;
        }[];
      }>("GET", "mutation-requests");
      const pacing = pacerOverlaps(requests, { clients: allWorkerPids });
      const killsWithRequestInFlight = kills.filter((kill) =>
        requests.some((r) => r.client === kill.pid && r.receivedAt <= kill.at && r.endedAt >= kill.at),
      ).length;
      const perShop = Object.fromEntries(
        SHOPS.map((shop) => [
          shop,
          {
            invites: verdict.perShop[shop]?.invites ?? 0,
            customersInvited: verdict.perShop[shop]?.customersInvited ?? 0,
            uncertain: verdict.perShop[shop]?.uncertain ?? 0,
            byReason: verdict.perShop[shop]?.byReason ?? {},
            ...pacing.perShop[shop],
          },
        ]),
      );
      const summary = {
        database: "postgresql",
        workers: WORKERS,
        shops: SHOPS.length,
        campaigns: campaigns.length,
        workerProcesses: allWorkerPids.size,
        kills: kills.length,
        killsWithBatchInSending: kills.filter((k) => k.sendingRows > 0).length,
        killsWithRequestInFlight,
        singleInvites: singleResults,
        invites: verdict.totals.invites,
        duplicates: verdict.totals.duplicates,
        lost: verdict.totals.lost,
        sentWithoutEmail: verdict.totals.sentWithoutEmail,
        uncertain: verdict.totals.uncertain,
        leftSending: verdict.totals.sending,
        leftQueued: verdict.totals.queued,
        counterMismatches: verdict.counterMismatches.length,
        campaignsNotCompleted: verdict.campaigns.filter((c) => c.status !== "completed").length,
        pacerOverlaps: pacing.overlaps.length,
        shopsPacedByMoreThanOneWorker: Object.values(pacing.perShop).filter((s) => s.pacers > 1).length,
        handoffs: Object.values(pacing.perShop).reduce((sum, s) => sum + s.handoffs, 0),
        unexpectedExits: workers.filter((w) => w.exit && !w.exit.expected).map((w) => w.exit),
        wallMs,
        perShop,
        problems: verdict.problems,
        overlapSamples: pacing.overlaps.slice(0, 5),
      };
      writeFileSync(join(outputDir, "summary.json"), JSON.stringify(summary, null, 2));
      console.log(
        `multi-worker: ${summary.invites} invites, ${summary.kills} kills (${summary.killsWithBatchInSending} with a batch in sending, ${killsWithRequestInFlight} mid-request), ` +
          `${summary.duplicates} duplicates, ${summary.lost} lost, ${summary.uncertain} uncertain, ${summary.pacerOverlaps} pacer overlaps, ` +
          `${summary.handoffs} handoffs, ${wallMs} ms (test-output/multi-worker/summary.json)`,
      );

      expect(summary.kills).toBeGreaterThanOrEqual(8);
      expect(summary.killsWithBatchInSending).toBeGreaterThan(0);
      expect(summary.unexpectedExits).toEqual([]);
      expect(verdict.problems).toMatchObject({ duplicates: [], lost: [], sentWithoutEmail: [], stuck: [] });
      expect(summary).toMatchObject({
        duplicates: 0,
        lost: 0,
        sentWithoutEmail: 0,
        leftSending: 0,
        leftQueued: 0,
      });
      expect(verdict.counterMismatches).toEqual([]);
      expect(summary.campaignsNotCompleted).toBe(0);
      // Every shop progressed: it got invites, and each eligible customer of it got exactly one or is in doubt.
      for (const shop of SHOPS) expect(perShop[shop]!.invites, shop).toBeGreaterThan(0);
      expect(pacing.overlaps).toEqual([]);
      // The test exercised what it proves: shops moved between workers.
      expect(summary.shopsPacedByMoreThanOneWorker).toBeGreaterThanOrEqual(5);
    },
  );
});
