import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@prisma/client";
import { env } from "~/env.server";

declare global {
  // Reused across Vite's hot reloads in development, so a reload does not open another connection.
  var prismaGlobal: PrismaClient | undefined;
}

function createClient() {
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

const prisma = env.NODE_ENV === "production" ? createClient() : (global.prismaGlobal ??= createClient());

export default prisma;
