import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  TEST_API_KEY,
  TEST_API_SECRET,
  TEST_APP_URL,
  TEST_LINK_EXPORT_KEY,
  TEST_SCOPES,
} from "../test/testEnv";

// What every benchmark process does before it imports the app: the app's environment (production mode,
// the test credentials the emulator knows, no in-process worker) and a migrated database of its own.
//
// The database: a fresh SQLite file by default; with BENCH_DATABASE_URL (or `--database <url>`) a
// PostgreSQL server, each benchmark process in a database of its own (`bench_<name>`, dropped after),
// prepared by the app's own setup (`scripts/setup.mjs` migrates DATABASE_URL, whichever ledger it names).
export const benchRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const benchCacheDir = join(benchRoot, "node_modules", ".cache", "account-invites-bench");

export type DatabaseKind = "sqlite" | "postgresql";

export function databaseKind(url: string): DatabaseKind {
  return /^postgres(ql)?:/.test(url) ? "postgresql" : "sqlite";
}

/** The ledger the benchmark asked for: `--database <url>` or BENCH_DATABASE_URL, else SQLite. */
export function benchDatabaseUrl(argv = process.argv): string | null {
  const index = argv.indexOf("--database");
  return (index >= 0 ? argv[index + 1] : undefined) ?? process.env.BENCH_DATABASE_URL ?? null;
}

const CREATE_DATABASE = `
const { Client } = require("pg");
const [url, name] = process.argv.slice(1);
(async () => {
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query('DROP DATABASE IF EXISTS "' + name + '" WITH (FORCE)');
  await client.query('CREATE DATABASE "' + name + '"');
  await client.end();
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;

/** Drops a benchmark's own PostgreSQL database (prepareBenchApp's), its connections closed by force. */
export async function dropBenchDatabase(url: string): Promise<void> {
  if (databaseKind(url) !== "postgresql") return;
  const { default: pg } = await import("pg");
  const server = new URL(url);
  const name = server.pathname.slice(1);
  if (!name.startsWith("bench_")) throw new Error(`not a benchmark database: ${name}`);
  server.pathname = "/postgres";
  const client = new pg.Client({ connectionString: server.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Sets the app's environment and prepares its database; `sqliteFile` names the file SQLite would use. */
export function prepareBenchApp(sqliteFile: string): string {
  mkdirSync(benchCacheDir, { recursive: true });
  const asked = benchDatabaseUrl();
  let url = `file:${sqliteFile}`;
  if (asked && databaseKind(asked) === "postgresql") {
    // A database of its own on that server, created afresh (the app's client has no schema option: a
    // `?schema=` would be ignored and every process would share `public`).
    const name = `bench_${basename(sqliteFile).replace(/\W+/g, "_")}`.toLowerCase();
    execFileSync(process.execPath, ["-e", CREATE_DATABASE, asked, name], {
      cwd: benchRoot,
      stdio: ["ignore", "ignore", "inherit"],
    });
    const own = new URL(asked);
    own.pathname = `/${name}`;
    own.searchParams.delete("schema");
    url = own.toString();
  }
  Object.assign(process.env, {
    NODE_ENV: "production",
    SHOPIFY_API_KEY: TEST_API_KEY,
    SHOPIFY_API_SECRET: TEST_API_SECRET,
    SHOPIFY_APP_URL: TEST_APP_URL,
    SCOPES: TEST_SCOPES,
    LINK_EXPORT_KEY: TEST_LINK_EXPORT_KEY,
    DATABASE_URL: url,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "silent",
    WORKER_ENABLED: "false",
  });
  if (databaseKind(url) === "sqlite")
    execFileSync("npx", ["prisma", "migrate", "deploy"], {
      cwd: benchRoot,
      env: process.env,
      stdio: ["ignore", "ignore", "inherit"],
    });
  else
    execFileSync(process.execPath, ["scripts/setup.mjs"], {
      cwd: benchRoot,
      env: process.env,
      stdio: ["ignore", "ignore", "inherit"],
    });
  return url;
}
