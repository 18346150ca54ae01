import Database from "better-sqlite3";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// Migration 20261201120000_reason_codes moves the ledger from stored English to codes and parameters.
// Rows written by the earlier app keep what their words carried.
const MIGRATIONS = join(process.cwd(), "prisma/migrations");
const TARGET = "20261201120000_reason_codes";

type Db = InstanceType<typeof Database>;

function migrate(db: Db, filter: (name: string) => boolean) {
  for (const name of readdirSync(MIGRATIONS)
    .filter((n) => /^\d+_/.test(n))
    .sort()) {
    if (filter(name)) db.exec(readFileSync(join(MIGRATIONS, name, "migration.sql"), "utf8"));
  }
}

describe("the reason-codes migration", () => {
  it("turns stored English into codes with parameters, and drops the English", () => {
    const db = new Database(":memory:");
    migrate(db, (name) => name < TARGET);
    db.exec(`INSERT INTO "Campaign" ("id","shop","source","idempotencyKey","updatedAt","failureMessage")
             VALUES ('c1','s.myshopify.com','selection','k',CURRENT_TIMESTAMP,'Stopped')`);
    const insert = db.prepare(
      `INSERT INTO "Recipient" ("id","shop","campaignId","customerId","status","reasonCode","reasonMessage","updatedAt")
       VALUES (?, 's.myshopify.com', 'c1', ?, ?, ?, ?, CURRENT_TIMESTAMP)`,
    );
    insert.run("r1", "gid://shopify/Customer/1", "failed", "SHOPIFY_ERROR", "Email has already been taken");
    insert.run(
      "r2",
      "gid://shopify/Customer/2",
      "skipped",
      "INVITED_RECENTLY",
      "Was sent an invite in the last 48 hours.",
    );
    insert.run("r3", "gid://shopify/Customer/3", "skipped", "ACCOUNT_ENABLED", "Already has an account.");
    insert.run("r4", "gid://shopify/Customer/4", "sent", null, null);

    migrate(db, (name) => name === TARGET);

    const rows = db.prepare(`SELECT * FROM "Recipient" ORDER BY "id"`).all() as Record<string, unknown>[];
    expect(rows.map((r) => [r.reasonCode, r.reasonParams])).toEqual([
      ["SHOPIFY_ERROR", JSON.stringify({ shopifyMessage: "Email has already been taken" })],
      ["INVITED_RECENTLY", JSON.stringify({ hours: 48 })],
      ["ACCOUNT_ENABLED", null],
      [null, null],
    ]);
    expect(rows.every((r) => !("reasonMessage" in r))).toBe(true);
    const campaign = db.prepare(`SELECT * FROM "Campaign"`).get() as Record<string, unknown>;
    expect("failureMessage" in campaign).toBe(false);
    expect(campaign).toHaveProperty("failureParams", null);
  });
});
