// The PostgreSQL schema, derived from prisma/schema.prisma (the one hand-written schema, SQLite) and never
// edited by hand (docs/decisions/009-two-schemas-one-ledger.md). One schema file cannot serve two
// providers, so this writes prisma/postgresql/schema.prisma with:
//   - the datasource's provider and its literal url swapped (the CLI needs a parseable literal url; the
//     real one comes from DATABASE_URL at run time);
//   - the generator's output moved to node_modules/.prisma/client-pg, so both clients coexist: the app
//     imports @prisma/client's types (the models are the same) and loads this client when DATABASE_URL is
//     a PostgreSQL URL (app/db.server.ts).
// Everything else is the same text: models, attributes and indexes mean the same on both providers
// (String → text, DateTime → timestamp(3), Float → double precision, BigInt → bigint).
// Run by scripts/setup.mjs; `node scripts/postgres-schema.mjs` writes it on its own.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const SQLITE_SCHEMA = join(root, "prisma", "schema.prisma");
export const POSTGRES_DIR = join(root, "prisma", "postgresql");
export const POSTGRES_SCHEMA = join(POSTGRES_DIR, "schema.prisma");
export const POSTGRES_MIGRATIONS = join(POSTGRES_DIR, "migrations");
/** Relative to the derived schema's folder (Prisma resolves `output` from the schema file). */
const CLIENT_OUTPUT = "../../node_modules/.prisma/client-pg";
const LITERAL_URL = "postgresql://localhost:5432/account_invites";

const HEADER = `// GENERATED from prisma/schema.prisma by scripts/postgres-schema.mjs: do not edit (run \`npm run setup\`).
// The PostgreSQL ledger (DATABASE_URL=postgresql://...). Migrations: prisma/postgresql/migrations.
`;

/** Returns the body of the first `<kind> <name> { ... }` block and its span in `text`. */
function block(text, kind, name) {
  const start = text.search(new RegExp(`^${kind}\\s+${name}\\s*\\{`, "m"));
  if (start < 0) throw new Error(`prisma/schema.prisma has no \`${kind} ${name} { ... }\` block`);
  const end = text.indexOf("\n}", start);
  if (end < 0) throw new Error(`prisma/schema.prisma: the \`${kind} ${name}\` block is not closed`);
  return { start, end: end + 2, body: text.slice(start, end + 2) };
}

function replaceBlock(text, kind, name, edit) {
  const { start, end, body } = block(text, kind, name);
  return text.slice(0, start) + edit(body) + text.slice(end);
}

/** The derived PostgreSQL schema text for a SQLite schema text (pure; tested in postgres-schema.test.ts). */
export function derivePostgresSchema(sqliteText) {
  let text = replaceBlock(sqliteText, "datasource", "db", (body) => {
    if (!/^\s*provider\s*=\s*"sqlite"\s*$/m.test(body))
      throw new Error('prisma/schema.prisma: the datasource is expected to say provider = "sqlite"');
    return body
      .replace(/^(\s*provider\s*=\s*)"sqlite"/m, '$1"postgresql"')
      .replace(/^(\s*url\s*=\s*)"[^"]*"/m, `$1"${LITERAL_URL}"`);
  });
  text = replaceBlock(text, "generator", "client", (body) => {
    if (/^\s*output\s*=/m.test(body))
      throw new Error(
        "prisma/schema.prisma: the client generator must not set `output` (the default client is SQLite's)",
      );
    return body.replace(/^(\s*provider\s*=\s*"prisma-client-js")$/m, `$1\n  output     = "${CLIENT_OUTPUT}"`);
  });
  if (!text.includes(CLIENT_OUTPUT))
    throw new Error(
      'prisma/schema.prisma: the client generator is expected to say provider = "prisma-client-js"',
    );
  // Comments that describe the SQLite file would mislead here.
  text = text.replace(/^\/\/ SQLite by default.*\n/m, "");
  return HEADER + text;
}

/** Writes prisma/postgresql/schema.prisma when it differs; returns true when it changed. */
export function writePostgresSchema() {
  const derived = derivePostgresSchema(readFileSync(SQLITE_SCHEMA, "utf8"));
  if (existsSync(POSTGRES_SCHEMA) && readFileSync(POSTGRES_SCHEMA, "utf8") === derived) return false;
  writeFileSync(POSTGRES_SCHEMA, derived);
  return true;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stderr.write(writePostgresSchema() ? `wrote ${POSTGRES_SCHEMA}\n` : "up to date\n");
}
