import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  TEST_API_KEY,
  TEST_API_SECRET,
  TEST_APP_URL,
  TEST_LINK_EXPORT_KEY,
  TEST_SCOPES,
} from "../test/testEnv";

// What every benchmark process does before it imports the app: the app's environment (production mode,
// the test credentials the emulator knows, no in-process worker) and a migrated SQLite file of its own.
export const benchRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const benchCacheDir = join(benchRoot, "node_modules", ".cache", "account-invites-bench");

export function prepareBenchApp(database: string): void {
  mkdirSync(benchCacheDir, { recursive: true });
  Object.assign(process.env, {
    NODE_ENV: "production",
    SHOPIFY_API_KEY: TEST_API_KEY,
    SHOPIFY_API_SECRET: TEST_API_SECRET,
    SHOPIFY_APP_URL: TEST_APP_URL,
    SCOPES: TEST_SCOPES,
    LINK_EXPORT_KEY: TEST_LINK_EXPORT_KEY,
    DATABASE_URL: `file:${database}`,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "silent",
    WORKER_ENABLED: "false",
  });
  execFileSync("npx", ["prisma", "migrate", "deploy"], {
    cwd: benchRoot,
    env: process.env,
    stdio: ["ignore", "ignore", "inherit"],
  });
}
