import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { deployPostgresMigrations } from "../scripts/postgres-migrations.mjs";
import { createDatabase, dropDatabase, onPostgres } from "./support/postgres";

// One migrated database per run, copied for every test file by test/setup.ts: a SQLite file, or with
// TEST_DATABASE=postgresql (vitest.postgres.config.ts) a PostgreSQL template database made by the app's
// own migrator from prisma/postgresql/migrations.
export const TEMPLATE_DB = resolve("node_modules/.cache/account-invites-test/template.sqlite");

export default async function setup() {
  if (onPostgres) {
    const template = `template_${process.pid}`;
    await dropDatabase(template);
    await deployPostgresMigrations(await createDatabase(template));
    process.env.TEST_POSTGRES_TEMPLATE = template;
    return async () => {
      await dropDatabase(template);
    };
  }
  mkdirSync(join(TEMPLATE_DB, ".."), { recursive: true });
  rmSync(TEMPLATE_DB, { force: true });
  execFileSync("npx", ["prisma", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: `file:${TEMPLATE_DB}` },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return undefined;
}
