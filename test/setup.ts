import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, afterEach, beforeEach, vi } from "vitest";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL, TEST_LINK_EXPORT_KEY, TEST_SCOPES } from "./testEnv";

// Runs before each test file, in its own process (pool: forks), before the app's modules load.
const template = resolve("node_modules/.cache/account-invites-test/template.sqlite");
const dir = resolve("node_modules/.cache/account-invites-test/files");
mkdirSync(dir, { recursive: true });
const database = join(dir, `${process.pid}-${Date.now()}.sqlite`);
copyFileSync(template, database);

Object.assign(process.env, {
  NODE_ENV: "test",
  SHOPIFY_API_KEY: TEST_API_KEY,
  SHOPIFY_API_SECRET: TEST_API_SECRET,
  SHOPIFY_APP_URL: TEST_APP_URL,
  SCOPES: TEST_SCOPES,
  LINK_EXPORT_KEY: TEST_LINK_EXPORT_KEY,
  DATABASE_URL: `file:${database}`,
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
});

afterAll(() => {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(database + suffix, { force: true });
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
