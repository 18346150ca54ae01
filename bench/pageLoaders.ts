// The app's pages against a large ledger: seeds 1,000,000 recipient rows (one shop, one campaign of
// 200,000 and 160 of 5,000, plus 20,000 activation links and another shop's rows) into a temporary
// SQLite file with raw SQL in one transaction, then times what each page's loader runs (its service
// functions, with Shopify answered by a stub so only the app's own work is measured). Prints one JSON
// line: per loader the median and p95 in ms over BENCH_PAGE_RUNS runs (default 40). Target: p95 < 100 ms.
//   node --import tsx bench/pageLoaders.ts       (also run by `npm run bench`)
import { existsSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import type { AdminGraphql } from "~/types/admin";
import { benchCacheDir, prepareBenchApp } from "./benchApp";

const RECIPIENTS = Number(process.env.BENCH_PAGE_RECIPIENTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_PAGE_RUNS ?? 40);
const BIG_CAMPAIGN = Math.min(200_000, RECIPIENTS);
const SMALL_CAMPAIGN = 5_000;
const LINKS = 20_000;
const shop = "bench-pages.myshopify.com";
const otherShop = "bench-pages-other.myshopify.com";

// BENCH_PAGE_DATABASE keeps (and reuses) a seeded file between runs, for looking into a slow query.
const kept = process.env.BENCH_PAGE_DATABASE;
const database = kept ? resolve(kept) : join(benchCacheDir, `pages-${process.pid}.sqlite`);
const reuse = Boolean(kept) && existsSync(database);
prepareBenchApp(database);

/** Prisma's SQLite DateTime text format. */
const sqlTime = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
const pad = (n: number, width = 8) => String(n).padStart(width, "0");
const customerGid = (n: number) => `gid://shopify/Customer/${100000 + n}`;
const STATUSES = ["sent", "sent", "sent", "sent", "skipped", "skipped", "failed", "sent"] as const;

function seed() {
  const started = performance.now();
  const db = new Database(database);
  db.pragma("journal_mode = WAL");
  const now = Date.now();
  const insertCampaign = db.prepare(
    `INSERT INTO Campaign (id, shop, kind, source, query, includeDeclined, requestedBy, idempotencyKey, status, total,
       queuedCount, sendingCount, sentCount, skippedCount, failedCount, targetsResolved, startedAt, finishedAt, createdAt, updatedAt)
     VALUES (?, ?, 'invite', ?, ?, 0, ?, ?, ?, ?, 0, 0, ?, ?, ?, 1, ?, ?, ?, ?)`,
  );
  const insertRecipient = db.prepare(
    `INSERT INTO Recipient (id, shop, campaignId, customerId, checkedAt, stateBefore, status, reasonCode, reasonParams,
       attempts, sendingAt, finishedAt, createdAt, updatedAt)
     VALUES (?, ?, ?, ?, ?, 'DISABLED', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const updateCounts = db.prepare(
    "UPDATE Campaign SET sentCount = ?, skippedCount = ?, failedCount = ? WHERE id = ?",
  );
  const insertLink = db.prepare(
    `INSERT INTO ActivationLink (id, shop, customerId, issuedAt, expiresAt, issuedBy, fingerprint, replacedAt, createdAt, updatedAt)
     VALUES (?, ?, ?, ?, ?, ?, 'f', NULL, ?, ?)`,
  );
  const sizes = [BIG_CAMPAIGN];
  for (let left = RECIPIENTS - BIG_CAMPAIGN; left > 0; left -= SMALL_CAMPAIGN)
    sizes.push(Math.min(SMALL_CAMPAIGN, left));
  let row = 0;
  db.transaction(() => {
    sizes.forEach((size, c) => {
      // Oldest first: campaign c ran one hour after campaign c−1, its rows one ms apart.
      const start = now - (sizes.length - c) * 3_600_000;
      const id = `cbench${pad(c, 6)}`;
      insertCampaign.run(
        id,
        shop,
        c === 0 ? "query" : "selection",
        c === 0 ? "state:disabled" : null,
        `staff-${c % 5}`,
        `key-${c}`,
        "completed",
        size,
        0,
        0,
        0,
        sqlTime(start),
        sqlTime(start + size),
        sqlTime(start),
        sqlTime(start + size),
      );
      const counts = { sent: 0, skipped: 0, failed: 0 };
      for (let i = 0; i < size; i++, row++) {
        const status = STATUSES[(i * 7 + c) % STATUSES.length]!;
        counts[status]++;
        const at = sqlTime(start + i);
        insertRecipient.run(
          `r${pad(c, 6)}${pad(i, 7)}`,
          shop,
          id,
          // Each campaign its own slice of a 200,000-customer shop: a customer is in about five campaigns.
          customerGid(c === 0 ? i : (BIG_CAMPAIGN + c * SMALL_CAMPAIGN + i) % 200_000),
          at,
          status,
          status === "sent" ? null : status === "failed" ? "SHOPIFY_ERROR" : "ACCOUNT_ENABLED",
          status === "failed" ? JSON.stringify({ shopifyMessage: "Email is invalid" }) : null,
          status === "skipped" ? 0 : 1,
          status === "skipped" ? null : at,
          at,
          at,
          at,
        );
      }
      updateCounts.run(counts.sent, counts.skipped, counts.failed, id);
    });
    for (let i = 0; i < LINKS; i++) {
      const at = now - (LINKS - i) * 60_000;
      insertLink.run(
        `l${pad(i)}`,
        shop,
        customerGid(i),
        sqlTime(at),
        sqlTime(at + 30 * 86_400_000),
        `staff-${i % 5}`,
        sqlTime(at),
        sqlTime(at),
      );
    }
    // Another shop's rows: never in this shop's pages, and in the same indexes.
    insertCampaign.run(
      "cotheronly",
      otherShop,
      "selection",
      null,
      "staff-0",
      "k",
      "completed",
      50_000,
      50_000,
      0,
      0,
      sqlTime(now),
      sqlTime(now),
      sqlTime(now),
      sqlTime(now),
    );
    for (let i = 0; i < 50_000; i++) {
      const at = sqlTime(now - i);
      insertRecipient.run(
        `rother${pad(i)}`,
        otherShop,
        "cotheronly",
        customerGid(i),
        at,
        "sent",
        null,
        null,
        1,
        at,
        at,
        at,
        at,
      );
    }
  })();
  db.exec("ANALYZE");
  db.close();
  return {
    recipients: row,
    campaigns: sizes.length,
    links: LINKS,
    seedSeconds: Math.round(performance.now() - started) / 1000,
  };
}

const seeded = reuse ? { recipients: RECIPIENTS, campaigns: null, links: LINKS, seedSeconds: 0 } : seed();

const { getOverview } = await import("~/routes/app._index/overview.server");
const { getCampaignDetail } = await import("~/routes/app.campaigns.$id/campaignDetail.server");
const { listCampaigns } = await import("~/routes/app.campaigns._index/campaignsList.server");
const { previewSearchSample } = await import("~/services/campaigns/preview.server");
const { getNewCampaignPage } = await import("~/routes/app.campaigns.new/newCampaign.server");
const { listHistory } = await import("~/services/history/history.server");
const { readSettings } = await import("~/routes/app.settings/settings.server");
const { findLiveActivationLink } = await import("~/models/ActivationLink.server");
const { default: prisma } = await import("~/db.server");

// Shopify answered instantly with fixed data: the figures are the app's own work on the ledger.
const sampleCustomers = Array.from({ length: 250 }, (_, i) => ({
  id: customerGid(i * 3),
  state: "DISABLED",
  defaultEmailAddress: { emailAddress: "x@example.com" },
}));
const stubGraphql = (async (operation: string) => {
  const data = operation.includes("ShopCustomerAccounts")
    ? {
        shop: {
          id: "gid://shopify/Shop/1",
          name: "Bench",
          myshopifyDomain: shop,
          customerAccountsV2: { customerAccountsVersion: "CLASSIC" },
        },
      }
    : operation.includes("CustomerStateCounts")
      ? Object.fromEntries(
          ["disabled", "invited", "enabled", "declined", "activatedSince"].map((k) => [k, { count: 1 }]),
        )
      : operation.includes("CustomersPage")
        ? { customers: { nodes: sampleCustomers, pageInfo: { hasNextPage: true, endCursor: "x" } } }
        : {};
  return Response.json({ data });
}) as unknown as AdminGraphql;

async function time(run: () => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)]! * 100) / 100;
  return { medianMs: at(0.5), p95Ms: at(0.95), maxMs: at(1) };
}

const big = "cbench000000";
const middle = `r000000${pad(Math.floor(BIG_CAMPAIGN / 2), 7)}`;
const secondPage = await listHistory({ shop, filters: {} });
const campaignsPage = await listCampaigns({ shop });

const loaders: Record<string, () => Promise<unknown>> = {
  "overview (app._index)": () => getOverview({ graphql: stubGraphql, shop }),
  "campaigns list (app.campaigns._index)": () => listCampaigns({ shop }),
  "campaigns list, page 2": () => listCampaigns({ shop, cursor: campaignsPage.nextCursor }),
  "new campaign page (app.campaigns.new)": () => getNewCampaignPage({ shop }),
  "new campaign dry run on 250 customers (ledger part)": () =>
    previewSearchSample({ graphql: stubGraphql, shop, query: "state:disabled", includeDeclined: false }),
  "campaign detail, 200k recipients, first page": () =>
    getCampaignDetail({ shop, id: big, status: null, after: null, before: null }),
  "campaign detail, middle page": () =>
    getCampaignDetail({ shop, id: big, status: null, after: middle, before: null }),
  "campaign detail, previous page": () =>
    getCampaignDetail({ shop, id: big, status: null, after: null, before: middle }),
  "campaign detail, status=failed": () =>
    getCampaignDetail({ shop, id: big, status: "failed", after: null, before: null }),
  "campaign detail, status=failed, middle page": () =>
    getCampaignDetail({ shop, id: big, status: "failed", after: middle, before: null }),
  "history, everything": () => listHistory({ shop, filters: {} }),
  "history, page 2": () => listHistory({ shop, filters: {}, cursor: secondPage.nextCursor }),
  "history, one customer": () => listHistory({ shop, filters: { customerId: customerGid(4242) } }),
  "history, one staff member": () => listHistory({ shop, filters: { staff: "staff-3" } }),
  "history, unknown staff member": () => listHistory({ shop, filters: { staff: "nobody" } }),
  "history, invites only": () => listHistory({ shop, filters: { kind: "invite" } }),
  "history, links only": () => listHistory({ shop, filters: { kind: "activation_link" } }),
  "history, one day long ago": () => {
    const day = new Date(Date.now() - 100 * 3_600_000).toISOString().slice(0, 10);
    return listHistory({ shop, filters: { from: day, to: day } });
  },
  "activation links, 30-day check per customer": () =>
    findLiveActivationLink({ shop, customerId: customerGid(77) }),
  "settings (app.settings)": () => readSettings({ shop }),
};

const results: Record<string, { medianMs: number; p95Ms: number; maxMs: number }> = {};
for (const [name, run] of Object.entries(loaders)) results[name] = await time(run);

// The campaign CSV export streams; its figure is throughput, not a page load.
const { streamCampaignCsv } = await import("~/services/campaigns/campaignCsv.server");
const csvStart = performance.now();
const stream = await streamCampaignCsv({ shop, id: big, locale: "en" });
let bytes = 0;
const reader = stream?.getReader();
for (;;) {
  const next = reader ? await reader.read() : { done: true as const, value: undefined };
  if (next.done) break;
  bytes += next.value.byteLength;
}
const csvSeconds = (performance.now() - csvStart) / 1000;

await prisma.$disconnect();
if (!kept) for (const suffix of ["", "-wal", "-shm"]) rmSync(database + suffix, { force: true });
const worstP95 = Math.max(...Object.values(results).map((r) => r.p95Ms));
process.stdout.write(
  `${JSON.stringify({
    scenario: "page-loaders",
    description: `each page loader's service calls against ${seeded.recipients.toLocaleString("en-US")} recipient rows (${RUNS} runs each; Shopify stubbed)`,
    seeded,
    targetP95Ms: 100,
    worstP95Ms: worstP95,
    withinTarget: worstP95 < 100,
    loaders: results,
    campaignCsvExport: {
      rows: BIG_CAMPAIGN,
      seconds: Math.round(csvSeconds * 100) / 100,
      megabytes: Math.round(bytes / 1e4) / 100,
    },
  })}\n`,
);
