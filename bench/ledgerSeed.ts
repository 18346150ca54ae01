// A large ledger for the page benchmark: 1,000,000 recipient rows by default (one shop, one campaign
// of 200,000 and the rest in campaigns of 5,000, each a slice of a 200,000-customer shop, so a customer
// is in about five campaigns), 20,000 activation links, and another shop's 50,000 rows in the same
// indexes. Written with raw SQL in one transaction (SQLite through better-sqlite3: about a minute).
import Database from "better-sqlite3";

export const BIG_CAMPAIGN_ID = "cbench000000";
export const LINKS = 20_000;

export interface SeedOptions {
  database: string;
  shop: string;
  otherShop: string;
  recipients: number;
}

/** Prisma's SQLite DateTime text format. */
const sqlTime = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
export const pad = (n: number, width = 8) => String(n).padStart(width, "0");
export const customerGid = (n: number) => `gid://shopify/Customer/${100000 + n}`;
const STATUSES = ["sent", "sent", "sent", "sent", "skipped", "skipped", "failed", "sent"] as const;

export function seedLedger({ database, shop, otherShop, recipients: RECIPIENTS }: SeedOptions) {
  const BIG_CAMPAIGN = Math.min(200_000, RECIPIENTS);
  const SMALL_CAMPAIGN = 5_000;
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
