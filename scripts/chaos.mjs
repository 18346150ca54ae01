#!/usr/bin/env node
// `npm run chaos` (full) / `npm run chaos -- --short` (CI, a few minutes on 2 cores).
//
// The production build of the app (its own server, server.mjs, with the in-process invite worker) against the emulator, in
// separate processes, while things go wrong: the app is SIGKILLed again and again (about half the time
// right after Shopify recorded an invite, so a batch is in flight) and restarted; ~10% of invite requests
// run and then lose their answer (502, 504, reset socket, late answer); 5xx, timeout and THROTTLED bursts;
// every access token expires twice mid-campaign; one shop is uninstalled with a request in flight, then
// reinstalled by opening the app and its paused campaigns resumed through the JSON API. Campaigns are
// created through the JSON API (POST /api/campaigns) like an extension does.
//
// Then faults are cleared, the app finishes, it is stopped, and the emulator's outbox is compared with the
// ledger read straight from the SQLite file (test/chaos/verify.mjs): no customer invited twice, every
// `sent` with exactly one email, every email accounted for (`sent` or `failed UNCERTAIN`), nothing left
// `sending`, every campaign completed or stopped with a stated reason, and the app never exited by itself.
// A JSON summary goes to stdout (and test-output/chaos/<run>/summary.json); exit code 1 if a requirement
// failed. Logs of both processes: test-output/chaos/<run>/{app,emulator}.log.
//
// Options: --short, --skip-build (reuse build/ when it exists), --seed=<n>, --kills=<n>.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  Child,
  controlClient,
  freePort,
  http,
  killAllChildren,
  mulberry32,
  sleep,
  waitUntil,
} from "../test/chaos/harness.mjs";
import { ledgerCounts, readLedger } from "../test/chaos/ledger.mjs";
import { verifyRun } from "../test/chaos/verify.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const SHORT = flag("short");
const MODE = SHORT ? "short" : "full";
const SEED = Number(option("seed") ?? 20261201);
const random = mulberry32(SEED);

// ------------------------------------------------------------------------------------------------
// Configuration
// ------------------------------------------------------------------------------------------------
const CONFIG = SHORT
  ? {
      customersPerShop: 260,
      kills: Number(option("kills") ?? 12),
      minKills: 10,
      minInvites: 600,
      randomKillMaxMs: 4_000,
      killPhaseMs: 220_000,
      finishMs: 90_000,
      totalMs: 340_000,
    }
  : {
      customersPerShop: 900,
      kills: Number(option("kills") ?? 56),
      minKills: 50,
      minInvites: 2_000,
      randomKillMaxMs: 5_000,
      killPhaseMs: 900_000,
      finishMs: 240_000,
      totalMs: 1_500_000,
    };
const SHOPS = ["chaos-a.myshopify.com", "chaos-b.myshopify.com", "chaos-c.myshopify.com"];
/** The shop that is uninstalled with a request in flight, then reinstalled. */
const UNINSTALL_SHOP = SHOPS[2];
/**
 * Bucket presets (custom plan). 600 points: the app's biggest read (a page of 250 customers, 502 points)
 * fits, and an invite request carries at most 60 invites. The restore rate sets the pace (restoreRate / 10
 * invites a second). The kill phase moves each shop between levels so that work remains for every
 * planned kill (a generous bucket would finish the campaigns after a few kills); the finish runs on a
 * generous bucket.
 */
const BUCKET_LEVELS = [10, 20, 40, 80, 150, 300].map((restoreRate) => ({
  maximumAvailable: 600,
  restoreRate,
}));
const START_LEVEL = 1;
const FINISH_BUCKET = { maximumAvailable: 2_000, restoreRate: 1_000 };
/**
 * How long a kill waits for Shopify to record an invite. Longer than the worker's first cool-down (30 s:
 * a turn whose first read failed during a burst backs off that long).
 */
const GROWTH_WAIT_MS = 45_000;
/**
 * How long a kill "with a batch in flight" waits for that; then the process is killed anyway (a kill
 * also ends the worker's in-memory cool-downs) and the next kill tries again.
 */
const INFLIGHT_WAIT_MS = 12_000;
/** ~10% of invite requests run, then lose their answer; every request waits a little (kills land mid-request). */
const STEADY_FAULTS = {
  latencyMs: 120,
  lostAfter502Rate: 0.03,
  lostAfter504Rate: 0.03,
  lostAfterResetRate: 0.02,
  lostAfterDelayRate: 0.02,
  lostAfterDelayMs: 3_000,
  lostAfterMutationsOnly: true,
};
const APP_ENV = {
  WORKER_ENABLED: "true",
  WORKER_POLL_MS: "100",
  WORKER_LEASE_MS: "3000",
  INVITE_REQUEST_TIMEOUT_MS: "2000",
  WORKER_SLICE_MS: "3000",
  LOG_LEVEL: "info",
};

const started = Date.now();
const runName = `${MODE}-${new Date(started).toISOString().replace(/[:.]/g, "-")}`;
const runDir = join(root, "test-output", "chaos", runName);
mkdirSync(runDir, { recursive: true });
const dbDir = join(root, "node_modules", ".cache", "account-invites-chaos");
mkdirSync(dbDir, { recursive: true });
// One database per run: two runs at once (a developer and CI on one machine) must not share a file.
// Removed after a passing run, kept after a failing one (its path is in the summary).
const dbFile = join(dbDir, `${runName}.sqlite`);
const appLog = join(runDir, "app.log");
const emulatorLog = join(runDir, "emulator.log");
const globalDeadline = started + CONFIG.totalMs;

const say = (line) =>
  process.stderr.write(`chaos [${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`);

// Everything the summary reports.
const record = {
  kills: 0,
  killsWithBatchInFlight: 0,
  killsCaughtSending: 0,
  recipientsCaughtSending: 0,
  killLog: [],
  unexpectedExits: [],
  appStarts: 0,
  tokenExpiries: [],
  uninstalls: [],
  reinstalls: [],
  resumed: [],
  bursts: [],
  bucketChanges: [],
  campaignsCreated: [],
  idempotentReplay: null,
  finalStop: null,
  errors: [],
};

// ------------------------------------------------------------------------------------------------
// Processes
// ------------------------------------------------------------------------------------------------
const credentials = {
  SHOPIFY_API_KEY: "chaos-account-invites",
  SHOPIFY_API_SECRET: randomBytes(24).toString("hex"),
  // Seals activation links while an export holds them: one key per run, kept across the app's restarts.
  LINK_EXPORT_KEY: randomBytes(32).toString("base64"),
};
let emulatorUrl;
let appUrl;
let appPort;
let emulator;
let app = null;
let control;

function baseEnv() {
  const env = { ...process.env, NODE_OPTIONS: "" };
  delete env.HOST;
  return env;
}

async function startEmulator() {
  const port = await freePort();
  emulatorUrl = `http://127.0.0.1:${port}`;
  emulator = new Child("emulator", ["--import", "tsx", "emulator/src/main.ts"], {
    cwd: root,
    logFile: emulatorLog,
    env: { ...baseEnv(), ...credentials, SHOPIFY_APP_URL: appUrl, EMULATOR_PORT: String(port) },
  });
  emulator.exited.then((exit) => {
    if (!exit.expected)
      record.errors.push({ what: "the emulator exited by itself", exit, tail: emulator.tail });
  });
  control = controlClient(emulatorUrl);
  await waitUntil(
    async () => {
      if (!emulator.running) throw new Error(`the emulator exited: ${emulator.tail.join("\n")}`);
      return (
        (await http("GET", `${emulatorUrl}/__emulator/health`, { timeoutMs: 2_000 }).catch(() => null))
          ?.status === 200
      );
    },
    { timeoutMs: 60_000, intervalMs: 200, what: "the emulator" },
  );
}

function startApp() {
  record.appStarts++;
  const child = new Child(
    "app",
    ["--enable-source-maps", "--import", "./emulator/preload.mjs", "server.mjs"],
    {
      cwd: root,
      logFile: appLog,
      env: {
        ...baseEnv(),
        ...credentials,
        ...APP_ENV,
        NODE_ENV: "production",
        PORT: String(appPort),
        HOST: "127.0.0.1",
        SHOPIFY_APP_URL: appUrl,
        SCOPES: "read_customers,write_customers",
        DATABASE_URL: `file:${dbFile}`,
        SHOPIFY_EMULATOR_URL: emulatorUrl,
      },
    },
  );
  child.exited.then((exit) => {
    if (exit.expected) return;
    const entry = {
      pid: child.pid,
      code: exit.code,
      signal: exit.signal,
      uptimeMs: exit.at - child.startedAt,
      at: new Date(exit.at).toISOString(),
      tail: child.tail.slice(-25),
    };
    record.unexpectedExits.push(entry);
    say(`UNEXPECTED EXIT of the app (pid ${child.pid}, code ${exit.code}, signal ${exit.signal})`);
  });
  app = child;
  return child;
}

/** The app, started if it is not running, answering HTTP. */
async function ensureApp() {
  if (!app || !app.running) startApp();
  await waitUntil(
    async () => {
      if (!app.running) {
        startApp();
        return false;
      }
      const r = await http("GET", `${appUrl}/`, { timeoutMs: 2_000 }).catch(() => null);
      return r && r.status < 500;
    },
    { timeoutMs: 60_000, intervalMs: 100, what: "the app to answer" },
  );
  return app;
}

// ------------------------------------------------------------------------------------------------
// Shops, customers, campaigns
// ------------------------------------------------------------------------------------------------
/** Per shop: customers created in the emulator and how they are split into campaigns. */
const shops = new Map();

function makeCustomers(shopIndex, count) {
  const list = [];
  for (let i = 0; i < count; i++) {
    const r = random();
    const group = i < count * 0.35 ? "g1" : i < count * 0.6 ? "q" : "g3";
    const base = {
      firstName: `Chaos${shopIndex}`,
      lastName: `Customer${i}`,
      email: `chaos${shopIndex}.c${i}@example.com`,
      tags: [group === "q" ? "chaos-q" : `chaos-${group}`],
    };
    // Mostly DISABLED (a send is decidable from the state), some INVITED (undecidable: UNCERTAIN),
    // a few without email, ENABLED or DECLINED (skipped).
    if (r < 0.84) list.push({ ...base, state: "DISABLED" });
    else if (r < 0.92) list.push({ ...base, state: "INVITED" });
    else if (r < 0.95) list.push({ ...base, email: null, state: "DISABLED" });
    else if (r < 0.98) list.push({ ...base, state: "ENABLED", verifiedEmail: true });
    else list.push({ ...base, state: "DECLINED" });
  }
  return list;
}

async function createShops() {
  for (const [index, domain] of SHOPS.entries()) {
    await control("POST", "shops", {
      domain,
      name: `Chaos ${index + 1}`,
      customers: 0,
      custom: BUCKET_LEVELS[START_LEVEL],
    });
    const input = makeCustomers(index + 1, CONFIG.customersPerShop);
    const { customers } = await control("POST", `shops/${domain}/customers`, { customers: input });
    const byGroup = { g1: [], q: [], g3: [] };
    customers.forEach((c, i) => byGroup[input[i].tags[0].replace("chaos-", "")].push(c));
    shops.set(domain, {
      domain,
      customers,
      byGroup,
      level: START_LEVEL,
      installed: false,
      campaigns: [],
      deferredCreates: [],
    });
  }
}

async function sessionToken(shop) {
  return (await control("POST", "session-token", { shop, sub: "4242", expiresInSeconds: 60 })).token;
}

/** Opens the embedded app as Shopify admin does (a fresh id_token in the URL): the token exchange. */
async function openApp(shop) {
  const token = await sessionToken(shop);
  const url = new URL("/app", appUrl);
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", shop);
  url.searchParams.set("host", Buffer.from(`${shop}/admin`).toString("base64url"));
  url.searchParams.set("locale", "en");
  url.searchParams.set("id_token", token);
  return http("GET", url.toString(), { timeoutMs: 20_000 });
}

/** A JSON API call with a fresh session token, retried (same body) while the app is down or busy. */
async function api(shop, method, path, body, { timeoutMs = 60_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = null;
  for (;;) {
    try {
      await ensureApp();
      const token = await sessionToken(shop);
      last = await http(method, `${appUrl}${path}`, {
        body,
        headers: { Authorization: `Bearer ${token}`, Origin: "https://admin.shopify.com" },
        timeoutMs: 20_000,
      });
      if (last.status < 500) return last;
    } catch (error) {
      last = { status: 0, error: String(error?.message ?? error) };
    }
    if (Date.now() > deadline)
      throw new Error(
        `${method} ${path} for ${shop}: no answer below 500 (last ${JSON.stringify(last).slice(0, 300)})`,
      );
    await sleep(500);
  }
}

/**
 * The campaigns of one shop. C1 and C3 are many small selections (8 to 16 customers, as a merchant
 * selects them on an admin page and runs the bulk action), so there are many invite requests for the
 * faults to hit; C2 is one search (`tag:chaos-q`, resolved page by page); C4 overlaps C1 and C3.
 */
function campaignSpecs(shop, which) {
  const s = shops.get(shop);
  const ids = (list) => list.map((c) => c.id);
  const chunks = (list, prefix) => {
    const specs = [];
    for (let start = 0, n = 1; start < list.length; n++) {
      const size = 8 + Math.floor(random() * 9);
      const part = list.slice(start, start + size);
      start += size;
      specs.push({
        key: `${prefix}.${String(n).padStart(2, "0")}`,
        body: { customerIds: ids(part) },
        planned: part.length,
      });
    }
    return specs;
  };
  if (which === "C1") return chunks(s.byGroup.g1, "C1");
  if (which === "C2") return [{ key: "C2", body: { query: "tag:chaos-q" }, planned: s.byGroup.q.length }];
  if (which === "C3") return chunks(s.byGroup.g3, "C3");
  // C4 overlaps C1 and C3: its customers were invited minutes ago, so the re-invite window must skip them.
  const overlap = [...s.byGroup.g1.slice(0, 25), ...s.byGroup.g3.slice(0, 25)];
  return [{ key: "C4", body: { customerIds: ids(overlap) }, planned: overlap.length, overlap: true }];
}

const campaignKeys = new Map();

async function createCampaign(shop, spec) {
  const idempotencyKey = `chaos-${MODE}-${shop}-${spec.key}`;
  const response = await api(shop, "POST", "/api/campaigns", { ...spec.body, idempotencyKey });
  if (response.status !== 202 && response.status !== 200)
    throw new Error(
      `POST /api/campaigns ${spec.key} for ${shop} answered ${response.status}: ${response.text}`,
    );
  const campaign = response.json.campaign;
  const entry = {
    shop,
    key: spec.key,
    id: campaign.id,
    planned: spec.planned,
    status: response.status,
    overlap: !!spec.overlap,
  };
  shops.get(shop).campaigns.push(entry);
  campaignKeys.set(campaign.id, spec.key);
  record.campaignsCreated.push({ ...entry, at: (Date.now() - started) / 1000 });
  say(`campaign ${spec.key} for ${shop}: ${campaign.id} (${response.status}, ${spec.planned} targets)`);
  return { response, entry, idempotencyKey };
}

async function createCampaigns(which) {
  for (const shop of SHOPS) {
    const s = shops.get(shop);
    for (const spec of campaignSpecs(shop, which)) {
      // An API call for an uninstalled shop would install it again (token exchange): wait for the reinstall.
      if (!s.installed) s.deferredCreates.push(spec);
      else await createCampaign(shop, spec);
    }
  }
}

// ------------------------------------------------------------------------------------------------
// Faults
// ------------------------------------------------------------------------------------------------
const pendingBursts = new Set();

async function setFaults(shop, faults) {
  return control("POST", "faults", { shop, ...faults });
}

/** Sets `on` on every shop for `ms`, then `off`; tracked so the finish waits for it. */
function burst(kind, on, off, ms) {
  const entry = { kind, on, at: (Date.now() - started) / 1000, ms };
  record.bursts.push(entry);
  say(`burst ${kind} for ${ms} ms`);
  const run = (async () => {
    for (const shop of SHOPS) await setFaults(shop, on);
    await sleep(ms);
    for (const shop of SHOPS) await setFaults(shop, off);
  })().catch((error) => record.errors.push({ what: `burst ${kind}`, error: String(error) }));
  pendingBursts.add(run);
  run.finally(() => pendingBursts.delete(run));
}

async function stats(shop) {
  return control("GET", `stats?shop=${shop}`);
}

// ------------------------------------------------------------------------------------------------
// Observing the outbox
// ------------------------------------------------------------------------------------------------
let outboxSeq = 0;

/** New outbox emails since the last look (advances the cursor). */
async function newEmails() {
  const { emails } = await control("GET", `outbox?since=${outboxSeq}`);
  for (const e of emails) outboxSeq = Math.max(outboxSeq, e.seq);
  return emails;
}

/** Waits for Shopify to record an invite (a batch was just executed: others are likely in flight). */
async function waitForGrowth(timeoutMs, child = app) {
  await newEmails();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!child.running) return { grew: false, died: true };
    const emails = await newEmails();
    if (emails.length > 0) return { grew: true, emails: emails.length };
    await sleep(25);
  }
  return { grew: false };
}

// ------------------------------------------------------------------------------------------------
// Events of the kill phase
// ------------------------------------------------------------------------------------------------
async function expireTokens(round) {
  const growth = await waitForGrowth(GROWTH_WAIT_MS);
  const before = new Map();
  for (const shop of SHOPS) before.set(shop, await stats(shop));
  const entry = { round, at: (Date.now() - started) / 1000, midCampaign: growth.grew, shops: {} };
  for (const shop of SHOPS) {
    const result = await control("POST", `shops/${shop}/expire-tokens`, {});
    entry.shops[shop] = { expired: result.expired };
  }
  say(`expire-tokens round ${round}: ${JSON.stringify(entry.shops)}`);
  // Each installed shop with work must get going again with a refreshed token. (No API call meanwhile:
  // authenticate.admin would exchange a new token itself and hide what the worker does.)
  const remaining = lastCounts ? remainingWork(lastCounts) : new Map(SHOPS.map((s) => [s, 1]));
  const withWork = SHOPS.filter((shop) => shops.get(shop).installed && remaining.get(shop) > 0);
  entry.withWork = withWork;
  const t0 = Date.now();
  try {
    await waitUntil(
      async () => {
        let all = true;
        for (const shop of withWork) {
          const now = await stats(shop);
          const b = before.get(shop);
          const renewed = now.tokenRefreshes + now.tokenExchanges > b.tokenRefreshes + b.tokenExchanges;
          entry.shops[shop].renewed = renewed;
          if (renewed && entry.shops[shop].renewedAfterMs === undefined)
            entry.shops[shop].renewedAfterMs = Date.now() - t0;
          all &&= renewed;
        }
        return all;
      },
      { timeoutMs: GROWTH_WAIT_MS, intervalMs: 200, what: "token refreshes after expire-tokens" },
    );
  } catch (error) {
    entry.error = String(error.message);
  }
  for (const shop of SHOPS) {
    const now = await stats(shop);
    entry.shops[shop].refreshes = now.tokenRefreshes - before.get(shop).tokenRefreshes;
    entry.shops[shop].exchanges = now.tokenExchanges - before.get(shop).tokenExchanges;
    entry.shops[shop].unauthorized = now.unauthorized - before.get(shop).unauthorized;
  }
  record.tokenExpiries.push(entry);
}

async function uninstall() {
  const shop = UNINSTALL_SHOP;
  const entry = { shop, at: (Date.now() - started) / 1000 };
  // Requests wait 1.5 s at the emulator for a moment, so one of the app's requests is surely in flight.
  await setFaults(shop, { latencyMs: 1_500 });
  // The shop may be cooling down (its worker backs off 30 s after a failed first read): then the app is
  // killed and restarted (a kill like the others: it ends the in-memory cool-down) and we look again.
  entry.requestInFlight = false;
  entry.restarts = 0;
  for (let attempt = 0; attempt < 4 && !entry.requestInFlight; attempt++) {
    if (attempt > 0) {
      entry.restarts++;
      await killAndInspect(app, "restart-for-uninstall", Date.now());
      await ensureApp();
    }
    const before = await stats(shop);
    try {
      await waitUntil(async () => (await stats(shop)).requests > before.requests, {
        timeoutMs: 12_000,
        intervalMs: 20,
        what: `a request of ${shop} in flight`,
      });
      entry.requestInFlight = true;
    } catch (error) {
      entry.error = String(error.message);
    }
  }
  const result = await control("POST", `shops/${shop}/uninstall`, {});
  entry.revoked = result.revoked;
  entry.delivery = result.delivery;
  await setFaults(shop, { latencyMs: STEADY_FAULTS.latencyMs });
  shops.get(shop).installed = false;
  say(
    `uninstalled ${shop} with a request in flight: ${entry.requestInFlight}; revoked ${JSON.stringify(result.revoked)}`,
  );
  // No kill until the app has handled app/uninstalled (the emulator retries it, but keep it simple).
  try {
    const delivered = await waitUntil(
      async () => {
        const { deliveries } = await control("GET", `webhooks/deliveries?shop=${shop}&topic=app/uninstalled`);
        const d = deliveries.find((x) => x.id === result.delivery?.id) ?? deliveries.at(-1);
        return d && d.status !== "pending" ? d : null;
      },
      { timeoutMs: 60_000, intervalMs: 200, what: "the app/uninstalled delivery" },
    );
    entry.webhook = {
      status: delivered.status,
      attempts: delivered.attempts.map((a) => a.status ?? a.error),
    };
  } catch (error) {
    entry.webhook = { error: String(error.message) };
  }
  record.uninstalls.push(entry);
}

async function reinstall() {
  const shop = UNINSTALL_SHOP;
  const s = shops.get(shop);
  const entry = { shop, at: (Date.now() - started) / 1000 };
  const before = await stats(shop);
  const opened = await (async () => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      await ensureApp();
      const r = await openApp(shop).catch((error) => ({ status: 0, text: String(error) }));
      if (r.status === 200 || Date.now() > deadline) return r;
      await sleep(500);
    }
  })();
  entry.openStatus = opened.status;
  const after = await stats(shop);
  entry.tokenExchanges = after.tokenExchanges - before.tokenExchanges;
  entry.installed = (await control("GET", `shops/${shop}`)).installed;
  s.installed = entry.installed;
  say(`reinstalled ${shop}: page ${opened.status}, token exchanges +${entry.tokenExchanges}`);
  // Resume every paused campaign of the shop through the JSON API.
  for (const c of s.campaigns) {
    const view = (await api(shop, "GET", `/api/campaigns/${c.id}`)).json?.campaign;
    const item = {
      id: c.id,
      key: c.key,
      statusBefore: view?.status,
      failureCodeBefore: view?.failureCode ?? null,
    };
    if (view?.status === "paused") {
      const r = await api(shop, "POST", `/api/campaigns/${c.id}/resume`, {});
      item.resumeStatus = r.status;
      item.statusAfter = r.json?.campaign?.status;
    }
    record.resumed.push(item);
  }
  record.reinstalls.push(entry);
  for (const spec of s.deferredCreates.splice(0)) await createCampaign(shop, spec);
}

// ------------------------------------------------------------------------------------------------
// Between kills: the ledger (app stopped) and the buckets
// ------------------------------------------------------------------------------------------------
function remainingWork(counts) {
  const remaining = new Map(SHOPS.map((s) => [s, 0]));
  for (const shop of SHOPS) {
    const s = shops.get(shop);
    for (const c of s.campaigns) {
      const row = counts.campaigns.find((x) => x.id === c.id);
      if (!row) continue;
      if (row.status === "paused" && row.failureCode) continue;
      const done = row.sentCount + row.skippedCount + row.failedCount;
      remaining.set(shop, remaining.get(shop) + Math.max(0, c.planned - done));
    }
    // Campaigns still to be created during the phase.
    if (!s.campaigns.some((c) => c.key.startsWith("C3")))
      remaining.set(shop, remaining.get(shop) + s.byGroup.g3.length);
  }
  return remaining;
}

/** Recipients of the shop's campaigns that reached a final status (sent, skipped, failed). */
function settledRecipients(counts, shop) {
  return counts.campaigns
    .filter((c) => c.shop === shop)
    .reduce((n, c) => n + c.sentCount + c.skippedCount + c.failedCount, 0);
}

/**
 * A feedback loop on each shop's pace: the recipients settled per kill (averaged over the last three)
 * against what is left per kill still planned. Too fast: the work would be gone before the last kills
 * (nothing in flight to kill); too slow: the finish would do most of it without faults.
 */
async function adaptBuckets(counts, killsLeft) {
  if (killsLeft <= 0) return;
  const remaining = remainingWork(counts);
  for (const shop of SHOPS) {
    const s = shops.get(shop);
    const settled = settledRecipients(counts, shop);
    s.deltas = [...(s.deltas ?? []), settled - (s.settled ?? 0)].slice(-3);
    s.settled = settled;
    if (!s.installed) continue;
    const target = remaining.get(shop) / killsLeft;
    const pace = s.deltas.reduce((a, b) => a + b, 0) / s.deltas.length;
    let level = s.level;
    if (pace > target * 1.4 && level > 0) level--;
    else if (pace < target * 0.6 && level < BUCKET_LEVELS.length - 1) level++;
    if (level !== s.level) {
      s.level = level;
      await control("PATCH", `shops/${shop}`, { custom: BUCKET_LEVELS[level] });
      record.bucketChanges.push({
        shop,
        kill: record.kills,
        level,
        restoreRate: BUCKET_LEVELS[level].restoreRate,
        pace: Math.round(pace),
        target: Math.round(target),
      });
    }
  }
}

// ------------------------------------------------------------------------------------------------
// The run
// ------------------------------------------------------------------------------------------------
async function build() {
  if (flag("skip-build") && existsSync(join(root, "build", "server", "index.js"))) {
    say("reusing build/ (--skip-build)");
    return;
  }
  say("setup (Prisma client, GraphQL types) and the production build (remix vite:build)");
  execFileSync("node", ["scripts/setup.mjs", "--test"], { cwd: root, stdio: ["ignore", 2, 2] });
  execFileSync("npx", ["remix", "vite:build"], {
    cwd: root,
    stdio: ["ignore", "ignore", 2],
    timeout: 300_000,
  });
}

function freshDatabase() {
  for (const suffix of ["", "-journal", "-wal", "-shm"]) rmSync(dbFile + suffix, { force: true });
  execFileSync("npx", ["prisma", "migrate", "deploy"], {
    cwd: root,
    stdio: ["ignore", "ignore", 2],
    env: { ...process.env, DATABASE_URL: `file:${dbFile}` },
    timeout: 120_000,
  });
}

function schedule(kills) {
  const at = (fraction) => Math.max(1, Math.round(fraction * kills));
  const events = [
    { at: at(0.1), kind: "burst5xx", status: 503 },
    { at: at(0.2), kind: "expireTokens", round: 1 },
    { at: at(0.27), kind: "create", which: "C3" },
    { at: at(0.33), kind: "burstThrottle" },
    { at: at(0.4), kind: "uninstall" },
    { at: at(0.46), kind: "burst5xx", status: 502 },
    { at: at(0.52), kind: "reinstall" },
    { at: at(0.6), kind: "create", which: "C4" },
    { at: at(0.67), kind: "expireTokens", round: 2 },
    { at: at(0.74), kind: "burstThrottle" },
    { at: at(0.8), kind: "burstTimeout" },
    { at: at(0.86), kind: "burst5xx", status: 500 },
  ];
  if (!SHORT) {
    // More bursts, at seeded random kills.
    for (let i = 2; i < kills - 2; i++) {
      const r = random();
      if (r < 0.08) events.push({ at: i, kind: "burst5xx", status: 503 });
      else if (r < 0.16) events.push({ at: i, kind: "burstThrottle" });
    }
  }
  return events.sort((a, b) => a.at - b.at);
}

async function runEvent(event) {
  if (event.kind === "burst5xx")
    burst(`5xx-${event.status}`, { errorRate: 0.6, errorStatus: event.status }, { errorRate: 0 }, 2_500);
  else if (event.kind === "burstThrottle")
    burst("throttled", { throttleBurst: 15 }, { throttleBurst: 0 }, 3_000);
  else if (event.kind === "burstTimeout")
    burst("timeout", { timeoutRate: 0.4, timeoutMs: 2_500, timeoutMode: "drop" }, { timeoutRate: 0 }, 3_000);
  else if (event.kind === "expireTokens") await expireTokens(event.round);
  else if (event.kind === "create") await createCampaigns(event.which);
  else if (event.kind === "uninstall") await uninstall();
  else if (event.kind === "reinstall") await reinstall();
}

let lastCounts = null;

/** SIGKILLs the app, then reads the ledger while nothing runs: what the kill caught in flight. */
async function killAndInspect(child, type, upAt) {
  await child.kill();
  record.kills++;
  if (type === "inflight") record.killsWithBatchInFlight++;
  const counts = ledgerCounts(dbFile);
  lastCounts = counts;
  const sending = counts.byStatus.sending ?? 0;
  // Rows this process marked `sending` and never settled: the kill caught its batch in flight.
  const caught = counts.sendingAt.filter((at) => at >= child.startedAt).length;
  if (caught > 0) {
    record.killsCaughtSending++;
    record.recipientsCaughtSending += caught;
  }
  record.killLog.push({
    kill: record.kills,
    type,
    uptimeMs: child.exit.at - child.startedAt,
    afterReadyMs: child.exit.at - upAt,
    sendingAtKill: sending,
    caughtInFlight: caught,
    ledger: counts.byStatus,
  });
  say(
    `kill #${record.kills} (${type}) after ${((child.exit.at - child.startedAt) / 1000).toFixed(1)}s: ` +
      `${sending} in sending (${caught} of this run); ledger ${JSON.stringify(counts.byStatus)}`,
  );
  return counts;
}

async function killPhase() {
  const events = schedule(CONFIG.kills);
  const deadline = Math.min(Date.now() + CONFIG.killPhaseMs, globalDeadline - CONFIG.finishMs - 30_000);
  while (record.kills < CONFIG.kills) {
    if (Date.now() > deadline) {
      say(`kill phase deadline reached after ${record.kills} kills`);
      record.errors.push({ what: "kill phase deadline reached", kills: record.kills });
      break;
    }
    const child = await ensureApp();
    const upAt = Date.now();
    for (const event of events.filter((e) => e.at <= record.kills && !e.done)) {
      event.done = true;
      say(
        `event ${event.kind}${event.which ? ` ${event.which}` : ""}${event.round ? ` #${event.round}` : ""}`,
      );
      await runEvent(event);
    }
    // Gone: died by itself (recorded by the watcher in startApp) or restarted by an event; next turn.
    if (!child.running) continue;
    // About half the kills land right after Shopify recorded an invite (a batch in flight), the others
    // at a random moment (starting up, waiting for the lease, recovering, resolving targets, sending).
    const workLeft = lastCounts ? [...remainingWork(lastCounts).values()].some((n) => n > 0) : true;
    let type =
      workLeft && record.killsWithBatchInFlight <= record.kills - record.killsWithBatchInFlight
        ? "inflight"
        : "random";
    if (type === "inflight") {
      const growth = await waitForGrowth(INFLIGHT_WAIT_MS, child);
      if (!growth.grew) type = growth.died ? "died" : "inflight-no-growth";
    } else {
      await sleep(300 + random() * CONFIG.randomKillMaxMs);
    }
    if (!child.running) continue;
    const counts = await killAndInspect(child, type, upAt);
    await adaptBuckets(counts, CONFIG.kills - record.kills);
  }
}

async function finish() {
  say("finish: faults cleared, generous buckets, the app runs until every campaign has ended");
  await Promise.allSettled([...pendingBursts]);
  for (const shop of SHOPS) {
    await control("DELETE", `faults?shop=${shop}`);
    await control("PATCH", `shops/${shop}`, { custom: FINISH_BUCKET });
  }
  await ensureApp();
  const deadline = Math.min(Date.now() + CONFIG.finishMs, globalDeadline);
  // Poll the campaigns through the JSON API until each has ended (an ended campaign stays ended).
  const views = new Map();
  const isEnded = (v) =>
    (v.status === "completed" || ((v.status === "paused" || v.status === "failed") && v.failureCode)) &&
    (v.counts?.sending ?? 0) === 0;
  while (Date.now() < deadline) {
    for (const shop of SHOPS) {
      for (const c of shops.get(shop).campaigns) {
        if (views.has(c.id) && isEnded(views.get(c.id))) continue;
        const r = await api(shop, "GET", `/api/campaigns/${c.id}`, undefined, { timeoutMs: 20_000 }).catch(
          () => null,
        );
        views.set(c.id, { shop, key: c.key, ...(r?.json?.campaign ?? { status: "unknown" }) });
      }
    }
    if ([...views.values()].every(isEnded)) break;
    await sleep(2_000);
  }
  const byStatus = {};
  for (const v of views.values()) {
    const k = `${v.status}${v.failureCode ? `:${v.failureCode}` : ""}`;
    byStatus[k] = (byStatus[k] ?? 0) + 1;
  }
  say(`campaigns by status (API): ${JSON.stringify(byStatus)}`);
  // A graceful stop (SIGTERM, as a deploy does): the worker settles what is in flight and exits 0.
  const t0 = Date.now();
  const { exit, forced } = await app.stop(15_000);
  record.finalStop = { code: exit.code, signal: exit.signal, forced, ms: Date.now() - t0 };
}

async function main() {
  say(`mode ${MODE}, seed ${SEED}, ${CONFIG.kills} kills planned, logs in ${runDir}`);
  await build();
  freshDatabase();
  appPort = await freePort();
  appUrl = `http://127.0.0.1:${appPort}`;
  await startEmulator();
  await createShops();
  await ensureApp();
  for (const shop of SHOPS) {
    const opened = await openApp(shop);
    const summary = await control("GET", `shops/${shop}`);
    shops.get(shop).installed = summary.installed;
    if (opened.status !== 200 || !summary.installed)
      throw new Error(`installing ${shop} failed: page ${opened.status}, installed ${summary.installed}`);
  }
  say(`installed ${SHOPS.join(", ")}`);
  for (const shop of SHOPS) await setFaults(shop, { ...STEADY_FAULTS, seed: SEED + SHOPS.indexOf(shop) });
  await createCampaigns("C1");
  // The same request again (a client retry): recorded once, answered 200 with the same campaign.
  const first = shops.get(SHOPS[0]).campaigns[0];
  const replay = await api(SHOPS[0], "POST", "/api/campaigns", {
    customerIds: shops
      .get(SHOPS[0])
      .byGroup.g1.slice(0, first.planned)
      .map((c) => c.id),
    idempotencyKey: `chaos-${MODE}-${SHOPS[0]}-${first.key}`,
  });
  record.idempotentReplay = { status: replay.status, sameId: replay.json?.campaign?.id === first.id };
  await createCampaigns("C2");
  await killPhase();
  await finish();

  // Everything Shopify saw, then the ledger (the app is stopped).
  const { emails } = await control("GET", "outbox");
  const shopStats = {};
  for (const shop of SHOPS) shopStats[shop] = await stats(shop);
  const ledger = readLedger(dbFile);
  const verdict = verifyRun({ outbox: emails.filter((e) => SHOPS.includes(e.shop)), ledger });
  await emulator.stop(10_000);
  return { verdict, shopStats, ledger };
}

function countValues(values) {
  const counts = {};
  for (const value of values) counts[String(value)] = (counts[String(value)] ?? 0) + 1;
  return counts;
}

/** Figures from the app's own log lines (pino JSON), for the observations. */
function workerLogFigures() {
  const lines = existsSync(appLog) ? readFileSync(appLog, "utf8").split("\n") : [];
  const entries = [];
  for (const line of lines) {
    if (!line.startsWith("{")) continue;
    try {
      entries.push(JSON.parse(line));
    } catch {
      // a line cut by a SIGKILL
    }
  }
  const msg = (text) => entries.filter((e) => e.msg === text);
  return {
    backingOff: msg("backing off").length,
    accountsReadFailedByOutcome: countValues(
      msg("could not read the shop's customer accounts setting; will retry").map((e) => e.outcome),
    ),
    tokenRenewedAfter401: msg("access token renewed after a 401").length,
    campaignsPausedByRefusal: countValues(
      msg("Shopify refuses this shop's requests: its campaigns are paused").map((e) => e.code),
    ),
    errors: entries.filter((e) => e.level >= 50).length,
  };
}

function summarize({ verdict, shopStats }) {
  const sum = (field) => Object.values(shopStats).reduce((n, s) => n + (s[field] ?? 0), 0);
  const lostAnswers = {
    total: sum("lostAfter502") + sum("lostAfter504") + sum("lostAfterReset") + sum("lostAfterDelay"),
    lostAfter502: sum("lostAfter502"),
    lostAfter504: sum("lostAfter504"),
    lostAfterReset: sum("lostAfterReset"),
    lostAfterDelay: sum("lostAfterDelay"),
    lostAfterDelayAbandoned: sum("lostAfterDelayAbandoned"),
    mutations: sum("mutations"),
  };
  const t = verdict.totals;
  const uninstall = record.uninstalls[0];
  const expectedResumes = record.resumed.filter((r) => r.failureCodeBefore);
  const nonUninstalledPaused = verdict.campaigns.filter(
    (c) => c.shop !== UNINSTALL_SHOP && c.status !== "completed",
  );
  const requirements = [
    ["kills", record.kills >= CONFIG.minKills, `${record.kills} ≥ ${CONFIG.minKills}`],
    [
      "killsWithBatchInFlight",
      record.killsWithBatchInFlight >= Math.floor(record.kills * 0.4),
      `${record.killsWithBatchInFlight} of ${record.kills} kills right after outbox growth (${record.killsCaughtSending} caught recipients in sending)`,
    ],
    ["invites", t.invites >= CONFIG.minInvites, `${t.invites} ≥ ${CONFIG.minInvites}`],
    ["noDuplicates", t.duplicates === 0, `${t.duplicates} duplicate emails`],
    [
      "sentHasOneEmail",
      t.sentWithoutEmail === 0 && t.duplicates === 0,
      `${t.sentWithoutEmail} sent without email`,
    ],
    ["noneLost", t.lost === 0, `${t.lost} customers with an email the ledger does not account for`],
    ["nothingSending", t.sending === 0, `${t.sending} recipients left in sending`],
    [
      "campaignsEnded",
      verdict.campaignsNotEnded.length === 0,
      `${verdict.campaignsNotEnded.length} campaigns neither completed nor stopped with a reason`,
    ],
    [
      "countersMatchRows",
      verdict.counterMismatches.length === 0,
      `${verdict.counterMismatches.length} campaigns`,
    ],
    [
      "noUnexpectedExit",
      record.unexpectedExits.length === 0 && !record.errors.some((e) => e.what.includes("emulator exited")),
      `${record.unexpectedExits.length} unexpected app exits`,
    ],
    [
      // Two rounds, each while invites were going out; every shop whose requests met the expired token
      // (a 401) got a working token again within the wait.
      "tokenExpiries",
      record.tokenExpiries.length >= 2 &&
        record.tokenExpiries.every(
          (e) => e.midCampaign && Object.values(e.shops).every((x) => x.renewed || x.unauthorized === 0),
        ),
      record.tokenExpiries
        .map(
          (e) =>
            `round ${e.round} (mid-campaign ${e.midCampaign}): ` +
            Object.entries(e.shops)
              .map(
                ([shop, x]) =>
                  `${shop.split(".")[0]} ${x.renewed ? `renewed in ${x.renewedAfterMs} ms` : x.unauthorized === 0 ? "sent nothing" : "NOT renewed"}`,
              )
              .join(", "),
        )
        .join("; "),
    ],
    [
      "uninstallReinstall",
      !!uninstall?.requestInFlight &&
        uninstall?.webhook?.status === "delivered" &&
        record.reinstalls[0]?.installed === true &&
        expectedResumes.length > 0 &&
        expectedResumes.every((r) => r.resumeStatus === 200 && r.statusAfter === "queued"),
      `request in flight ${uninstall?.requestInFlight}, webhook ${uninstall?.webhook?.status}, reinstalled ${record.reinstalls[0]?.installed}, resumed ${expectedResumes.filter((r) => r.resumeStatus === 200).length}/${expectedResumes.length}`,
    ],
    ["lostAnswers", lostAnswers.total > 0, `${lostAnswers.total} answers lost after the request ran`],
    [
      "idempotentReplay",
      record.idempotentReplay?.status === 200 && record.idempotentReplay.sameId,
      JSON.stringify(record.idempotentReplay),
    ],
    ["noHarnessErrors", record.errors.length === 0, `${record.errors.length} harness errors`],
  ];
  if (SHORT) {
    const wall = (Date.now() - started) / 1000;
    requirements.push(["shortUnderSixMinutes", wall < 360, `${wall.toFixed(0)} s`]);
  }
  const observations = {
    campaignsNotCompletedOutsideUninstalledShop: nonUninstalledPaused.map((c) => ({
      id: c.id,
      status: c.status,
      failureCode: c.failureCode,
    })),
    finalStop: record.finalStop,
    // Why the uninstalled shop's campaigns were paused when it was reinstalled (UNINSTALLED expected).
    uninstalledShopPauseReasons: countValues(
      record.resumed.map((r) => r.failureCodeBefore ?? r.statusBefore),
    ),
    // The worker's cool-downs, from its log: a turn whose first read (the shop's accounts setting) fails
    // is not retried; the whole shop waits 30 s (doubling).
    workerLog: workerLogFigures(),
  };
  return {
    mode: MODE,
    seed: SEED,
    ok: requirements.every(([, ok]) => ok),
    failed: requirements.filter(([, ok]) => !ok).map(([name]) => name),
    kills: record.kills,
    killsWithBatchInFlight: record.killsWithBatchInFlight,
    killsCaughtSending: record.killsCaughtSending,
    recipientsCaughtSending: record.recipientsCaughtSending,
    lostAnswers,
    tokenExpiries: record.tokenExpiries.length,
    uninstalls: record.uninstalls.length,
    reinstalls: record.reinstalls.length,
    invites: t.invites,
    duplicates: t.duplicates,
    sentWithoutEmail: t.sentWithoutEmail,
    lost: t.lost,
    uncertain: t.uncertain,
    uncertainWithEmail: t.uncertainWithEmail,
    uncertainWithoutEmail: t.uncertainWithoutEmail,
    sending: t.sending,
    unexpectedExits: record.unexpectedExits.length,
    appStarts: record.appStarts,
    wallSeconds: Math.round((Date.now() - started) / 1000),
    campaignsByStatus: Object.fromEntries(
      [
        ...new Set(verdict.campaigns.map((c) => `${c.status}${c.failureCode ? `:${c.failureCode}` : ""}`)),
      ].map((k) => [
        k,
        verdict.campaigns.filter((c) => `${c.status}${c.failureCode ? `:${c.failureCode}` : ""}` === k)
          .length,
      ]),
    ),
    campaigns: verdict.campaigns.map((c) => ({
      shop: c.shop,
      key: campaignKeys.get(c.id) ?? c.key,
      id: c.id,
      status: c.status,
      failureCode: c.failureCode,
      total: c.total,
      sent: c.sentCount,
      skipped: c.skippedCount,
      failed: c.failedCount,
      uncertain: c.uncertain,
    })),
    requirements: Object.fromEntries(requirements.map(([name, ok, detail]) => [name, { ok, detail }])),
    observations,
    perShop: verdict.perShop,
    faults: {
      faults5xx: sum("faults5xx"),
      faultTimeouts: sum("faultTimeouts"),
      throttled: sum("throttled"),
      unauthorized: sum("unauthorized"),
      tokenRefreshes: sum("tokenRefreshes"),
      tokenExchanges: sum("tokenExchanges"),
      requests: sum("requests"),
      bursts: record.bursts.length,
    },
    details: {
      tokenExpiries: record.tokenExpiries,
      uninstalls: record.uninstalls,
      reinstalls: record.reinstalls,
      resumed: record.resumed,
      unexpectedExits: record.unexpectedExits,
      bucketChanges: record.bucketChanges,
      campaignsCreated: record.campaignsCreated,
      problems: verdict.problems,
      counterMismatches: verdict.counterMismatches,
      errors: record.errors,
      killLog: record.killLog,
    },
    logs: { app: appLog, emulator: emulatorLog, database: dbFile },
  };
}

let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    interrupted = true;
    say(`${signal}: stopping the app and the emulator`);
    killAllChildren("SIGKILL");
    process.exit(130);
  });
}
// The whole run is bounded: past the deadline everything is killed and the run fails.
const watchdog = setTimeout(() => {
  say(`the run exceeded ${CONFIG.totalMs / 1000} s: giving up`);
  killAllChildren("SIGKILL");
  process.exit(2);
}, CONFIG.totalMs + 60_000);
watchdog.unref();

let exitCode = 1;
try {
  const result = await main();
  const summary = summarize(result);
  const text = JSON.stringify(summary, null, 2);
  writeFileSync(join(runDir, "summary.json"), text);
  // The headline figures first, the details in the file.
  const headline = { ...summary };
  for (const key of ["details", "perShop", "campaigns"]) delete headline[key];
  const campaignLines = summary.campaigns.map((c) => `    ${JSON.stringify(c)}`).join(",\n");
  const printed = JSON.stringify({ ...headline, campaigns: "@campaigns@" }, null, 2).replace(
    '"@campaigns@"',
    `[\n${campaignLines}\n  ]`,
  );
  process.stdout.write(`${printed}\n`);
  say(
    `${summary.ok ? "PASSED" : `FAILED: ${summary.failed.join(", ")}`} in ${summary.wallSeconds} s (summary: ${join(runDir, "summary.json")})`,
  );
  exitCode = summary.ok ? 0 : 1;
  if (summary.ok) for (const suffix of ["", "-journal"]) rmSync(dbFile + suffix, { force: true });
} catch (error) {
  if (!interrupted) {
    say(`run aborted: ${error?.stack ?? error}`);
    if (app?.tail) say(`app log tail:\n${app.tail.slice(-20).join("\n")}`);
    writeFileSync(
      join(runDir, "error.json"),
      JSON.stringify({ error: String(error?.stack ?? error), record }, null, 2),
    );
  }
  exitCode = 1;
} finally {
  if (app?.running) await app.kill();
  if (emulator?.running) await emulator.stop(5_000);
  killAllChildren("SIGKILL");
}
process.exit(exitCode);
