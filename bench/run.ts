// `npm run bench`: the real sender (app/jobs + app/services) against the local Shopify emulator, and the
// app's pages through the production build. Prints one JSON document on stdout. Per sender scenario:
// invites, wall seconds (from the worker's start; recording the campaign is `recordSeconds`),
// `efficiency` = the invites-only ideal `max(0, 10·invites − bucket)/restoreRate` over wall time,
// `efficiencyForAllPoints` = the same ideal for every point the run spent (reads included), points
// spent, requests, THROTTLED answers, the app's CPU per invite and peak RSS.
//
// Shopify takes time: every request of a sender scenario runs on the emulator for 250 ms plus 20 ms per
// invite alias (2.25 s for a batch of 100), its requested cost out of the bucket meanwhile (the
// emulator's execution-time model, emulator/README.md). BENCH_LATENCY=0 turns it off.
//
// The emulator runs in its own process, and each scenario in a fresh app process (so CPU and peak RSS
// are the app's alone): `node --import tsx bench/run.ts --scenario <name> --emulator <url>`.
// BENCH_SCENARIOS=plus-5000,standard-600,query-100k,page-routes picks scenarios (default: all);
// BENCH_DATABASE_URL (or --database) runs them on that ledger instead of a fresh SQLite file;
// BENCH_SKIP_BUILD=1 reuses build/ for page-routes. `auto-invite-burst` (bench/autoInviteBurst.ts, its own
// emulator) sends a burst of automatic invites.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { TEST_API_KEY, TEST_API_SECRET } from "../test/testEnv";
import { benchCacheDir, benchRoot, databaseKind, prepareBenchApp } from "./benchApp";

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
      "a search-query campaign (state:disabled) over 100,000 seeded customers on the Plus plan, targets read page by page",
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

/** One scenario, in this (fresh) process. */
async function runScenario(scenario: Scenario, emulatorUrl: string) {
  const database = join(benchCacheDir, `${scenario.name}-${process.pid}.sqlite`);
  const databaseUrl = prepareBenchApp(database);

  const { routeShopifyToEmulator } = await import("../emulator/preload.mjs");
  routeShopifyToEmulator(emulatorUrl);
  const { authenticate, unauthenticated } = await import("~/shopify.server");
  const { createCampaign } = await import("~/services/campaigns/campaigns.server");
  const { findCampaign } = await import("~/models/Campaign.server");
  const { createInviteWorker } = await import("~/jobs/inviteWorker.server");
  const { idealSeconds } = await import("~/services/sending/pacing");
  const { embeddedDocumentRequest } = await import("../test/support/requests");

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
  const before = await control<{
    graphqlRequests: number;
    throttled: number;
    pointsSpent: number;
    throttleStatus: { maximumAvailable: number; restoreRate: number };
  }>(emulatorUrl, "GET", `stats?shop=${shop}`);
  if (LATENCY) await control(emulatorUrl, "POST", "faults", { shop, ...LATENCY });
  // The bucket is full before the clock starts (the ideal assumes it).
  await control(emulatorUrl, "PATCH", `shops/${shop}`, { fillBucket: true });

  // WHEN the campaign is recorded and the worker sends it
  const memory = {
    peakHeapUsedMb: 0,
    peakExternalMb: 0,
    rssSamplesMb: [] as number[],
    heapSamplesMb: [] as number[],
  };
  const sampler = setInterval(() => {
    // With BENCH_NODE_OPTIONS=--expose-gc the samples show what is retained, not garbage not yet collected.
    const collect: unknown = Reflect.get(globalThis, "gc");
    if (typeof collect === "function") collect();
    const usage = process.memoryUsage();
    memory.peakHeapUsedMb = Math.max(memory.peakHeapUsedMb, round(usage.heapUsed / 2 ** 20));
    memory.peakExternalMb = Math.max(
      memory.peakExternalMb,
      round((usage.external + usage.arrayBuffers) / 2 ** 20),
    );
    memory.rssSamplesMb.push(Math.round(usage.rss / 2 ** 20));
    memory.heapSamplesMb.push(Math.round(usage.heapUsed / 2 ** 20));
  }, 2_000);
  const cpuStart = process.cpuUsage();
  const recordStarted = performance.now();
  const { campaign } = await createCampaign({
    shop,
    requestedBy: "bench",
    input: ids
      ? { customerIds: ids, includeDeclined: false, idempotencyKey: "bench" }
      : { query: "state:disabled", includeDeclined: false, idempotencyKey: "bench" },
  });
  // The merchant's request ends here; the sender's clock starts with the worker.
  const recordSeconds = (performance.now() - recordStarted) / 1000;
  const atStart = await control<{ bucketFullMs: number }>(emulatorUrl, "GET", `stats?shop=${shop}`);
  const started = performance.now();
  const worker = createInviteWorker({
    options: {
      pollMs: 50,
      leaseTtlMs: 60_000,
      requestTimeoutMs: 30_000,
      maxAttempts: 5,
      maxInFlight: Number(process.env.BENCH_MAX_IN_FLIGHT ?? 20),
      maxShops: 1,
      uncertainGraceMs: 30_000,
      backoffBaseMs: 1_000,
      backoffMaxMs: 30_000,
      maxFailuresInRow: 8,
      // One shop: its turn lasts the whole run.
      sliceMs: 24 * 3_600_000,
      maxCoolDownMs: 900_000,
      maxBackoffsWithoutProgress: 8,
    },
    getGraphql: async (domain) => (await unauthenticated.admin(domain)).admin.graphql,
  });
  await worker.runOnce();
  const wallSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  clearInterval(sampler);

  // THEN
  const done = await findCampaign({ shop, id: campaign.id });
  const after = await control<{
    graphqlRequests: number;
    throttled: number;
    pointsSpent: number;
    bucketFullMs: number;
  }>(
    emulatorUrl,
    "GET",
    `stats?shop=${shop}`,
  );
  // The outbox itself is fetched only for small runs: 100,000 emails as JSON would weigh on this
  // process's peak RSS, which is meant to be the app's.
  const outboxCount =
    (done?.total ?? 0) <= 10_000
      ? (await control<{ emails: unknown[] }>(emulatorUrl, "GET", `outbox?shop=${shop}`)).emails.length
      : null;
  const invites = done?.sentCount ?? 0;
  const bucket = before.throttleStatus;
  const cost = 10;
  const ideal = idealSeconds({ invites, cost, ...bucket });
  const pointsSpent = after.pointsSpent - before.pointsSpent;
  // The same ideal for every point the run needed: the invites plus the reads eligibility requires.
  const idealWithReads = Math.max(0, pointsSpent - bucket.maximumAvailable) / bucket.restoreRate;
  const appCpuSeconds = (cpu.user + cpu.system) / 1e6;
  rmSync(database, { force: true });
  // Reads: every point that was not an invite's (10 each, as Shopify prices them; no invite fails here).
  const readPoints = pointsSpent - invites * cost;
  return {
    scenario: scenario.name,
    description: scenario.description,
    database: databaseKind(databaseUrl),
    latencyModel: LATENCY,
    worker: "tsx (app/jobs through node --import tsx; no compiled worker yet)",
    status: done?.status,
    bucket,
    recipients: done?.total,
    invites,
    outbox: outboxCount,
    skipped: done?.skippedCount,
    failed: done?.failedCount,
    recordSeconds: round(recordSeconds),
    wallSeconds: round(wallSeconds),
    idealSeconds: round(ideal),
    efficiency: round(wallSeconds > 0 ? ideal / wallSeconds : 0),
    pointsSpent,
    idealSecondsForAllPoints: round(idealWithReads),
    efficiencyForAllPoints: round(wallSeconds > 0 ? idealWithReads / wallSeconds : 0),
    readPoints,
    readPointsPerRecipient: round(done?.total ? readPoints / done.total : 0),
    readPointsShareOfInvitePoints: round(invites > 0 ? readPoints / (invites * cost) : 0),
    requests: after.graphqlRequests - before.graphqlRequests,
    inviteRequests: worker.stats.inviteRequests,
    readRequests: worker.stats.readRequests,
    throttled: after.throttled - before.throttled,
    // Restore nobody used: seconds the bucket spent full while the campaign ran (the emulator's count).
    bucketFullSeconds: round((after.bucketFullMs - atStart.bucketFullMs) / 1000),
    appCpuSeconds: round(appCpuSeconds),
    appCpuMsPerInvite: round(invites > 0 ? (appCpuSeconds * 1000) / invites : 0),
    peakRssMb: round(process.resourceUsage().maxRSS / 1024),
    memory,
  };
}

function round(value: number) {
  return Math.round(value * 1000) / 1000;
}

async function startEmulator(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "emulator/src/main.ts")], {
    cwd: root,
    env: {
      ...process.env,
      SHOPIFY_API_KEY: TEST_API_KEY,
      SHOPIFY_API_SECRET: TEST_API_SECRET,
      EMULATOR_PORT: "0",
      NODE_OPTIONS: "",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolveUrl(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}: ${output}`)));
  });
  return { url, stop: () => child.kill("SIGTERM") };
}

const PAGE_ROUTES = "page-routes";

/** The production build page-routes runs against (remix vite:build, as `npm run build`). */
function buildApp() {
  if (process.env.BENCH_SKIP_BUILD === "1" && existsSync(join(root, "build", "server", "index.js"))) return;
  process.stderr.write("bench: building the app (remix vite:build)\n");
  execFileSync("npx", ["remix", "vite:build"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
}

const AUTO_INVITE_BURST = "auto-invite-burst";

function runChild(name: string, emulatorUrl: string): Promise<unknown> {
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
        env: { ...process.env, NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? "" },
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
        reject(new Error(`scenario ${name} exited with ${code}: ${output}`));
      }
    });
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
  const benchStarted = performance.now();
  const loadBefore = loadavg();
  if (wanted.includes(PAGE_ROUTES)) buildApp();
  const emulator = await startEmulator();
  const results: unknown[] = [];
  try {
    for (const name of wanted) {
      process.stderr.write(`bench: running ${name}\n`);
      results.push(await runChild(name, emulator.url));
    }
  } finally {
    emulator.stop();
  }
  process.stdout.write(
    `${JSON.stringify(
      {
        node: process.version,
        cpus: (await import("node:os")).cpus().length,
        loadAverage: { before: loadBefore.map(round), after: loadavg().map(round) },
        benchSeconds: Math.round((performance.now() - benchStarted) / 1000),
        scenarios: results,
      },
      null,
      2,
    )}\n`,
  );
}
