import { createRequire } from "node:module";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { databaseProviderOf, env } from "~/env.server";

declare global {
  // Reused across Vite's hot reloads in development, so a reload does not open another connection.
  var prismaGlobal: PrismaClient | undefined;
}

/** The ledger's database, from the scheme of DATABASE_URL: SQLite (file:) or PostgreSQL (postgres(ql)://). */
export const databaseProvider = databaseProviderOf(env.DATABASE_URL);

function createClient(): PrismaClient {
  if (databaseProvider === "sqlite") {
    const client = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: env.DATABASE_URL }) });
    // Write-ahead logging: a commit is one append instead of a rollback journal's several syncs, readers
    // never wait for the writer (the worker process, webhooks arriving by the thousand after an import).
    // NORMAL syncs at checkpoints: a committed transaction survives the process being killed (the crash
    // guarantee), and only a power loss could take back the last ones. The first queries the client runs.
    void client
      .$queryRawUnsafe("PRAGMA journal_mode = WAL")
      .then(() => client.$executeRawUnsafe("PRAGMA synchronous = NORMAL"))
      .catch(() => undefined);
    return client;
  }
  // The PostgreSQL client is generated from the schema derived from prisma/schema.prisma
  // (scripts/postgres-schema.mjs): the same models and types, another provider. It is a CommonJS module
  // outside any package, loaded only when PostgreSQL is chosen.
  const require = createRequire(import.meta.url);
  const { PrismaClient: PostgresClient } = require(".prisma/client-pg") as {
    PrismaClient: typeof PrismaClient;
  };
  return new PostgresClient({
    adapter: new PrismaPg({ connectionString: env.DATABASE_URL }),
  });
}

const prisma = env.NODE_ENV === "production" ? createClient() : (global.prismaGlobal ??= createClient());

export default prisma;
