// Customer segments in Admin GraphQL: customerSegmentMembers (ad-hoc ShopifyQL query or saved segment),
// segments / segment / segmentsCount, and segmentCreate / segmentUpdate / segmentDelete. The query
// language and the saved segments are in ../segments.ts; behaviour and sources in emulator/README.md
// ("Segments").
import { GraphQLError } from "graphql";
import { isoSeconds, type Customer } from "../model";
import {
  compileSegmentQuery,
  createSegment,
  deleteSegment,
  findSegment,
  isValidTimezone,
  MEMBER_SORT_KEYS,
  problemMessage,
  segmentGid,
  shopSegments,
  STATISTIC_ATTRIBUTES,
  updateSegment,
  type SavedSegment,
} from "../segments";
import {
  invalidGid,
  parseGid,
  requireScope,
  type FieldResolvers,
  type GraphqlContext,
  type Resolver,
  type ResolverMap,
} from "./context";

/** The schema's description of customerSegmentMembers: "The maximum page size is 1000." */
export const MEMBERS_MAX_PAGE_SIZE = 1000;
export const SEGMENTS_MAX_PAGE_SIZE = 250;

/** Adds `extra`'s fields to `target`, type by type (the way segments join query.ts and mutations.ts). */
export function mergeResolvers(target: ResolverMap, extra: ResolverMap): void {
  for (const [type, fields] of Object.entries(extra)) target[type] = { ...(target[type] ?? {}), ...fields };
}

const invalid = (message: string) => new GraphQLError(message, { extensions: { code: "INVALID" } });
const notEmulated = (message: string) => new GraphQLError(message, { extensions: { code: "NOT_EMULATED" } });
const segmentNotFound = () =>
  new GraphQLError("Segment does not exist", { extensions: { code: "NOT_FOUND" } });

// ---------------------------------------------------------------------------------------------------
// Pagination over an array already in view order
// ---------------------------------------------------------------------------------------------------

interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

interface Key {
  id: number;
  v: number | null;
}

function validatePageArgs(args: PageArgs, max: number): void {
  if (args.first == null && args.last == null)
    throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
  for (const name of ["first", "last"] as const) {
    const value = args[name];
    if (value == null) continue;
    if (value < 0)
      throw new GraphQLError(`\`${name}\` must be a non-negative number.`, {
        extensions: { code: "BAD_REQUEST" },
      });
    if (value > max)
      throw new GraphQLError(`The \`${name}\` argument must be less than or equal to ${max}.`, {
        extensions: { code: "BAD_REQUEST" },
      });
  }
}

/** Ascending by value (null last), then id. */
function compareKeys(a: Key, b: Key): number {
  if (a.v !== b.v) {
    if (a.v === null) return 1;
    if (b.v === null) return -1;
    return a.v - b.v;
  }
  return a.id - b.id;
}

const encodeCursor = (key: Key) =>
  Buffer.from(JSON.stringify({ last_id: key.id, last_value: key.v })).toString("base64");

function decodeCursor(cursor: string): Key {
  try {
    const json = JSON.parse(Buffer.from(cursor, "base64").toString("utf8"));
    if (
      typeof json?.last_id === "number" &&
      (typeof json.last_value === "number" || json.last_value === null)
    )
      return { id: json.last_id, v: json.last_value };
  } catch {
    // fall through
  }
  throw new GraphQLError("Invalid cursor for current pagination sort.", {
    extensions: { code: "BAD_REQUEST" },
  });
}

function pageOf<T>(sorted: T[], keyOf: (item: T) => Key, args: PageArgs) {
  const reverse = Boolean(args.reverse);
  const view = reverse ? sorted.slice().reverse() : sorted;
  const cmp = (a: Key, b: Key) => (reverse ? -compareKeys(a, b) : compareKeys(a, b));
  const n = view.length;
  const firstIndex = (test: (k: Key) => boolean) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (test(keyOf(view[mid]!))) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  let lo = 0;
  let hi = n;
  if (args.after) {
    const key = decodeCursor(args.after);
    lo = firstIndex((k) => cmp(k, key) > 0);
  }
  if (args.before) {
    const key = decodeCursor(args.before);
    hi = Math.max(
      lo,
      firstIndex((k) => cmp(k, key) >= 0),
    );
  }
  let start = lo;
  let end = hi;
  if (args.first != null) end = Math.min(end, start + args.first);
  if (args.last != null) start = Math.max(start, end - args.last);
  const items = view.slice(start, end);
  const edges = items.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    nodes: items,
    pageInfo: {
      hasNextPage: args.first != null ? end < hi : hi < n,
      hasPreviousPage: args.last != null && args.first == null ? start > lo : lo > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Resolvers
// ---------------------------------------------------------------------------------------------------

interface MembersArgs extends PageArgs {
  query?: string | null;
  segmentId?: string | null;
  queryId?: string | null;
  sortKey?: string | null;
  timezone?: string | null;
}

function segmentOf(context: GraphqlContext, id: unknown): SavedSegment | null {
  const gid = parseGid(id);
  if (!gid) throw invalidGid(id);
  if (gid.type !== "Segment") return null;
  return findSegment(context.shop, gid.id) ?? null;
}

/** The members of an ad-hoc query or a saved segment, sorted, with the total and a page of them. */
function members(args: MembersArgs, context: GraphqlContext) {
  validatePageArgs(args, MEMBERS_MAX_PAGE_SIZE);
  if (args.queryId != null)
    throw notEmulated(
      "customerSegmentMembers(queryId:) is not emulated (customerSegmentMembersQueryCreate is not)",
    );
  if (args.query != null && args.segmentId != null)
    throw invalid("Providing both segment_id and query is not supported.");
  if (args.query == null && args.segmentId == null)
    throw invalid("You must provide one of segment_id or query.");
  let query: string;
  if (args.segmentId != null) {
    const segment = segmentOf(context, args.segmentId);
    if (!segment) throw segmentNotFound();
    query = segment.query;
  } else {
    query = args.query!;
    if (!query.trim()) throw invalid("Query can't be blank");
  }
  if (args.timezone != null && !isValidTimezone(args.timezone))
    throw invalid(`Invalid timezone '${args.timezone}'`);
  const compiled = compileSegmentQuery(query, { now: context.clock.now(), timezone: args.timezone });
  if (!compiled.ok) throw invalid(problemMessage(compiled.problems[0]!));
  if (compiled.notEmulated.length > 0)
    throw notEmulated(
      `Segment filter${compiled.notEmulated.length > 1 ? "s" : ""} ${compiled.notEmulated
        .map((f) => `'${f}'`)
        .join(", ")} ${compiled.notEmulated.length > 1 ? "are" : "is"} not emulated`,
    );
  const sortBy = args.sortKey != null ? MEMBER_SORT_KEYS[args.sortKey] : undefined;
  if (args.sortKey != null && !sortBy)
    throw invalid(`Invalid sortKey '${args.sortKey}' (valid: ${Object.keys(MEMBER_SORT_KEYS).join(", ")})`);
  const list: Customer[] = [];
  for (const c of context.shop.customers) if (!c.deleted && compiled.matches(c)) list.push(c);
  const keyOf = (c: Customer): Key => ({ id: c.id, v: sortBy ? sortBy(c) : c.id });
  if (sortBy) list.sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
  const page = pageOf(list, keyOf, args);
  return {
    totalCount: list.length,
    edges: page.edges,
    pageInfo: page.pageInfo,
    statistics: { members: list },
  };
}

interface SegmentsArgs extends PageArgs {
  query?: string | null;
  sortKey?: "CREATION_DATE" | "ID" | "LAST_EDIT_DATE" | "RELEVANCE" | null;
}

/**
 * `segments(query:)`: terms `name:<text>` (case-insensitive substring of the name), `id:<n>` (also
 * `id:>n`, `>=`, `<`, `<=`), and bare words (name substring); terms are ANDed.
 */
function segmentSearch(query: string | null | undefined): (s: SavedSegment) => boolean {
  const terms = (query ?? "").match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [];
  const tests = terms
    .filter((t) => t.toUpperCase() !== "AND")
    .map((term): ((s: SavedSegment) => boolean) => {
      const unquote = (v: string) => v.replace(/^["']|["']$/g, "");
      const m = /^(\w+):(.*)$/.exec(term);
      if (m && m[1]!.toLowerCase() === "id") {
        const r = /^(>=|<=|>|<)?(\d+)$/.exec(unquote(m[2]!));
        if (!r) return () => false;
        const n = Number(r[2]);
        const op = r[1] ?? "=";
        return (s) =>
          op === ">"
            ? s.id > n
            : op === ">="
              ? s.id >= n
              : op === "<"
                ? s.id < n
                : op === "<="
                  ? s.id <= n
                  : s.id === n;
      }
      const text = unquote(m && m[1]!.toLowerCase() === "name" ? m[2]! : term).toLowerCase();
      return (s) => s.name.toLowerCase().includes(text);
    });
  return (s) => tests.every((t) => t(s));
}

/** Resolvers for the query side; `customer` gives the Customer resolvers member fields delegate to. */
export function segmentQueryResolvers(customer: () => FieldResolvers): ResolverMap {
  const fromCustomer =
    (field: string): Resolver =>
    (source: Customer, args, context, info) => {
      const resolver = customer()[field];
      if (resolver === true) return (source as unknown as Record<string, unknown>)[field];
      if (resolver) return resolver(source, args, context, info);
      throw notEmulated(`Field '${info.parentType.name}.${info.fieldName}' is not emulated`);
    };
  const member: FieldResolvers = { id: (c: Customer) => `gid://shopify/CustomerSegmentMember/${c.id}` };
  for (const field of [
    "firstName",
    "lastName",
    "displayName",
    "defaultEmailAddress",
    "defaultPhoneNumber",
    "defaultAddress",
    "note",
    "numberOfOrders",
    "amountSpent",
  ])
    member[field] = fromCustomer(field);

  return {
    Query: {
      customerSegmentMembers: (_s, args: MembersArgs, context) => {
        requireScope(context, "read_customers", "customerSegmentMembers");
        return members(args, context);
      },
      segments: (_s, args: SegmentsArgs, context) => {
        requireScope(context, "read_customers", "segments");
        validatePageArgs(args, SEGMENTS_MAX_PAGE_SIZE);
        const sortKey = args.sortKey ?? "CREATION_DATE";
        const value = (s: SavedSegment) =>
          sortKey === "CREATION_DATE" ? s.creationDate : sortKey === "LAST_EDIT_DATE" ? s.lastEditDate : s.id;
        const keyOf = (s: SavedSegment): Key => ({ id: s.id, v: value(s) });
        const list = shopSegments(context.shop)
          .filter(segmentSearch(args.query))
          .sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
        return pageOf(list, keyOf, args);
      },
      segment: (_s, args: { id: string }, context) => {
        requireScope(context, "read_customers", "segment");
        const segment = segmentOf(context, args.id);
        if (!segment) throw segmentNotFound();
        return segment;
      },
      segmentsCount: (_s, args: { limit?: number | null }, context) => {
        requireScope(context, "read_customers", "segmentsCount");
        const count = shopSegments(context.shop).length;
        const limit = args.limit ?? null;
        if (limit !== null && count > limit) return { count: limit, precision: "AT_LEAST" };
        return { count, precision: "EXACT" };
      },
    },
    CustomerSegmentMemberConnection: { totalCount: true, edges: true, pageInfo: true, statistics: true },
    CustomerSegmentMemberEdge: { cursor: true, node: true },
    CustomerSegmentMember: member,
    SegmentStatistics: {
      attributeStatistics: (source: { members: Customer[] }, args: { attributeName: string }) => {
        const get = STATISTIC_ATTRIBUTES[args.attributeName];
        if (!get)
          throw notEmulated(
            `Statistics of '${args.attributeName}' are not emulated (only ${Object.keys(STATISTIC_ATTRIBUTES).join(", ")})`,
          );
        let sum = 0;
        for (const c of source.members) sum += get(c);
        sum = Math.round(sum * 100) / 100;
        const average = source.members.length > 0 ? Math.round((sum / source.members.length) * 100) / 100 : 0;
        return { sum, average };
      },
    },
    SegmentAttributeStatistics: { average: true, sum: true },
    Segment: {
      id: (s: SavedSegment) => segmentGid(s.id),
      name: true,
      query: true,
      creationDate: (s: SavedSegment) => isoSeconds(s.creationDate),
      lastEditDate: (s: SavedSegment) => isoSeconds(s.lastEditDate),
    },
    SegmentConnection: { edges: true, nodes: true, pageInfo: true },
    SegmentEdge: { cursor: true, node: true },
  };
}

function mutableSegmentId(id: unknown): number | null {
  const gid = parseGid(id);
  if (!gid) throw invalidGid(id);
  return gid.type === "Segment" && Number.isSafeInteger(gid.id) ? gid.id : null;
}

export const segmentMutationResolvers: ResolverMap = {
  Mutation: {
    segmentCreate: (_s, args: { name: string; query: string }, context) => {
      requireScope(context, "write_customers", "segmentCreate");
      return createSegment(context.shop, args, context.clock.now());
    },
    segmentUpdate: (_s, args: { id: string; name?: string | null; query?: string | null }, context) => {
      requireScope(context, "write_customers", "segmentUpdate");
      const id = mutableSegmentId(args.id);
      if (id === null)
        return { segment: null, userErrors: [{ field: ["id"], message: "Segment does not exist" }] };
      return updateSegment(context.shop, id, args, context.clock.now());
    },
    segmentDelete: (_s, args: { id: string }, context) => {
      requireScope(context, "write_customers", "segmentDelete");
      const id = mutableSegmentId(args.id);
      if (id === null || !deleteSegment(context.shop, id))
        return { deletedSegmentId: null, userErrors: [{ field: ["id"], message: "Segment does not exist" }] };
      return { deletedSegmentId: segmentGid(id), userErrors: [] };
    },
  },
  SegmentCreatePayload: { segment: true, userErrors: true },
  SegmentUpdatePayload: { segment: true, userErrors: true },
  SegmentDeletePayload: { deletedSegmentId: true, userErrors: true },
  UserError: { field: true, message: true },
};
