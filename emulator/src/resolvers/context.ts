import { GraphQLError, type GraphQLResolveInfo } from "graphql";
import type { BulkOperations } from "../bulk";
import type { Clock } from "../clock";
import type { Shop } from "../model";
import type { SchemaMetadata } from "../schema";
import type { SearchWarning } from "../search";
import type { EmulatorStore } from "../store";
import type { AccessToken } from "../tokens";

export interface GraphqlContext {
  shop: Shop;
  store: EmulatorStore;
  clock: Clock;
  token: AccessToken;
  /** Protected fields and search filters read from the schema. */
  meta: SchemaMetadata;
  /** `extensions.search` entries, as Shopify reports ignored or invalid search terms. */
  search: {
    path: (string | number)[];
    query: string;
    parsed: Record<string, unknown> | null;
    warnings: SearchWarning[];
  }[];
  /** Protected fields answered null for want of access (see graphql.ts). */
  redactions: Redaction[];
  /** The request's API version (the bulk concurrency limit depends on it). */
  apiVersion?: string;
  /** Bulk operations of the emulator (absent in unit tests that run the engine alone). */
  bulkOperations?: BulkOperations;
  /** Set while a bulk query's reads run: connections take no page size and return every match. */
  bulk?: boolean;
  /** A bulk query's reads run in slices: each root connection reads `size` more from its cursor. */
  bulkSlice?: BulkSlice;
  /** `Type.field` the engine emulates (bulk queries refuse anything else). */
  emulatedFields?: ReadonlySet<string>;
  /** What a bulk query's reads run with (the engine's schema and resolvers). */
  bulkExecutor?: unknown;
}

export interface BulkSlice {
  size: number;
  /** Root connection (response key) → where its next slice starts, and whether one is left. */
  at: Map<string, { after: string | null; more: boolean }>;
}

/** A root connection's arguments for the current slice of a bulk query (unchanged outside one). */
export function sliceArgs<A extends { first?: number | null; after?: string | null }>(
  context: GraphqlContext,
  key: string | number,
  args: A,
): A | null {
  const slice = context.bulkSlice;
  if (!slice) return args;
  const at = slice.at.get(String(key));
  if (at && !at.more) return null;
  return { ...args, first: slice.size, after: at?.after ?? args.after ?? null };
}

/** Records where a root connection's next slice starts. */
export function endSlice(
  context: GraphqlContext,
  key: string | number,
  page: { pageInfo: { hasNextPage: boolean; endCursor: string | null } },
): void {
  context.bulkSlice?.at.set(String(key), { after: page.pageInfo.endCursor, more: page.pageInfo.hasNextPage });
}

export interface Redaction {
  path: (string | number)[];
  locations: { line: number; column: number }[];
  message: string;
}

// Sources and arguments differ per field; graphql-js has already validated and coerced them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Resolver = (source: any, args: any, context: GraphqlContext, info: GraphQLResolveInfo) => unknown;
/** `true`: the field is read from the source object under its own name. */
export type FieldResolvers = Record<string, Resolver | true>;
export type ResolverMap = Record<string, FieldResolvers>;

const SCOPE_DOC = "https://shopify.dev/api/usage/access-scopes";

/** What the docs add to a scope's `requiredAccess` (StaffMember: "Requires `read_users` access scope. Also: …"). */
const SCOPE_NOTES: Record<string, string> = {
  read_users:
    " Also: The app must be a finance embedded app or installed on a Shopify Plus or Advanced store. Contact Shopify Support to enable this scope for your app.",
};

/** What the docs add to a field's `requiredAccess` about the staff member (customerSendAccountInviteEmail's page). */
const FIELD_NOTES: Record<string, string> = {
  customerSendAccountInviteEmail: " Also: The user must have permission to create and edit customers.",
};

/**
 * ACCESS_DENIED as Shopify answers when the token lacks a scope (write_x implies read_x). An online
 * token's scope is the staff member's `associated_user_scope`, so a staff member without the permission
 * is refused here exactly like an app without the scope.
 */
export function requireScope(
  context: GraphqlContext,
  scope: "read_customers" | "write_customers" | "read_users",
  field: string,
): void {
  const granted = context.token.scope.split(",").map((s) => s.trim());
  const ok =
    granted.includes(scope) ||
    (scope.startsWith("read_") && granted.includes(scope.replace(/^read_/, "write_")));
  if (ok) return;
  const requiredAccess = `\`${scope}\` access scope.${SCOPE_NOTES[scope] ?? ""}${FIELD_NOTES[field] ?? ""}`;
  throw new GraphQLError(`Access denied for ${field} field. Required access: ${requiredAccess}`, {
    extensions: { code: "ACCESS_DENIED", documentation: SCOPE_DOC, requiredAccess },
  });
}

const GID = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(\?.*)?$/;

export function parseGid(value: unknown): { type: string; id: number } | null {
  if (typeof value !== "string") return null;
  const m = GID.exec(value);
  if (!m) return null;
  const digits = m[2]!;
  const id = Number(digits);
  if (Number.isSafeInteger(id)) return { type: m[1]!, id };
  // Shopify ids are 64-bit: a larger one is a valid global id that names nothing the emulator holds
  // (its ids stay far below 2^53); beyond 64 bits Shopify refuses the argument.
  const within64Bits = digits.length <= 19 && BigInt(digits) <= 9_223_372_036_854_775_807n;
  return within64Bits ? { type: m[1]!, id: Number.POSITIVE_INFINITY } : null;
}

/** Shopify rejects an ID argument that is not a global id before running the field. */
export function invalidGid(value: unknown): GraphQLError {
  return new GraphQLError(`Invalid global id '${String(value)}'`, {
    extensions: { code: "argumentLiteralsIncompatible", typeName: "CoercionError" },
  });
}
