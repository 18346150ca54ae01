// Prisma CLI configuration: JavaScript engine with the better-sqlite3 adapter, so no native engine
// is downloaded (docs/decisions/002-offline-toolchain.md). The CLI does not read .env when this file
// exists: scripts export DATABASE_URL (default below, the same as app/env.server.ts).
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma/config";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  adapter: async () =>
    new PrismaBetterSQLite3({ url: process.env.DATABASE_URL ?? "file:./prisma/dev.sqlite" }),
});
