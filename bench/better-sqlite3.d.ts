// The part of better-sqlite3 (a dependency of @prisma/adapter-better-sqlite3, untyped here) that
// bench/pageLoaders.ts uses to seed a large ledger quickly.
declare module "better-sqlite3" {
  interface Statement {
    run(...params: unknown[]): unknown;
  }
  interface BetterSqliteDatabase {
    prepare(sql: string): Statement;
    pragma(source: string): unknown;
    exec(sql: string): void;
    transaction<F extends (...args: never[]) => unknown>(fn: F): F;
    close(): void;
  }
  const Database: new (filename: string) => BetterSqliteDatabase;
  export default Database;
}
