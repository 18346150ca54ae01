// A large ledger for the page benchmark: 1,000,000 recipient rows by default (one shop, one campaign
// of 200,000 and the rest in campaigns of 5,000, each a slice of a 200,000-customer shop, so a customer
// is in about five campaigns), 20,000 activation links, and another shop's 50,000 rows in the same
// indexes. One description of the data (`LEDGER`, `ledgerPlan` and the row functions below), two writers,
// each in one transaction:
// - SQLite: the row functions, row by row through better-sqlite3 (about a minute for 1,000,000 rows);
// - PostgreSQL: the same rows set-based, `INSERT … SELECT … FROM generate_series(…)`, the description's
//   values passed as parameters; its SQL spells the row functions' formulas once more (status cycle,
//   customer slice, ids, times), next to each other below so that one is read against the other.
import Database from "better-sqlite3";
import pg from "pg";

/** Everything the ledger is made of; both writers read it. */
export const LEDGER = {
  bigCampaign: 200_000,
  smallCampaign: 5_000,
  /** The shop's customers: campaign c > 0 takes the slice starting at bigCampaign + c × smallCampaign. */
  customers: 200_000,
  customerGidBase: 100_000,
  customerGidPrefix: "gid://shopify/Customer/",
  links: 20_000,
  otherShopRows: 50_000,
  staff: 5,
  /** Campaign c ran one hour after campaign c−1, its rows one ms apart; links one minute apart. */
  campaignSpacingMs: 3_600_000,
  linkSpacingMs: 60_000,
  linkLifetimeMs: 30 * 86_400_000,
  /** Row i of campaign c has status statuses[(i × statusStride + c) mod statuses.length]. */
  statuses: ["sent", "sent", "sent", "sent", "skipped", "skipped", "failed", "sent"],
  statusStride: 7,
  /** What each status leaves on its row. */
  outcomes: {
    sent: { reasonCode: null, reasonParams: null, attempts: 1, sent: true },
    skipped: { reasonCode: "ACCOUNT_ENABLED", reasonParams: null, attempts: 0, sent: false },
    failed: {
      reasonCode: "SHOPIFY_ERROR",
      reasonParams: JSON.stringify({ shopifyMessage: "Email is invalid" }),
      attempts: 1,
      sent: true,
    },
  },
  otherCampaignId: "cotheronly",
} as const;

type Status = keyof typeof LEDGER.outcomes;
export const LINKS = LEDGER.links;
export const pad = (n: number, width = 8) => String(n).padStart(width, "0");
export const customerGid = (n: number) => `${LEDGER.customerGidPrefix}${LEDGER.customerGidBase + n}`;
export const campaignId = (c: number) => `cbench${pad(c, 6)}`;
export const recipientId = (c: number, i: number) => `r${pad(c, 6)}${pad(i, 7)}`;
const otherRecipientId = (i: number) => `rother${pad(i)}`;
const linkId = (i: number) => `l${pad(i)}`;
const staffMember = (n: number) => `staff-${n % LEDGER.staff}`;
export const BIG_CAMPAIGN_ID = campaignId(0);

const statusOf = (c: number, i: number) =>
  LEDGER.statuses[(i * LEDGER.statusStride + c) % LEDGER.statuses.length] as Status;
/** Each campaign its own slice of the shop's customers: a customer is in about five campaigns. */
const customerOf = (c: number, i: number) =>
  c === 0 ? i : (LEDGER.bigCampaign + c * LEDGER.smallCampaign + i) % LEDGER.customers;

export interface SeedOptions {
  shop: string;
  otherShop: string;
  recipients: number;
  /** The time the ledger ends at (ms): Date.now() unless given. */
  now?: number;
}

export interface SeedResult {
  recipients: number;
  campaigns: number;
  links: number;
  seedSeconds: number;
}

interface PlannedCampaign {
  index: number;
  id: string;
  source: "query" | "selection";
  query: string | null;
  requestedBy: string;
  idempotencyKey: string;
  size: number;
  /** Its first row's time (ms); its last row's is start + size − 1, and it finished at start + size. */
  start: number;
  finish: number;
  counts: Record<Status, number>;
}

/** The campaigns, oldest first, with the counters their rows add up to; the other shop's last. */
export function ledgerPlan(recipients: number, now: number) {
  const big = Math.min(LEDGER.bigCampaign, recipients);
  const sizes = [big];
  for (let left = recipients - big; left > 0; left -= LEDGER.smallCampaign)
    sizes.push(Math.min(LEDGER.smallCampaign, left));
  const campaigns = sizes.map((size, c): PlannedCampaign => {
    const counts = { sent: 0, skipped: 0, failed: 0 };
    for (let i = 0; i < size; i++) counts[statusOf(c, i)]++;
    const start = now - (sizes.length - c) * LEDGER.campaignSpacingMs;
    return {
      index: c,
      id: campaignId(c),
      source: c === 0 ? "query" : "selection",
      query: c === 0 ? "state:disabled" : null,
      requestedBy: staffMember(c),
      idempotencyKey: `key-${c}`,
      size,
      start,
      finish: start + size,
      counts,
    };
  });
  const other: PlannedCampaign = {
    index: -1,
    id: LEDGER.otherCampaignId,
    source: "selection",
    query: null,
    requestedBy: staffMember(0),
    idempotencyKey: "k",
    size: LEDGER.otherShopRows,
    start: now,
    finish: now,
    counts: { sent: LEDGER.otherShopRows, skipped: 0, failed: 0 },
  };
  return { now, campaigns, other, recipients: sizes.reduce((sum, size) => sum + size, 0) };
}

/** Prisma's SQLite DateTime text format. */
const sqlTime = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
const elapsed = (started: number) => Math.round(performance.now() - started) / 1000;

export function seedLedger({
  database,
  shop,
  otherShop,
  recipients,
  now,
}: SeedOptions & { database: string }): SeedResult {
  const started = performance.now();
  const plan = ledgerPlan(recipients, now ?? Date.now());
  const db = new Database(database);
  db.pragma("journal_mode = WAL");
  const insertCampaign = db.prepare(
    `INSERT INTO Campaign (id, shop, kind, source, query, includeDeclined, requestedBy, idempotencyKey, status, total,
       queuedCount, sendingCount, sentCount, skippedCount, failedCount, targetsResolved, startedAt, finishedAt, createdAt, updatedAt)
     VALUES (?, ?, 'invite', ?, ?, 0, ?, ?, 'completed', ?, 0, 0, ?, ?, ?, 1, ?, ?, ?, ?)`,
  );
  const insertRecipient = db.prepare(
    `INSERT INTO Recipient (id, shop, campaignId, customerId, checkedAt, stateBefore, status, reasonCode, reasonParams,
       attempts, sendingAt, finishedAt, createdAt, updatedAt)
     VALUES (?, ?, ?, ?, ?, 'DISABLED', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertLink = db.prepare(
    `INSERT INTO ActivationLink (id, shop, customerId, issuedAt, expiresAt, issuedBy, fingerprint, replacedAt, createdAt, updatedAt)
     VALUES (?, ?, ?, ?, ?, ?, 'f', NULL, ?, ?)`,
  );
  const campaign = (forShop: string, k: PlannedCampaign) =>
    insertCampaign.run(
      k.id,
      forShop,
      k.source,
      k.query,
      k.requestedBy,
      k.idempotencyKey,
      k.size,
      k.counts.sent,
      k.counts.skipped,
      k.counts.failed,
      sqlTime(k.start),
      sqlTime(k.finish),
      sqlTime(k.start),
      sqlTime(k.finish),
    );
  const recipient = (
    forShop: string,
    id: string,
    campaign: string,
    customer: number,
    status: Status,
    ms: number,
  ) => {
    const outcome = LEDGER.outcomes[status];
    const at = sqlTime(ms);
    insertRecipient.run(
      id,
      forShop,
      campaign,
      customerGid(customer),
      at,
      status,
      outcome.reasonCode,
      outcome.reasonParams,
      outcome.attempts,
      outcome.sent ? at : null,
      at,
      at,
      at,
    );
  };
  db.transaction(() => {
    for (const k of plan.campaigns) {
      campaign(shop, k);
      for (let i = 0; i < k.size; i++)
        recipient(
          shop,
          recipientId(k.index, i),
          k.id,
          customerOf(k.index, i),
          statusOf(k.index, i),
          k.start + i,
        );
    }
    for (let i = 0; i < LEDGER.links; i++) {
      const at = plan.now - (LEDGER.links - i) * LEDGER.linkSpacingMs;
      insertLink.run(
        linkId(i),
        shop,
        customerGid(i),
        sqlTime(at),
        sqlTime(at + LEDGER.linkLifetimeMs),
        staffMember(i),
        sqlTime(at),
        sqlTime(at),
      );
    }
    // Another shop's rows: never in this shop's pages, and in the same indexes.
    campaign(otherShop, plan.other);
    for (let i = 0; i < plan.other.size; i++)
      recipient(otherShop, otherRecipientId(i), plan.other.id, i, "sent", plan.now - i);
  })();
  db.exec("ANALYZE");
  db.close();
  return {
    recipients: plan.recipients,
    campaigns: plan.campaigns.length,
    links: LEDGER.links,
    seedSeconds: elapsed(started),
  };
}

// PostgreSQL. Prisma's tables and columns are quoted camelCase ("Recipient"."campaignId"), its DateTime a
// TIMESTAMP(3) holding UTC: a time is written as the epoch plus its milliseconds.
const pgTime = (ms: string) => `(TIMESTAMP '1970-01-01' + (${ms}) * INTERVAL '1 millisecond')`;

/** The schema the ledger's tables are in: the URL's `?schema=` when it holds them, else the server's default. */
async function ledgerSchema(client: pg.Client, url: string): Promise<string> {
  const named = new URL(url).searchParams.get("schema");
  const found = await client.query<{ schema: string }>(
    `SELECT n.nspname AS schema FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relname = 'Recipient' AND n.nspname = ANY($1::text[])
     ORDER BY n.nspname = $2 DESC LIMIT 1`,
    [[named ?? "", "public"], named ?? ""],
  );
  const schema = found.rows[0]?.schema;
  if (!schema) throw new Error(`no "Recipient" table in schema ${named ?? "public"}: migrate first`);
  return schema;
}

/** The same ledger as `seedLedger`, into the PostgreSQL database `url` names. */
export async function seedLedgerPostgres({
  url,
  shop,
  otherShop,
  recipients,
  now,
}: SeedOptions & { url: string }): Promise<SeedResult & { schema: string }> {
  const started = performance.now();
  const plan = ledgerPlan(recipients, now ?? Date.now());
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const schema = await ledgerSchema(client, url);
    await client.query("BEGIN");
    await client.query(`SET LOCAL search_path TO ${client.escapeIdentifier(schema)}`);
    await client.query("SET LOCAL maintenance_work_mem = '512MB'");
    // A bulk load: Recipient's secondary indexes and foreign key set aside and built once at the end, as
    // the migrations define them (about five times faster than maintaining them row by row).
    const setAside = await client.query<{ drop: string; create: string }>(
      `SELECT format('DROP INDEX %I', i.relname) AS drop, pg_get_indexdef(i.oid) AS create
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
       WHERE x.indrelid = '"Recipient"'::regclass AND NOT x.indisprimary
       UNION ALL
       SELECT format('ALTER TABLE "Recipient" DROP CONSTRAINT %I', conname),
         format('ALTER TABLE "Recipient" ADD CONSTRAINT %I %s', conname, pg_get_constraintdef(oid))
       FROM pg_constraint WHERE conrelid = '"Recipient"'::regclass AND contype = 'f'`,
    );
    for (const { drop } of setAside.rows) await client.query(drop);
    const all = [...plan.campaigns, plan.other];
    const column = <T>(pick: (k: PlannedCampaign) => T) => all.map(pick);
    await client.query(
      `INSERT INTO "Campaign" ("id", "shop", "kind", "source", "query", "includeDeclined", "requestedBy", "idempotencyKey",
         "status", "total", "queuedCount", "sendingCount", "sentCount", "skippedCount", "failedCount", "targetsResolved",
         "startedAt", "finishedAt", "createdAt", "updatedAt")
       SELECT k.id, k.shop, 'invite', k.source, k.query, false, k.requested_by, k.idempotency_key,
         'completed', k.size, 0, 0, k.sent, k.skipped, k.failed, true,
         ${pgTime("k.start")}, ${pgTime("k.finish")}, ${pgTime("k.start")}, ${pgTime("k.finish")}
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[],
         $8::int[], $9::int[], $10::int[], $11::bigint[], $12::bigint[])
         AS k(id, shop, source, query, requested_by, idempotency_key, size, sent, skipped, failed, start, finish)`,
      [
        column((k) => k.id),
        column((k) => (k === plan.other ? otherShop : shop)),
        column((k) => k.source),
        column((k) => k.query),
        column((k) => k.requestedBy),
        column((k) => k.idempotencyKey),
        column((k) => k.size),
        column((k) => k.counts.sent),
        column((k) => k.counts.skipped),
        column((k) => k.counts.failed),
        column((k) => k.start),
        column((k) => k.finish),
      ],
    );
    // Each status's outcome, indexed as LEDGER.statuses is (1-based in SQL).
    const outcomes = LEDGER.statuses.map((status) => LEDGER.outcomes[status]);
    const recipientsSql = (rows: string) =>
      `INSERT INTO "Recipient" ("id", "shop", "campaignId", "customerId", "checkedAt", "stateBefore", "status",
         "reasonCode", "reasonParams", "attempts", "sendingAt", "finishedAt", "createdAt", "updatedAt")
       SELECT r.id, r.shop, r.campaign, $1 || ($2::int + r.customer), r.at, 'DISABLED', ($3::text[])[r.s],
         ($4::text[])[r.s], ($5::text[])[r.s], ($6::int[])[r.s], CASE WHEN ($7::bool[])[r.s] THEN r.at END,
         r.at, r.at, r.at
       FROM (${rows}) AS r`;
    const outcomeParams = [
      LEDGER.customerGidPrefix,
      LEDGER.customerGidBase,
      LEDGER.statuses,
      outcomes.map((o) => o.reasonCode),
      outcomes.map((o) => o.reasonParams),
      outcomes.map((o) => o.attempts),
      outcomes.map((o) => o.sent),
    ];
    // The row functions, in SQL: recipientId, customerOf, statusOf, k.start + i.
    await client.query(
      recipientsSql(
        `SELECT 'r' || lpad(k.c::text, 6, '0') || lpad(g.i::text, 7, '0') AS id, $8::text AS shop, k.id AS campaign,
           CASE WHEN k.c = 0 THEN g.i ELSE ($9::int + k.c * $10::int + g.i) % $11::int END AS customer,
           ${pgTime("k.start + g.i")} AS at,
           ((g.i * $12::int + k.c) % cardinality($3::text[])) + 1 AS s
         FROM unnest($13::text[], $14::int[], $15::int[], $16::bigint[]) AS k(id, c, size, start)
         CROSS JOIN LATERAL generate_series(0, k.size - 1) AS g(i)`,
      ),
      [
        ...outcomeParams,
        shop,
        LEDGER.bigCampaign,
        LEDGER.smallCampaign,
        LEDGER.customers,
        LEDGER.statusStride,
        plan.campaigns.map((k) => k.id),
        plan.campaigns.map((k) => k.index),
        plan.campaigns.map((k) => k.size),
        plan.campaigns.map((k) => k.start),
      ],
    );
    await client.query(
      `INSERT INTO "ActivationLink" ("id", "shop", "customerId", "issuedAt", "expiresAt", "issuedBy", "fingerprint",
         "replacedAt", "createdAt", "updatedAt")
       SELECT 'l' || lpad(g.i::text, 8, '0'), $1, $2 || ($3::int + g.i), l.at, l.at + $4::bigint * INTERVAL '1 millisecond',
         'staff-' || (g.i % $5::int), 'f', NULL, l.at, l.at
       FROM generate_series(0, $6::int - 1) AS g(i)
       CROSS JOIN LATERAL (SELECT ${pgTime("$7::bigint - ($6::int - g.i) * $8::bigint")} AS at) AS l`,
      [
        shop,
        LEDGER.customerGidPrefix,
        LEDGER.customerGidBase,
        LEDGER.linkLifetimeMs,
        LEDGER.staff,
        LEDGER.links,
        plan.now,
        LEDGER.linkSpacingMs,
      ],
    );
    // Another shop's rows: never in this shop's pages, and in the same indexes.
    await client.query(
      recipientsSql(
        `SELECT 'rother' || lpad(g.i::text, 8, '0') AS id, $8::text AS shop, $9::text AS campaign, g.i AS customer,
           ${pgTime("$10::bigint - g.i")} AS at, array_position($3::text[], 'sent') AS s
         FROM generate_series(0, $11::int - 1) AS g(i)`,
      ),
      [...outcomeParams, otherShop, plan.other.id, plan.now, plan.other.size],
    );
    for (const { create } of setAside.rows) await client.query(create);
    await client.query("COMMIT");
    await client.query(`ANALYZE "Campaign", "Recipient", "ActivationLink"`);
    return {
      recipients: plan.recipients,
      campaigns: plan.campaigns.length,
      links: LEDGER.links,
      seedSeconds: elapsed(started),
      schema,
    };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
