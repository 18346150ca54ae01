#!/usr/bin/env node
// Self-setup, run by `npm test`, `npm run setup` and the other scripts that need generated files.
// Each step is skipped when its output is already up to date, so a second run takes about a second.
//   1. dependencies: `npm ci` when node_modules is missing or older than package-lock.json
//   2. the Admin GraphQL schema, from the npm registry (scripts/fetch-admin-schema.mjs)
//   3. the Prisma clients (JS engine, no download): SQLite's from prisma/schema.prisma, PostgreSQL's from the
//      schema derived from it (scripts/postgres-schema.mjs); GraphQL types (codegen, fails on an invalid operation)
//   4. the database (skipped with --test: tests make their own): `prisma migrate deploy` for a SQLite
//      DATABASE_URL, the app's PostgreSQL migrator (scripts/postgres-migrations.mjs) for a PostgreSQL one
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = new Set(process.argv.slice(2));
const forTests = args.has("--test");
const stampDir = join(root, "node_modules", ".cache", "account-invites-setup");

// Everything setup prints goes to stderr, so commands that print data on stdout (npm run bench) stay clean.
function run(command, commandArgs, env = {}) {
  execFileSync(command, commandArgs, {
    cwd: root,
    stdio: ["inherit", 2, 2],
    env: { ...process.env, ...env },
  });
}

function step(name) {
  process.stderr.write(`setup: ${name}\n`);
}

function stale(stampName, inputs) {
  const hash = createHash("sha256");
  for (const file of inputs) {
    hash.update(relative(root, file));
    hash.update(existsSync(file) ? readFileSync(file) : "missing");
  }
  const digest = hash.digest("hex");
  const stampFile = join(stampDir, stampName);
  const previous = existsSync(stampFile) ? readFileSync(stampFile, "utf8") : "";
  return {
    stale: previous !== digest,
    done: () => {
      mkdirSync(stampDir, { recursive: true });
      writeFileSync(stampFile, digest);
    },
  };
}

function filesUnder(dir, pattern, skip = /node_modules|\/dist\/|\/types\//) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (skip.test(path)) continue;
    if (entry.isDirectory()) out.push(...filesUnder(path, pattern, skip));
    else if (pattern.test(entry.name)) out.push(path);
  }
  return out.sort();
}

// 1. Dependencies.
const lock = join(root, "package-lock.json");
const installed = join(root, "node_modules", ".package-lock.json");
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  step("installing dependencies (npm ci)");
  run("npm", ["ci", "--no-audit", "--no-fund"]);
}

// 2. Schema.
const { fetchAdminSchema } = await import("./fetch-admin-schema.mjs");
fetchAdminSchema();

// 3a. Prisma client.
const prismaInputs = [join(root, "prisma", "schema.prisma"), join(root, "package-lock.json")];
const prismaStamp = stale("prisma-client", prismaInputs);
if (prismaStamp.stale || !existsSync(join(root, "node_modules", ".prisma", "client", "index.js"))) {
  step("generating the Prisma client");
  run("npx", ["prisma", "generate"]);
  prismaStamp.done();
}

// 3b. The PostgreSQL client, from the derived schema (written first when prisma/schema.prisma changed).
const { POSTGRES_SCHEMA, writePostgresSchema } = await import("./postgres-schema.mjs");
writePostgresSchema();
const postgresStamp = stale("prisma-client-pg", [POSTGRES_SCHEMA, join(root, "package-lock.json")]);
if (postgresStamp.stale || !existsSync(join(root, "node_modules", ".prisma", "client-pg", "index.js"))) {
  step("generating the PostgreSQL Prisma client");
  run("npx", ["prisma", "generate", "--schema", POSTGRES_SCHEMA], {
    DATABASE_URL: "file:./prisma/dev.sqlite",
  });
  postgresStamp.done();
}

// 3c. GraphQL types. Inputs: every source file that may hold a #graphql document, and the schema.
const documents = [
  ...filesUnder(join(root, "app"), /\.(ts|tsx)$/),
  ...filesUnder(join(root, "extensions"), /\.(ts|tsx)$/),
].filter((file) => readFileSync(file, "utf8").includes("#graphql"));
const codegenStamp = stale("graphql-codegen", [
  ...documents,
  join(root, ".graphqlrc.ts"),
  join(root, "package-lock.json"),
]);
if (codegenStamp.stale || !existsSync(join(root, "app", "types", "admin.generated.d.ts"))) {
  step("typing GraphQL documents (graphql-codegen)");
  run("npx", ["graphql-codegen", "--silent"]);
  codegenStamp.done();
}

// 4. Database.
if (!forTests) {
  const url = process.env.DATABASE_URL ?? "file:./prisma/dev.sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) {
    step("migrating the PostgreSQL database (DATABASE_URL)");
    const { deployPostgresMigrations } = await import("./postgres-migrations.mjs");
    await deployPostgresMigrations(url, { log: (line) => step(line) });
  } else {
    step(`migrating the database (${url})`);
    run("npx", ["prisma", "migrate", "deploy"], { DATABASE_URL: url });
  }
}
