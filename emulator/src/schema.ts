// Shopify's published Admin GraphQL schema (introspection JSON, `{ data: { __schema } }`), loaded once per
// path and shared by every emulator in the process (building it takes ~0.3 s).
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

export const SCHEMA_VERSION = "2026-10";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export function defaultSchemaPath(): string {
  return process.env.ADMIN_SCHEMA_PATH ?? resolve(repoRoot, `.schema/admin-${SCHEMA_VERSION}.json`);
}

const cache = new Map<string, GraphQLSchema>();

export function loadSchema(path: string = defaultSchemaPath()): GraphQLSchema {
  const cached = cache.get(path);
  if (cached) return cached;
  let json: { data?: IntrospectionQuery } & Partial<IntrospectionQuery>;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(
      `Cannot read the Admin GraphQL schema at ${path} (run \`npm run schema\` or set ADMIN_SCHEMA_PATH): ${String(error)}`,
    );
  }
  const introspection = (json.data ?? json) as IntrospectionQuery;
  const schema = buildClientSchema(introspection, { assumeValid: true });
  cache.set(path, schema);
  return schema;
}
