#!/usr/bin/env node
// `npm run db:migrate`: the deploy step that migrates DATABASE_URL, and nothing else (no install, no
// codegen: unlike `npm run setup`, it never runs `npm ci`). SQLite: `prisma migrate deploy`;
// PostgreSQL: the app's own migrator (scripts/postgres-migrations.mjs, docs/decisions/009).
import { execFileSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const url = process.env.DATABASE_URL ?? "file:./prisma/dev.sqlite";
if (/^postgres(ql)?:\/\//.test(url)) {
  const { deployPostgresMigrations } = await import("./postgres-migrations.mjs");
  await deployPostgresMigrations(url, { log: (line) => process.stderr.write(`db:migrate: ${line}\n`) });
} else {
  process.stderr.write(`db:migrate: prisma migrate deploy (${url})\n`);
  execFileSync("npx", ["prisma", "migrate", "deploy"], {
    cwd: root,
    stdio: ["ignore", 2, 2],
    env: { ...process.env, DATABASE_URL: url },
  });
}
