import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, afterEach, beforeEach, vi } from "vitest";
import { createDatabase, dropDatabase, onPostgres } from "./support/postgres";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL, TEST_LINK_EXPORT_KEY, TEST_SCOPES } from "./testEnv";

// Runs before each test file, in its own process (pool: forks), before the app's modules load: the file
// gets its own copy of the run's migrated template (SQLite file, or PostgreSQL database).
let databaseUrl: string;
let removeDatabase: () => Promise<void> | void;
if (onPostgres) {
  const template = process.env.TEST_POSTGRES_TEMPLATE;
  if (!template) throw new Error("test/globalSetup.ts did not make the PostgreSQL template");
  const name = `test_${process.pid}_${Date.now()}`;
  databaseUrl = await createDatabase(name, { template });
  removeDatabase = async () => {
    const { default: prisma } = await import("~/db.server");
    await prisma.$disconnect();
    await dropDatabase(name);
  };
} else {
  const template = resolve("node_modules/.cache/account-invites-test/template.sqlite");
  const dir = resolve("node_modules/.cache/account-invites-test/files");
  mkdirSync(dir, { recursive: true });
  const database = join(dir, `${process.pid}-${Date.now()}.sqlite`);
  copyFileSync(template, database);
  databaseUrl = `file:${database}`;
  removeDatabase = () => {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(database + suffix, { force: true });
  };
}

Object.assign(process.env, {
  NODE_ENV: "test",
  SHOPIFY_API_KEY: TEST_API_KEY,
  SHOPIFY_API_SECRET: TEST_API_SECRET,
  SHOPIFY_APP_URL: TEST_APP_URL,
  SCOPES: TEST_SCOPES,
  LINK_EXPORT_KEY: TEST_LINK_EXPORT_KEY,
  DATABASE_URL: databaseUrl,
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
});

afterAll(async () => {
  await removeDatabase();
});

// An unexpected console.error fails the test that caused it (tests that expect one mock it).
let consoleErrors: unknown[][] = [];
beforeEach(() => {
  consoleErrors = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    consoleErrors.push(args);
  });
});
afterEach(() => {
  const errors = consoleErrors;
  consoleErrors = [];
  if (errors.length > 0) {
    throw new Error(
      `Unexpected console.error:\n${errors.map((args) => args.map(String).join(" ")).join("\n")}`,
    );
  }
});
