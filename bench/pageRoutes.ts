// The app's pages through its real routes, against a large ledger: the production build's request
// handler (`createRequestHandler` on build/server, as remix-serve runs it), every request carrying a
// session token signed as Shopify admin signs them, so `authenticate.admin` verifies it and finds the
// offline session it stored at the first visit (token exchange with the emulator); loaders read the
// ledger and call the emulator (Admin GraphQL over HTTP, no added latency: the figures are the app's),
// and Remix serializes the answer. Each page is timed as the client navigation asks for it (single
// fetch `<path>.data`, turbo-stream) and as a full document (server rendering with Polaris).
// Prints one JSON line. Target: p95 < 100 ms.
//   node --import tsx bench/pageRoutes.ts --emulator <url>   (run by `npm run bench`, which builds first)
// BENCH_PAGE_RECIPIENTS (1,000,000), BENCH_PAGE_RUNS (30), BENCH_PAGE_DATABASE (keep and reuse a seeded file;
// SQLite only). On PostgreSQL (BENCH_DATABASE_URL or --database) the ledger is seeded afresh every run and
// dropped after it (the benchmark process's own database, bench/benchApp.ts).
import { existsSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { BROWSER_USER_AGENT, TEST_APP_URL } from "../test/testEnv";
import { signSessionToken } from "../test/support/sessionToken";
import {
  benchCacheDir,
  benchDatabaseUrl,
  benchRoot,
  databaseKind,
  dropBenchDatabase,
  prepareBenchApp,
} from "./benchApp";
import {
  BIG_CAMPAIGN_ID,
  customerGid,
  LINKS,
  recipientId,
  seedLedger,
  seedLedgerPostgres,
} from "./ledgerSeed";

const RECIPIENTS = Number(process.env.BENCH_PAGE_RECIPIENTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_PAGE_RUNS ?? 30);
const shop = "bench-pages.myshopify.com";
const otherShop = "bench-pages-other.myshopify.com";
const args = process.argv.slice(2);
const emulatorUrl = args[args.indexOf("--emulator") + 1];
if (!emulatorUrl || args.indexOf("--emulator") < 0) throw new Error("--emulator <url> is required");

const onPostgres = databaseKind(benchDatabaseUrl() ?? "") === "postgresql";
// A kept ledger is a SQLite file; on PostgreSQL every run seeds its own.
const kept = onPostgres ? undefined : process.env.BENCH_PAGE_DATABASE;
if (onPostgres && process.env.BENCH_PAGE_DATABASE)
  process.stderr.write("page-routes: BENCH_PAGE_DATABASE is for SQLite only; PostgreSQL seeds afresh\n");
const database = kept ? resolve(kept) : join(benchCacheDir, `pages-${process.pid}.sqlite`);
const reuse = Boolean(kept) && existsSync(database);
const databaseUrl = prepareBenchApp(database);
const seedOptions = { shop, otherShop, recipients: RECIPIENTS };
const seeded = reuse
  ? { recipients: RECIPIENTS, campaigns: null, links: LINKS, seedSeconds: 0 }
  : databaseKind(databaseUrl) === "postgresql"
    ? await seedLedgerPostgres({ url: databaseUrl, ...seedOptions })
    : seedLedger({ database, ...seedOptions });

const { routeShopifyToEmulator } = await import("../emulator/preload.mjs");
routeShopifyToEmulator(emulatorUrl);
const control = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${emulatorUrl}/__emulator/${path}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`emulator ${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<unknown>;
};
await control("POST", "shops", { domain: shop, plan: "plus", customers: 300, seed: 42 });

const buildPath = join(benchRoot, "build", "server", "index.js");
if (!existsSync(buildPath)) throw new Error("no build/server/index.js: run `npx remix vite:build` first");
const { createRequestHandler } = await import("@remix-run/node");
const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;
const handle = createRequestHandler(build, "production");

/** A document load as Shopify admin frames it: shop, host and a fresh id_token in the URL. */
function documentRequest(path: string): Request {
  const url = new URL(path, TEST_APP_URL);
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", shop);
  url.searchParams.set("host", Buffer.from(`${shop}/admin`).toString("base64url"));
  url.searchParams.set("id_token", signSessionToken({ shop }));
  return new Request(url, { headers: { "User-Agent": BROWSER_USER_AGENT } });
}

/** A client navigation's data request (single fetch), with the session token App Bridge adds. */
function dataRequest(path: string): Request {
  const url = new URL(path, TEST_APP_URL);
  url.pathname = `${url.pathname.replace(/\/$/, "")}.data`;
  return new Request(url, {
    headers: { "User-Agent": BROWSER_USER_AGENT, Authorization: `Bearer ${signSessionToken({ shop })}` },
  });
}

async function load(request: Request): Promise<number> {
  const response = await handle(request);
  const body = await response.text();
  if (response.status !== 200)
    throw new Error(`${request.url}: HTTP ${response.status} ${body.slice(0, 300)}`);
  return body.length;
}

// The first visit installs the app: token exchange, the offline session stored.
await load(documentRequest("/app"));

async function time(request: () => Request) {
  for (let i = 0; i < 3; i++) await load(request());
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const built = request();
    const start = performance.now();
    bytes = await load(built);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)]! * 100) / 100;
  return { medianMs: at(0.5), p95Ms: at(0.95), maxMs: at(1), bytes };
}

const middle = recipientId(0, 100_000);
const day = new Date(Date.now() - 100 * 3_600_000).toISOString().slice(0, 10);
const pages: Record<string, string> = {
  "overview (/app)": "/app",
  "campaigns list": "/app/campaigns",
  "new campaign": "/app/campaigns/new",
  "campaign detail, 200k recipients": `/app/campaigns/${BIG_CAMPAIGN_ID}`,
  "campaign detail, middle page": `/app/campaigns/${BIG_CAMPAIGN_ID}?after=${middle}`,
  "campaign detail, status=failed": `/app/campaigns/${BIG_CAMPAIGN_ID}?status=failed`,
  "history, everything": "/app/history",
  "history, one customer": `/app/history?customerId=${encodeURIComponent(customerGid(4242))}`,
  "history, one staff member": "/app/history?staff=staff-3",
  "history, links only": "/app/history?kind=activation_link",
  "history, one day long ago": `/app/history?from=${day}&to=${day}`,
  "activation links": "/app/links",
  settings: "/app/settings",
};

const data: Record<string, Awaited<ReturnType<typeof time>>> = {};
const documents: Record<string, Awaited<ReturnType<typeof time>>> = {};
for (const [name, path] of Object.entries(pages)) {
  data[name] = await time(() => dataRequest(path));
  documents[name] = await time(() => documentRequest(path));
}

// The campaign CSV export streams through its route; its figure is throughput, not a page load.
const csvStart = performance.now();
const csvBytes = await load(
  new Request(new URL(`/app/campaigns/${BIG_CAMPAIGN_ID}/csv`, TEST_APP_URL), {
    headers: { "User-Agent": BROWSER_USER_AGENT, Authorization: `Bearer ${signSessionToken({ shop })}` },
  }),
);
const csvSeconds = (performance.now() - csvStart) / 1000;

if (databaseKind(databaseUrl) === "postgresql") await dropBenchDatabase(databaseUrl);
else if (!kept) for (const suffix of ["", "-wal", "-shm"]) rmSync(database + suffix, { force: true });
const worst = (results: typeof data) => Math.max(...Object.values(results).map((r) => r.p95Ms));
process.stdout.write(
  `${JSON.stringify({
    scenario: "page-routes",
    description: `each page through the production build's request handler (session token, authenticate.admin, loaders against the emulator, Remix serialization) over ${seeded.recipients.toLocaleString("en-US")} recipient rows; ${RUNS} runs each`,
    database: databaseKind(databaseUrl),
    seeded,
    targetP95Ms: 100,
    worstDataP95Ms: worst(data),
    worstDocumentP95Ms: worst(documents),
    withinTarget: worst(data) < 100 && worst(documents) < 100,
    dataRequests: data,
    documentRequests: documents,
    campaignCsvExport: {
      rows: Math.min(200_000, RECIPIENTS),
      seconds: Math.round(csvSeconds * 100) / 100,
      megabytes: Math.round(csvBytes / 1e4) / 100,
    },
  })}\n`,
);
process.exit(0);
