// Prisma CLI configuration: JavaScript engine with a driver adapter, so no native engine is downloaded
// (docs/decisions/002-offline-toolchain.md). The CLI does not read .env when this file exists: scripts
// export DATABASE_URL (default below, the same as app/env.server.ts). Its scheme chooses the ledger, as
// in app/db.server.ts: file: → SQLite (prisma/schema.prisma), postgres(ql):// → PostgreSQL (the schema
// derived from it, prisma/postgresql/schema.prisma; docs/decisions/009-two-schemas-one-ledger.md).
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

const url = process.env.DATABASE_URL ?? "file:./prisma/dev.sqlite";
const postgres = /^postgres(ql)?:\/\//.test(url);

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: postgres
    ? path.join("prisma", "postgresql", "schema.prisma")
    : path.join("prisma", "schema.prisma"),
  adapter: async () =>
    postgres ? new PrismaPg({ connectionString: url }) : new PrismaBetterSQLite3({ url }),
});
