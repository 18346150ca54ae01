import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

// One migrated SQLite database per run; test/setup.ts gives every test file its own copy.
export const TEMPLATE_DB = resolve("node_modules/.cache/account-invites-test/template.sqlite");

export default function setup() {
  mkdirSync(join(TEMPLATE_DB, ".."), { recursive: true });
  rmSync(TEMPLATE_DB, { force: true });
  execFileSync("npx", ["prisma", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: `file:${TEMPLATE_DB}` },
    stdio: ["ignore", "ignore", "inherit"],
  });
}
