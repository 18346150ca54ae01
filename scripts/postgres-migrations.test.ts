import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { listPostgresMigrations, missingPostgresSql } from "./postgres-migrations.mjs";
import { derivePostgresSchema, SQLITE_SCHEMA } from "./postgres-schema.mjs";

// The PostgreSQL schema is derived from prisma/schema.prisma and its migrations must keep up with it:
// a model added on SQLite without `npm run db:pg:migration -- <name>` fails here, on every machine (the
// diff reads schema files, no server). The PostgreSQL test run (npm run test:postgres) then builds its
// databases from these migrations only, so SQL that does not run fails there.
const sqlite = readFileSync(SQLITE_SCHEMA, "utf8");

describe("the derived PostgreSQL schema", () => {
  it("swaps the provider and the client's output, and keeps every model as written", () => {
    const derived = derivePostgresSchema(sqlite);
    expect(derived).toMatch(/^\/\/ GENERATED from prisma\/schema\.prisma/);
    expect(derived).toMatch(/provider\s*=\s*"postgresql"/);
    expect(derived).not.toMatch(/"sqlite"/);
    expect(derived).toMatch(/output\s*=\s*"\.\.\/\.\.\/node_modules\/\.prisma\/client-pg"/);
    const models = (text: string) => text.slice(text.indexOf("\nmodel "));
    expect(models(derived)).toBe(models(sqlite));
  });

  it("refuses a schema it does not know how to derive instead of guessing", () => {
    expect(() =>
      derivePostgresSchema(sqlite.replace('provider = "sqlite"', 'provider = "mysql"')),
    ).toThrowError(/provider = "sqlite"/);
    expect(() =>
      derivePostgresSchema(
        sqlite.replace('provider   = "prisma-client-js"', 'provider   = "prisma-client-js"\n  output = "x"'),
      ),
    ).toThrowError(/must not set `output`/);
  });
});

describe("PostgreSQL migrations", () => {
  it("are not behind prisma/schema.prisma", { timeout: 60_000 }, () => {
    expect(listPostgresMigrations().length).toBeGreaterThan(0);
    expect(missingPostgresSql(), "run `npm run db:pg:migration -- <name>`").toBe("");
  });

  it("are found behind when a model exists on SQLite only", { timeout: 60_000 }, () => {
    const withModel = `${sqlite}\nmodel ShopNote {\n  shop String @id\n  note String\n}\n`;
    expect(missingPostgresSql({ sqliteSchema: withModel })).toMatch(/CREATE TABLE "ShopNote"/);
  });
});
