#!/usr/bin/env node
// PostgreSQL migrations (docs/decisions/009-two-schemas-one-ledger.md). `prisma migrate deploy` fails on
// PostgreSQL with the JS engine (toolchain.md), so the app has its own small migrator:
//
//   node scripts/postgres-migrations.mjs new <name>   (npm run db:pg:migration -- <name>)
//       derives prisma/postgresql/schema.prisma, diffs the schema the latest migration led to (its
//       schema.snapshot.prisma) against it with `prisma migrate diff`, and writes
//       prisma/postgresql/migrations/<UTC timestamp>_<name>/{migration.sql,schema.snapshot.prisma}.
//       Nothing is written when nothing changed. Run it after changing prisma/schema.prisma (and after
//       merging a branch that did), next to the SQLite migration.
//   node scripts/postgres-migrations.mjs check         exit 1 with the missing SQL when the migrations
//       are behind prisma/schema.prisma (also a test: scripts/postgres-migrations.test.ts).
//   node scripts/postgres-migrations.mjs deploy        applies what is not applied yet to DATABASE_URL
//       (npm run setup does this for a PostgreSQL DATABASE_URL).
//
// Deploy: one session holds an advisory lock (two instances starting at once migrate one after the
// other); each migration runs in its own transaction together with its row in "_app_migrations" (name,
// checksum), so a failed migration leaves nothing half-applied and is retried next time. A migration
// whose file starts with `-- no-transaction` runs outside a transaction (statements PostgreSQL refuses
// inside one, such as CREATE INDEX CONCURRENTLY). An applied migration whose file changed is an error.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import {
  derivePostgresSchema,
  POSTGRES_MIGRATIONS,
  POSTGRES_SCHEMA,
  writePostgresSchema,
} from "./postgres-schema.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const prismaBin = join(root, "node_modules", ".bin", "prisma");
const SNAPSHOT = "schema.snapshot.prisma";
const TABLE = "_app_migrations";
/** pg_advisory_lock key: any constant the app uses for nothing else. */
const LOCK_KEY = 7_482_913_001;

/** Migration folders, oldest first. */
export function listPostgresMigrations(dir = POSTGRES_MIGRATIONS) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, "migration.sql")))
    .map((entry) => {
      const sql = readFileSync(join(dir, entry.name, "migration.sql"), "utf8");
      return {
        name: entry.name,
        sql,
        checksum: createHash("sha256").update(sql).digest("hex"),
        snapshot: join(dir, entry.name, SNAPSHOT),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The SQL taking the latest migration's schema to the derived one ("" when the migrations are current).
 * `sqliteSchema`: diff the schema derived from this text instead of prisma/schema.prisma (tests).
 */
export function missingPostgresSql({ sqliteSchema } = {}) {
  let target = POSTGRES_SCHEMA;
  let scratch = null;
  if (sqliteSchema === undefined) writePostgresSchema();
  else {
    scratch = mkdtempSync(join(tmpdir(), "account-invites-pg-schema-"));
    target = join(scratch, "schema.prisma");
    writeFileSync(target, derivePostgresSchema(sqliteSchema));
  }
  try {
    return diffToLatest(target);
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

function diffToLatest(target) {
  const latest = listPostgresMigrations().at(-1);
  if (latest && !existsSync(latest.snapshot))
    throw new Error(
      `${latest.name} has no ${SNAPSHOT}: migrations must be made by \`npm run db:pg:migration\``,
    );
  const from = latest ? ["--from-schema-datamodel", latest.snapshot] : ["--from-empty"];
  const sql = execFileSync(
    prismaBin,
    ["migrate", "diff", ...from, "--to-schema-datamodel", target, "--script"],
    // The diff reads two files and no database; the CLI's config (prisma.config.ts) must not try to
    // connect to one, so it gets its SQLite default.
    {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: "file:./prisma/dev.sqlite" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  return /^\s*(--.*\s*)*$/.test(sql.replace(/-- This is an empty migration\.?/g, "")) ? "" : sql;
}

export function createPostgresMigration(name, now = new Date()) {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error("a migration name is lowercase letters, digits and _");
  const sql = missingPostgresSql();
  if (!sql) return null;
  const stamp = now.toISOString().replace(/\D/g, "").slice(0, 14);
  const folder = join(POSTGRES_MIGRATIONS, `${stamp}_${name}`);
  if (existsSync(folder)) throw new Error(`${folder} exists`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, "migration.sql"), sql);
  writeFileSync(join(folder, SNAPSHOT), readFileSync(POSTGRES_SCHEMA, "utf8"));
  return folder;
}

/** Applies pending migrations to `url`; returns the names applied. */
export async function deployPostgresMigrations(url, { log = () => {} } = {}) {
  const migrations = listPostgresMigrations();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS "${TABLE}" (name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const applied = new Map(
      (await client.query(`SELECT name, checksum FROM "${TABLE}"`)).rows.map((row) => [
        row.name,
        row.checksum,
      ]),
    );
    const done = [];
    for (const migration of migrations) {
      const known = applied.get(migration.name);
      if (known !== undefined) {
        if (known !== migration.checksum)
          throw new Error(`PostgreSQL migration ${migration.name} was changed after it was applied`);
        continue;
      }
      const inTransaction = !migration.sql.startsWith("-- no-transaction");
      try {
        if (inTransaction) await client.query("BEGIN");
        await client.query(migration.sql);
        await client.query(`INSERT INTO "${TABLE}" (name, checksum) VALUES ($1, $2)`, [
          migration.name,
          migration.checksum,
        ]);
        if (inTransaction) await client.query("COMMIT");
      } catch (error) {
        if (inTransaction) await client.query("ROLLBACK").catch(() => {});
        throw new Error(`PostgreSQL migration ${migration.name} failed: ${error.message}`, { cause: error });
      }
      log(`applied ${migration.name}`);
      done.push(migration.name);
    }
    const unknown = [...applied.keys()].filter((name) => !migrations.some((m) => m.name === name));
    if (unknown.length > 0)
      log(`the database has migrations this checkout does not know: ${unknown.join(", ")}`);
    return done;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => {});
    await client.end();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [command, name] = process.argv.slice(2);
  const say = (line) => process.stderr.write(`postgres migrations: ${line}\n`);
  try {
    if (command === "new") {
      if (!name) throw new Error("usage: npm run db:pg:migration -- <name>");
      const folder = createPostgresMigration(name);
      say(
        folder
          ? `wrote ${folder}`
          : "prisma/schema.prisma has no change the migrations lack: nothing written",
      );
    } else if (command === "check") {
      const sql = missingPostgresSql();
      if (sql) {
        say("behind prisma/schema.prisma; run `npm run db:pg:migration -- <name>`. Missing:\n" + sql);
        process.exit(1);
      }
      say("up to date");
    } else if (command === "deploy") {
      const url = process.env.DATABASE_URL;
      if (!url || !/^postgres(ql)?:\/\//.test(url))
        throw new Error("DATABASE_URL must be a postgresql:// URL");
      const done = await deployPostgresMigrations(url, { log: say });
      say(done.length > 0 ? `${done.length} applied` : "nothing to apply");
    } else {
      throw new Error("usage: postgres-migrations.mjs new <name> | check | deploy");
    }
  } catch (error) {
    say(error.message);
    process.exit(1);
  }
}
