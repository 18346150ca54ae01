// `npm run bench` scenario "auto-invite-burst": a burst of automatic invites. N customers are created
// in the emulator at once (an import; BENCH_AUTO_CUSTOMERS, default 20,000), Shopify-style customers/create
// webhooks reach the app's real route (HMAC, deduplication, the ledger's due invites), and once the
// delay has passed (the emulator's clock is moved, the worker reads it) the worker sends the due invites
// in batches. Prints one JSON line: webhooks and their intake time, campaigns, invites, requests (invite
// and read), wall seconds of the sending, the ideal `max(0, N·10 − bucket) / restoreRate`, efficiency.
//
// Self-contained (its own emulator process, whose webhooks come to this process):
//   node --import tsx bench/autoInviteBurst.ts
import { rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { TEST_APP_URL } from "../test/testEnv";
import { benchCacheDir, prepareBenchApp } from "./benchApp";
import { startEmulator } from "./processes";

const CUSTOMERS = Number(process.env.BENCH_AUTO_CUSTOMERS ?? 20_000);
const BUCKET = { maximumAvailable: 20_000, restoreRate: 5_000 };
const DELAY_MINUTES = 10;

function round(value: number) {
  return Math.round(value * 1000) / 1000;
}

async function main() {
  const database = join(benchCacheDir, `auto-invite-burst-${process.pid}.sqlite`);
  prepareBenchApp(database);
  const { action: customersCreate } = await import("~/routes/webhooks.customers.create");
  const { saveAutomationSettings } = await import("~/models/AutomationSettings.server");
  const { authenticate, unauthenticated } = await import("~/shopify.server");
  const { createInviteWorker } = await import("~/jobs/inviteWorker.server");
  const { idealSeconds } = await import("~/services/sending/pacing");
  const { embeddedDocumentRequest } = await import("../test/support/requests");
  const prisma = (await import("~/db.server")).default;

  // The app's webhook route, over HTTP, for the emulator to deliver to.
  let acknowledged = 0;
  let refused = 0;
  const receiver = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === "string") headers.set(name, value);
    const request = new Request(new URL(req.url ?? "/", TEST_APP_URL), { method: "POST", headers, body });
    const status = await customersCreate({ request, params: {}, context: {} })
      .then((response) => response.status)
      .catch((thrown: unknown) => (thrown instanceof Response ? thrown.status : 500));
    if (status === 200) acknowledged++;
    else refused++;
    res.writeHead(status).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const appUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  const emulator = await startEmulator(appUrl);
  const emulatorUrl = emulator.url;
  const control = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${emulatorUrl}/__emulator/${path}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`emulator ${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };

  try {
    const { routeShopifyToEmulator } = await import("../emulator/preload.mjs");
    routeShopifyToEmulator(emulatorUrl);
    const shop = `bench-auto-${process.pid}.myshopify.com`;
    await control("POST", "shops", { domain: shop, custom: BUCKET, customers: 0 });
    await authenticate.admin(embeddedDocumentRequest("/app", { shop }));
    await saveAutomationSettings({
      shop,
      values: { autoInviteEnabled: true, autoInviteDelayMinutes: DELAY_MINUTES },
    });

    // The import: every 10th customer without an email (skipped when due), the others DISABLED.
    const intakeStarted = performance.now();
    for (let start = 0; start < CUSTOMERS; start += 1_000) {
      const count = Math.min(1_000, CUSTOMERS - start);
      await control("POST", `shops/${shop}/customers`, {
        customers: Array.from({ length: count }, (_, k) => ({
          email: (start + k) % 10 === 0 ? null : `burst${start + k}@example.com`,
        })),
        webhooks: true,
      });
    }
    while (acknowledged + refused < CUSTOMERS) await new Promise((resolve) => setTimeout(resolve, 100));
    const intakeSeconds = (performance.now() - intakeStarted) / 1000;
    const campaigns = await prisma.campaign.count({ where: { shop, origin: "automatic" } });

    // The delay passes: the emulator's clock moves, and the worker reads it.
    const { offsetMs } = await control<{ offsetMs: number }>("POST", "clock", {
      advanceMs: (DELAY_MINUTES + 15) * 60_000,
    });
    const before = await control<{
      graphqlRequests: number;
      throttled: number;
      pointsSpent: number;
      throttleStatus: { maximumAvailable: number; restoreRate: number };
    }>("GET", `stats?shop=${shop}`);
    await control("PATCH", `shops/${shop}`, { fillBucket: true });
    const worker = createInviteWorker({
      options: {
        pollMs: 50,
        leaseTtlMs: 60_000,
        requestTimeoutMs: 30_000,
        maxAttempts: 5,
        maxInFlight: 3,
        maxShops: 1,
        uncertainGraceMs: 30_000,
        backoffBaseMs: 1_000,
        backoffMaxMs: 30_000,
        maxFailuresInRow: 8,
        sliceMs: 24 * 3_600_000,
        maxCoolDownMs: 900_000,
        maxBackoffsWithoutProgress: 8,
        now: () => new Date(Date.now() + offsetMs),
      },
      getGraphql: async (domain) => (await unauthenticated.admin(domain)).admin.graphql,
    });
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    await worker.runOnce();
    const wallSeconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    const after = await control<{ graphqlRequests: number; throttled: number; pointsSpent: number }>(
      "GET",
      `stats?shop=${shop}`,
    );
    const totals = await prisma.campaign.aggregate({
      where: { shop, origin: "automatic" },
      _sum: { total: true, sentCount: true, skippedCount: true, failedCount: true, queuedCount: true },
    });
    const invites = totals._sum.sentCount ?? 0;
    const bucket = before.throttleStatus;
    const ideal = idealSeconds({ invites, cost: 10, ...bucket });
    const pointsSpent = after.pointsSpent - before.pointsSpent;
    const idealWithReads = Math.max(0, pointsSpent - bucket.maximumAvailable) / bucket.restoreRate;
    const appCpuSeconds = (cpu.user + cpu.system) / 1e6;
    process.stdout.write(
      `${JSON.stringify({
        scenario: "auto-invite-burst",
        description: `${CUSTOMERS.toLocaleString("en")} customers created at once → customers/create webhooks → due invites (${DELAY_MINUTES}-minute delay) → sent in batches (bucket ${BUCKET.maximumAvailable}, ${BUCKET.restoreRate}/s)`,
        customers: CUSTOMERS,
        webhooksAcknowledged: acknowledged,
        webhooksRefused: refused,
        webhookIntakeSeconds: round(intakeSeconds),
        webhooksPerSecond: round(acknowledged / intakeSeconds),
        campaigns,
        recorded: totals._sum.total,
        invites,
        skipped: totals._sum.skippedCount,
        failed: totals._sum.failedCount,
        left: totals._sum.queuedCount,
        wallSeconds: round(wallSeconds),
        idealSeconds: round(ideal),
        efficiency: round(wallSeconds > 0 ? ideal / wallSeconds : 0),
        pointsSpent,
        idealSecondsForAllPoints: round(idealWithReads),
        efficiencyForAllPoints: round(wallSeconds > 0 ? idealWithReads / wallSeconds : 0),
        requests: after.graphqlRequests - before.graphqlRequests,
        inviteRequests: worker.stats.inviteRequests,
        readRequests: worker.stats.readRequests,
        throttled: after.throttled - before.throttled,
        appCpuMsPerInvite: round(invites > 0 ? (appCpuSeconds * 1000) / invites : 0),
        peakRssMb: round(process.resourceUsage().maxRSS / 1024),
      })}\n`,
    );
  } finally {
    emulator.stop();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    for (const suffix of ["", "-wal", "-shm"]) rmSync(database + suffix, { force: true });
  }
}

await main();
process.exit(0);
