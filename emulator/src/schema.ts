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
const metadataCache = new Map<string, SchemaMetadata>();

/** One filter of a connection's `query:` argument, as its description's table documents it. */
export interface SearchFieldInfo {
  name: string;
  /** The table's type column: string, boolean, time, id, integer, float. */
  type: string;
  /** Backquoted values of the acceptable_values column (empty when the table lists none). */
  acceptableValues: string[];
}

/**
 * What the emulator reads from the schema besides the types: the protected customer data fields
 * (`isProtected` + `protectedContent` on each field) and, per field with a `query:` argument, the search
 * filters its description lists ("Type.field" → filter name → info).
 */
export interface SchemaMetadata {
  protectedFields: Map<string, string>;
  searchFields: Map<string, Map<string, SearchFieldInfo>>;
}

/** The filters a `query:` argument's description lists in its `| name | type | … |` table. */
export function parseSearchTable(description: string): Map<string, SearchFieldInfo> {
  const out = new Map<string, SearchFieldInfo>();
  const lines = description.split("\n");
  const rows: string[] = [];
  let inTable = false;
  for (const line of lines) {
    if (/^\| name \| type \|/.test(line)) {
      inTable = true;
      continue;
    }
    if (!inTable || /^\| -+ \|/.test(line)) continue;
    if (/^\| [a-z_][a-z0-9_.]* \| [a-z]+ \|/.test(line)) rows.push(line);
    else if (line.startsWith("You can apply") || line.trim() === "") inTable = false;
    else if (rows.length > 0) rows[rows.length - 1] += `\n${line}`;
  }
  for (const row of rows) {
    const cells = row
      .replace(/\n/g, " ")
      .split("|")
      .slice(1, -1)
      .map((cell) => cell.trim());
    const name = cells[0]!;
    const type = cells[1] ?? "";
    const acceptableValues = [...(cells[3] ?? "").matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    out.set(name, { name, type, acceptableValues });
  }
  return out;
}

interface RawField {
  name: string;
  description?: string | null;
  isProtected?: boolean;
  protectedContent?: string | null;
  args?: { name: string; description?: string | null }[];
}

function extractMetadata(introspection: IntrospectionQuery): SchemaMetadata {
  const protectedFields = new Map<string, string>();
  const searchFields = new Map<string, Map<string, SearchFieldInfo>>();
  for (const type of introspection.__schema.types) {
    const fields = (type as { fields?: RawField[] | null }).fields ?? [];
    for (const field of fields) {
      if (field.isProtected && field.protectedContent)
        protectedFields.set(`${type.name}.${field.name}`, field.protectedContent);
      const query = field.args?.find((a) => a.name === "query");
      if (query?.description?.includes("| name | type |"))
        searchFields.set(`${type.name}.${field.name}`, parseSearchTable(query.description));
    }
  }
  return { protectedFields, searchFields };
}

/** Protected fields and search filters of the schema at `path` (read with it, cached). */
export function schemaMetadata(path: string = defaultSchemaPath()): SchemaMetadata {
  if (!metadataCache.has(path)) loadSchema(path);
  return metadataCache.get(path)!;
}

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
  metadataCache.set(path, extractMetadata(introspection));
  return schema;
}
