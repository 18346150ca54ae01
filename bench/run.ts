// `npm run bench`: the real sender (app/jobs + app/services) against the local Shopify emulator.
// Prints one JSON document on stdout: per scenario the invites sent, wall seconds, the ideal seconds
// `max(0, N·cost − bucket) / restoreRate`, efficiency = ideal / wall, requests, THROTTLED answers, the
// app's CPU seconds and peak RSS.
//
// The emulator runs in its own process, and each scenario in a fresh app process (so CPU and peak RSS
// are the app's alone): `node --import tsx bench/run.ts --scenario <name> --emulator <url>`.
// BENCH_SCENARIOS=plus-5000,standard-fast,query-100k,page-loaders picks scenarios (default: all).
// `page-loaders` (bench/pageLoaders.ts) times every page's loader against a million-row ledger.
// `auto-invite-burst` (bench/autoInviteBurst.ts, its own emulator) sends a burst of automatic invites.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { TEST_API_KEY, TEST_API_SECRET } from "../test/testEnv";
import { benchCacheDir, benchRoot, prepareBenchApp } from "./benchApp";

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
    description: "5,000 invites, a selection, on the Plus preset (20,000 points, 1,000/s)",
    plan: "plus",
    source: "selection",
    customers: 5_000,
  },
  {
    name: "standard-fast",
    description:
      "2,000 invites on the Standard bucket (2,000 points) with a 5× restore rate (500/s) to finish in under a minute",
    custom: { maximumAvailable: 2_000, restoreRate: 500 },
    source: "selection",
    customers: 2_000,
  },
  {
    name: "query-100k",
    description:
      "a search-query campaign over 100,000 seeded customers (state:disabled), custom high rate, for memory and CPU",
    custom: { maximumAvailable: 20_000, restoreRate: 50_000 },
    source: "query",
    customers: Number(process.env.BENCH_QUERY_CUSTOMERS ?? 100_000),
  },
];

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
  prepareBenchApp(database);

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
  const started = performance.now();
  const { campaign } = await createCampaign({
    shop,
    requestedBy: "bench",
    input: ids
      ? { customerIds: ids, includeDeclined: false, idempotencyKey: "bench" }
      : { query: "state:disabled", includeDeclined: false, idempotencyKey: "bench" },
  });
  const worker = createInviteWorker({
    options: {
      pollMs: 50,
      leaseTtlMs: 60_000,
      requestTimeoutMs: 30_000,
      maxAttempts: 5,
      maxInFlight: Number(process.env.BENCH_MAX_IN_FLIGHT ?? 3),
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
  const after = await control<{ graphqlRequests: number; throttled: number; pointsSpent: number }>(
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
  return {
    scenario: scenario.name,
    description: scenario.description,
    status: done?.status,
    bucket,
    recipients: done?.total,
    invites,
    outbox: outboxCount,
    skipped: done?.skippedCount,
    failed: done?.failedCount,
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

const PAGE_LOADERS = "page-loaders";
const AUTO_INVITE_BURST = "auto-invite-burst";

function runChild(name: string, emulatorUrl: string): Promise<unknown> {
  return new Promise((resolveResult, reject) => {
    const child = spawn(
      process.execPath,
      name === PAGE_LOADERS
        ? ["--import", "tsx", join(root, "bench/pageLoaders.ts")]
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
    PAGE_LOADERS,
    AUTO_INVITE_BURST,
  ];
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
    `${JSON.stringify({ node: process.version, cpus: (await import("node:os")).cpus().length, scenarios: results }, null, 2)}\n`,
  );
}
