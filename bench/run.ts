// `npm run bench`: the app as production runs it — its server (`server.mjs`, the production build) and the
// compiled invite worker (`build/worker/main.js`), each its own process — against the local Shopify
// emulator, then the app's pages through the production build, on SQLite and on PostgreSQL. Prints one
// JSON document on stdout: `summary` (one row per scenario and database) and the full `scenarios`.
// Per sender scenario: invites, wall seconds (from the campaign's startedAt to its finishedAt, both the
// worker's marks; recording it is `recordSeconds`, the wait for the worker's next poll `pickupSeconds`), `efficiency` = the invites-only ideal
// `max(0, 10·invites − bucket)/restoreRate` over wall time, `efficiencyForAllPoints` = the same ideal for
// every point the run spent (reads included), points spent, requests, THROTTLED answers, the seconds the
// bucket sat full, the worker's CPU per invite and peak RSS (from /proc: the worker's own figures).
//
// Shopify takes time: every request of a sender scenario runs on the emulator for 250 ms plus 20 ms per
// invite alias (2.25 s for a batch of 100), its requested cost out of the bucket meanwhile (the
// emulator's execution-time model, emulator/README.md). BENCH_LATENCY=0 turns it off. Bulk queries take
// the emulator's captured timing (1 s + 1 s per 3,000 objects).
//
// The emulator runs in its own process, and each scenario in a fresh process that records the campaign
// and starts the app's server and worker: `node --import tsx bench/run.ts --scenario <name> --emulator <url>`.
// BENCH_SCENARIOS=plus-5000,standard-600,query-100k,page-routes,auto-invite-burst picks scenarios (default:
// all); BENCH_DATABASES=sqlite,postgresql picks ledgers (default: both; PostgreSQL is a server of its own,
// scripts/with-postgres.mjs, or BENCH_DATABASE_URL's); BENCH_SKIP_BUILD=1 reuses build/.
// `auto-invite-burst` (bench/autoInviteBurst.ts, its own emulator) sends a burst of automatic invites.
import { execFileSync, spawn } from "node:child_process";
import { appendFileSync, existsSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchCacheDir, benchRoot, databaseKind, dropBenchDatabase, prepareBenchApp } from "./benchApp";
import { freePort, processUsage, SERVER_SCRIPT, startEmulator, startNode, WORKER_SCRIPT } from "./processes";

const root = benchRoot;

interface Scenario {
  name: string;
  description: string;
  /** The shop in the emulator: a plan preset or custom limits. */
  plan?: "plus" | "standard";
  custom?: { maximumAvailable: number; restoreRate: number };
  /** "selection": that many DISABLED customers with an email, all selected. "query": seeded customers, `state:disabled`. */
  source: "selection" | "query";
  customers: number;
}

const SCENARIOS: Scenario[] = [
  {
    name: "plus-5000",
    description: "5,000 invites, a selection, on the Plus plan (20,000 points, 1,000/s)",
    plan: "plus",
    source: "selection",
    customers: 5_000,
  },
  {
    name: "standard-600",
    description: "600 invites, a selection, on the Standard plan (2,000 points, 100/s)",
    plan: "standard",
    source: "selection",
    customers: 600,
  },
  {
    name: "query-100k",
    description:
      "a search-query campaign (state:disabled) over 100,000 seeded customers on the Plus plan, its audience counted as the New campaign page does, so its targets come from a Shopify bulk query",
    plan: "plus",
    source: "query",
    customers: Number(process.env.BENCH_QUERY_CUSTOMERS ?? 100_000),
  },
];

/** The emulator's execution time for every request of a sender scenario (see the header). */
const LATENCY = process.env.BENCH_LATENCY === "0" ? null : { executionMs: 250, executionMsPerMutation: 20 };

const args = process.argv.slice(2);
const argument = (name: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
};

async function control<T>(emulatorUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${emulatorUrl}/__emulator/${path}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`emulator ${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** One sender scenario, from this (fresh) process: the app's server and the compiled worker as children. */
async function runScenario(scenario: Scenario, emulatorUrl: string) {
  const database = join(benchCacheDir, `${scenario.name}-${process.pid}.sqlite`);
  const databaseUrl = prepareBenchApp(database);

  const { routeShopifyToEmulator } = await import("../emulator/preload.mjs");
  routeShopifyToEmulator(emulatorUrl);
  const { authenticate, unauthenticated } = await import("~/shopify.server");
  const { createCampaign } = await import("~/services/campaigns/campaigns.server");
  const { countAudience } = await import("~/services/customers/audienceCount.server");
  const { buildCustomerQuery } = await import("~/services/customers/customerSearch");
  const { findCampaign } = await import("~/models/Campaign.server");
  const { idealSeconds } = await import("~/services/sending/pacing");
  const { embeddedDocumentRequest } = await import("../test/support/requests");
  const prisma = (await import("~/db.server")).default;

  // GIVEN the shop, its customers and the app installed (token exchange)
  const shop = `bench-${scenario.name}-${process.pid}.myshopify.com`;
  await control(emulatorUrl, "POST", "shops", {
    domain: shop,
    ...(scenario.plan ? { plan: scenario.plan } : { custom: scenario.custom }),
    customers: scenario.source === "query" ? scenario.customers : 0,
    seed: 42,
  });
  if (scenario.source === "selection") {
    const customers = Array.from({ length: scenario.customers }, (_, i) => ({
      email: `bench${i}@example.com`,
      state: "DISABLED",
    }));
    await control(emulatorUrl, "POST", `shops/${shop}/customers`, { customers });
  }
  await authenticate.admin(embeddedDocumentRequest("/app", { shop }));
  const ids =
    scenario.source === "selection"
      ? (
          await control<{ customers: { id: string }[] }>(
            emulatorUrl,
            "GET",
            `customers?shop=${shop}&limit=10000`,
          )
        ).customers.map((c) => c.id)
      : undefined;

  // The app's server (webhooks) and the compiled worker run, as in production (README, Deploying): the
  // worker is up and polling before the merchant records the campaign.
  const env = { ...process.env, LOG_LEVEL: "info", SHOPIFY_EMULATOR_URL: emulatorUrl };
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const server = startNode("app", SERVER_SCRIPT, {
    ...env,
    PORT: String(port),
    HOST: "127.0.0.1",
    SHOPIFY_APP_URL: appUrl,
    WORKER_ENABLED: "false",
  });
  await server.waitForLog((line) => line.msg === "Account Invites is listening");
  await control(emulatorUrl, "PATCH", "app", { appUrl });
  // BENCH_WORKER_NODE_OPTIONS: the worker's NODE_OPTIONS (say, a heap cap), reported with the figures.
  const workerNodeOptions = process.env.BENCH_WORKER_NODE_OPTIONS ?? "";
  const worker = startNode("worker", WORKER_SCRIPT, env, workerNodeOptions);
  await worker.waitForLog((line) => line.msg === "invite worker started");
  const workerPid = worker.child.pid!;
  const boot = processUsage(workerPid);
  const cpuAtBoot = boot.cpuSeconds;

  // The merchant records the campaign as the New campaign page does: a query's audience counted first
  // (decides bulk reads), then recorded. Timed as `recordSeconds`; the sender's clock starts later.
  const before = await control<EmulatorStats>(emulatorUrl, "GET", `stats?shop=${shop}`);
  if (LATENCY) await control(emulatorUrl, "POST", "faults", { shop, ...LATENCY });
  // The bucket is full before the clock starts (the ideal assumes it).
  await control(emulatorUrl, "PATCH", `shops/${shop}`, { fillBucket: true });
  const recordStarted = performance.now();
  let audienceCount: { count: number; exact: boolean } | null = null;
  let query: string | undefined;
  if (!ids) {
    const audience = { states: ["DISABLED" as const], tags: [], query: "" };
    query = buildCustomerQuery(audience);
    const { admin } = await unauthenticated.admin(shop);
    audienceCount = (await countAudience({ graphql: admin.graphql, audience, countUpTo: 1_001 })).count;
  }
  const { campaign } = await createCampaign({
    shop,
    requestedBy: "bench",
    input: ids
      ? { customerIds: ids, includeDeclined: false, idempotencyKey: "bench" }
      : { query, includeDeclined: false, idempotencyKey: "bench" },
    audienceCount,
  });
  const recordSeconds = (performance.now() - recordStarted) / 1000;

  // WHEN the worker picks it up (its next poll, at most WORKER_POLL_MS later): the clock starts at the
  // campaign's startedAt, the worker's own mark, and stops at its finishedAt.
  let running = await findCampaign({ shop, id: campaign.id });
  while (running && !running.startedAt) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    running = await findCampaign({ shop, id: campaign.id });
  }
  const atStart = await control<EmulatorStats>(emulatorUrl, "GET", `stats?shop=${shop}`);
  const cpuAtStart = processUsage(workerPid).cpuSeconds;
  const t0 = running?.startedAt?.getTime() ?? Date.now();

  // THEN the campaign ends: finishedAt is the worker's own mark of its end
  const ideal = idealSeconds({ invites: scenario.customers, cost: 10, ...before.throttleStatus });
  const deadline = Date.now() + (3 * ideal + 300) * 1000;
  let done = await findCampaign({ shop, id: campaign.id });
  while (done && !["completed", "failed", "cancelled", "paused"].includes(done.status)) {
    if (Date.now() > deadline) throw new Error(`${scenario.name}: still ${done.status} at the deadline`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    done = await findCampaign({ shop, id: campaign.id });
  }
  const usage = processUsage(workerPid);
  const serverUsage = processUsage(server.child.pid!);
  const after = await control<EmulatorStats>(emulatorUrl, "GET", `stats?shop=${shop}`);
  const { requests: mutationRequests } = await control<{
    requests: { invites: number; receivedAt: number; endedAt: number }[];
  }>(emulatorUrl, "GET", `mutation-requests?shop=${shop}`);
  const { operations: bulkOperations } = await control<{
    operations: { status: string; createdAt: string; completedAt: string | null; objectCount: string }[];
  }>(emulatorUrl, "GET", `bulk-operations?shop=${shop}`).catch(() => ({ operations: [] }));
  await worker.stop();
  await server.stop();
  await prisma.$disconnect();
  await dropBenchDatabase(databaseUrl);

  const finishedAt = done?.finishedAt?.getTime() ?? Date.now();
  const wallSeconds = (finishedAt - t0) / 1000;
  // The outbox itself is fetched only for small runs (100,000 emails as JSON are slow to move).
  const outboxCount =
    (done?.total ?? 0) <= 10_000
      ? (await control<{ emails: unknown[] }>(emulatorUrl, "GET", `outbox?shop=${shop}`)).emails.length
      : null;
  const invites = done?.sentCount ?? 0;
  const bucket = before.throttleStatus;
  const cost = 10;
  const idealForInvites = idealSeconds({ invites, cost, ...bucket });
  const pointsSpent = after.pointsSpent - atStart.pointsSpent;
  // The same ideal for every point the run needed: the invites plus the reads eligibility requires.
  const idealWithReads = Math.max(0, pointsSpent - bucket.maximumAvailable) / bucket.restoreRate;
  const appCpuSeconds = usage.cpuSeconds - cpuAtStart;
  if (databaseKind(databaseUrl) === "sqlite")
    for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(database + suffix, { force: true });
  // Reads: every point that was not an invite's (10 each, as Shopify prices them; no invite fails here).
  const readPoints = pointsSpent - invites * cost;
  const inviteRequests = mutationRequests.filter((r) => r.invites > 0);
  const seconds = (ms: number) => round((ms - t0) / 1000);
  const timelineRow = (r: { invites: number; receivedAt: number; endedAt: number }) => [
    seconds(r.receivedAt),
    r.invites,
    round((r.endedAt - r.receivedAt) / 1000),
  ];
  const bulk = bulkOperations[0];
  return {
    scenario: scenario.name,
    description: scenario.description,
    database: databaseKind(databaseUrl),
    latencyModel: LATENCY,
    worker: "compiled (node build/worker/main.js), its own process; the app's server beside it",
    workerNodeOptions,
    status: done?.status,
    readMethod: done?.readMethod,
    bucket,
    recipients: done?.total,
    invites,
    outbox: outboxCount,
    skipped: done?.skippedCount,
    failed: done?.failedCount,
    recordSeconds: round(recordSeconds),
    wallSeconds: round(wallSeconds),
    idealSeconds: round(idealForInvites),
    efficiency: round(wallSeconds > 0 ? idealForInvites / wallSeconds : 0),
    pointsSpent,
    idealSecondsForAllPoints: round(idealWithReads),
    efficiencyForAllPoints: round(wallSeconds > 0 ? idealWithReads / wallSeconds : 0),
    readPoints,
    readPointsPerRecipient: round(done?.total ? readPoints / done.total : 0),
    readPointsShareOfInvitePoints: round(invites > 0 ? readPoints / (invites * cost) : 0),
    requests: after.graphqlRequests - atStart.graphqlRequests,
    inviteRequests: inviteRequests.length,
    readRequests: after.graphqlRequests - atStart.graphqlRequests - inviteRequests.length,
    throttled: after.throttled - atStart.throttled,
    // Where the time beyond the ideal went: seconds the bucket sat full (restore nobody used: the
    // reads before the first invite, a bulk query's preparation), and the wait for the last answers.
    bucketFullSeconds: round((after.bucketFullMs - atStart.bucketFullMs) / 1000),
    firstInviteRequestAtSeconds: inviteRequests.length ? seconds(inviteRequests[0]!.receivedAt) : null,
    lastInviteRequestAtSeconds: inviteRequests.length ? seconds(inviteRequests.at(-1)!.receivedAt) : null,
    bulkOperation: bulk
      ? {
          status: bulk.status,
          objects: Number(bulk.objectCount),
          seconds: bulk.completedAt
            ? round((Date.parse(bulk.completedAt) - Date.parse(bulk.createdAt)) / 1000)
            : null,
        }
      : null,
    // The first and last invite requests: [sent at s, invites, seconds it took] (where a pause would show).
    inviteRequestsTimeline: {
      first: inviteRequests.slice(0, Number(process.env.BENCH_TIMELINE ?? 25)).map(timelineRow),
      last: inviteRequests.slice(-25).map(timelineRow),
    },
    appCpuSeconds: round(appCpuSeconds),
    appCpuMsPerInvite: round(invites > 0 ? (appCpuSeconds * 1000) / invites : 0),
    workerStartupCpuSeconds: round(cpuAtBoot),
    pickupSeconds: running?.startedAt ? round((t0 - campaign.createdAt.getTime()) / 1000) : null,
    peakRssMb: usage.peakRssMb,
    // The worker's peak RSS once started and idle, before the campaign (Node, Prisma, the libraries).
    workerBootPeakRssMb: boot.peakRssMb,
    appServerPeakRssMb: serverUsage.peakRssMb,
    warnings: worker.warnings.length + server.warnings.length,
    // What the pacer expected when Shopify answered THROTTLED (the worker's own notes), if it did.
    throttledNotes: worker.throttled.map(({ expectedAvailable, reported, inFlight }) => ({
      expectedAvailable,
      reported,
      inFlight,
    })),
  };
}

interface EmulatorStats {
  graphqlRequests: number;
  throttled: number;
  pointsSpent: number;
  bucketFullMs: number;
  throttleStatus: { maximumAvailable: number; restoreRate: number };
}

function round(value: number) {
  return Math.round(value * 1000) / 1000;
}

const PAGE_ROUTES = "page-routes";

/** The production build (`npm run build`'s two steps): the app for its server and page-routes, the worker. */
function buildApp() {
  const built = ["server/index.js", "worker/main.js"].every((file) => existsSync(join(root, "build", file)));
  if (process.env.BENCH_SKIP_BUILD === "1" && built) return;
  process.stderr.write("bench: building the app and the worker (npm run build)\n");
  const quiet = { cwd: root, stdio: ["ignore", "ignore", "inherit"] as ("ignore" | "inherit")[] };
  execFileSync("npx", ["remix", "vite:build"], quiet);
  execFileSync("npx", ["vite", "build", "--config", "vite.worker.config.ts"], quiet);
}

const AUTO_INVITE_BURST = "auto-invite-burst";

function runChild(name: string, emulatorUrl: string, databaseUrl: string | null): Promise<unknown> {
  return new Promise((resolveResult, reject) => {
    const child = spawn(
      process.execPath,
      name === PAGE_ROUTES
        ? ["--import", "tsx", join(root, "bench/pageRoutes.ts"), "--emulator", emulatorUrl]
        : name === AUTO_INVITE_BURST
          ? ["--import", "tsx", join(root, "bench/autoInviteBurst.ts")]
          : [
              "--import",
              "tsx",
              fileURLToPath(import.meta.url),
              "--scenario",
              name,
              "--emulator",
              emulatorUrl,
            ],
      {
        cwd: root,
        env: {
          ...process.env,
          NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? "",
          BENCH_DATABASE_URL: databaseUrl ?? "",
        },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => {
      const line = output.trim().split("\n").pop() ?? "";
      try {
        resolveResult(JSON.parse(line));
      } catch {
        reject(new Error(`scenario ${name} exited with ${code}: ${output.slice(-2_000)}`));
      }
    });
  });
}

/** The figures the issue sets targets for, one row per scenario and database (the README's table). */
function summaryOf(results: Record<string, unknown>[]) {
  return results.map((r) => {
    if (r.scenario === PAGE_ROUTES)
      return {
        scenario: r.scenario,
        database: r.database,
        worstDataP95Ms: r.worstDataP95Ms,
        worstDocumentP95Ms: r.worstDocumentP95Ms,
        withinTarget: r.withinTarget,
      };
    const keys = [
      "scenario",
      "database",
      "readMethod",
      "invites",
      "wallSeconds",
      "idealSeconds",
      "efficiency",
      "idealSecondsForAllPoints",
      "efficiencyForAllPoints",
      "pointsSpent",
      "readPointsPerRecipient",
      "readPointsShareOfInvitePoints",
      "requests",
      "throttled",
      "bucketFullSeconds",
      "appCpuMsPerInvite",
      "peakRssMb",
    ];
    return Object.fromEntries(keys.filter((key) => key in r).map((key) => [key, r[key]]));
  });
}

const scenarioName = argument("scenario");
if (scenarioName) {
  const scenario = SCENARIOS.find((s) => s.name === scenarioName);
  if (!scenario) throw new Error(`unknown scenario ${scenarioName}`);
  const result = await runScenario(scenario, argument("emulator") ?? "");
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
} else {
  const wanted = process.env.BENCH_SCENARIOS?.split(",") ?? [
    ...SCENARIOS.map((s) => s.name),
    PAGE_ROUTES,
    AUTO_INVITE_BURST,
  ];
  // Every scenario on each ledger (BENCH_DATABASES=sqlite,postgresql, the default): PostgreSQL is a
  // server of its own (scripts/with-postgres.mjs), or BENCH_DATABASE_URL's. auto-invite-burst runs on
  // SQLite only (its in-process worker is the one tested on both by the automation tests).
  const databases = (process.env.BENCH_DATABASES ?? "sqlite,postgresql").split(",");
  const benchStarted = performance.now();
  const loadBefore = loadavg();
  buildApp();
  let postgres: { url: string; stop: () => void } | null = null;
  if (databases.includes("postgresql") && !process.env.BENCH_DATABASE_URL) {
    const { startPostgres } = (await import("../scripts/with-postgres.mjs")) as {
      startPostgres: () => Promise<{ url: string; stop: () => void }>;
    };
    postgres = await startPostgres();
  }
  const postgresUrl = process.env.BENCH_DATABASE_URL || postgres?.url || null;
  const emulator = await startEmulator();
  const results: Record<string, unknown>[] = [];
  try {
    for (const name of wanted) {
      for (const database of databases) {
        if (name === AUTO_INVITE_BURST && database !== "sqlite") continue;
        process.stderr.write(`bench: running ${name} on ${database}\n`);
        const result = await runChild(name, emulator.url, database === "postgresql" ? postgresUrl : null);
        results.push(result as Record<string, unknown>);
        // BENCH_PROGRESS_FILE: each result as it comes, one JSON line (a long run's figures survive it).
        if (process.env.BENCH_PROGRESS_FILE)
          appendFileSync(process.env.BENCH_PROGRESS_FILE, `${JSON.stringify(result)}\n`);
      }
    }
  } finally {
    emulator.stop();
    postgres?.stop();
  }
  process.stdout.write(
    `${JSON.stringify(
      {
        node: process.version,
        cpus: (await import("node:os")).cpus().length,
        loadAverage: { before: loadBefore.map(round), after: loadavg().map(round) },
        benchSeconds: Math.round((performance.now() - benchStarted) / 1000),
        summary: summaryOf(results),
        scenarios: results,
      },
      null,
      2,
    )}\n`,
  );
}
