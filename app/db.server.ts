import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@prisma/client";
import { env } from "~/env.server";

declare global {
  // Reused across Vite's hot reloads in development, so a reload does not open another connection.
  var prismaGlobal: PrismaClient | undefined;
}

function createClient() {
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: env.DATABASE_URL }) });
}

const prisma = env.NODE_ENV === "production" ? createClient() : (global.prismaGlobal ??= createClient());

export default prisma;
