// Relay pagination over customers with opaque cursors: base64 of {"last_id","last_value"} like Shopify's.
// Sorting by ID (the default) walks the id-ordered array without copying it, so paging through 100,000
// customers stays cheap; other sort keys filter and sort a copy per request.
import { GraphQLError } from "graphql";
import { customerGid, displayName, type Customer, type StaffMember } from "../model";

export const MAX_PAGE_SIZE = 250;

export type SortKey =
  | "ID"
  | "CREATED_AT"
  | "UPDATED_AT"
  | "NAME"
  | "RELEVANCE"
  | "LOCATION"
  | "EMAIL"
  | "FIRST_NAME"
  | "LAST_NAME";

/** How a list sorts: the value of a sort key (undefined: sort by id), and which keys are numeric. */
export interface SortSpec<T> {
  /** ID-ordered keys walk the list without copying it. */
  sortsById(sortKey: SortKey): boolean;
  value(sortKey: SortKey, item: T): number | string;
  numeric(sortKey: SortKey): boolean;
}

interface Key {
  v: number | string;
  id: number;
}

export const CUSTOMER_SORT: SortSpec<Customer> = {
  sortsById: (sortKey) => sortKey !== "CREATED_AT" && sortKey !== "UPDATED_AT" && sortKey !== "NAME",
  value(sortKey, c) {
    switch (sortKey) {
      case "CREATED_AT":
        return c.createdAt;
      case "UPDATED_AT":
        return c.updatedAt;
      case "NAME":
        return displayName(c).toLowerCase();
      default:
        return c.id; // ID; RELEVANCE and LOCATION sort like ID
    }
  },
  numeric: (sortKey) => sortKey !== "NAME",
};

export const STAFF_SORT: SortSpec<StaffMember> = {
  sortsById: (sortKey) => sortKey !== "EMAIL" && sortKey !== "FIRST_NAME" && sortKey !== "LAST_NAME",
  value(sortKey, m) {
    switch (sortKey) {
      case "EMAIL":
        return m.email.toLowerCase();
      case "FIRST_NAME":
        return (m.firstName ?? "").toLowerCase();
      case "LAST_NAME":
        return (m.lastName ?? "").toLowerCase();
      default:
        return m.id;
    }
  },
  numeric: (sortKey) => sortKey !== "EMAIL" && sortKey !== "FIRST_NAME" && sortKey !== "LAST_NAME",
};

function compareKeys(a: Key, b: Key): number {
  if (a.v !== b.v) {
    if (typeof a.v === "number" && typeof b.v === "number") return a.v - b.v;
    return String(a.v) < String(b.v) ? -1 : 1;
  }
  return a.id - b.id;
}

export function encodeCursor(key: Key): string {
  return Buffer.from(JSON.stringify({ last_id: key.id, last_value: key.v })).toString("base64");
}

function decodeCursor(cursor: string, numericKey: boolean): Key {
  try {
    const json = JSON.parse(Buffer.from(cursor, "base64").toString("utf8"));
    if (
      typeof json?.last_id === "number" &&
      (typeof json.last_value === "number" || typeof json.last_value === "string")
    ) {
      if (numericKey === (typeof json.last_value === "number"))
        return { v: json.last_value, id: json.last_id };
    }
  } catch {
    // fall through
  }
  throw new GraphQLError("Invalid cursor for current pagination sort.", {
    extensions: { code: "BAD_REQUEST" },
  });
}

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
  sortKey?: SortKey | null;
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

export function validatePageArgs(args: PageArgs): void {
  const { first, last } = args;
  if (first == null && last == null) {
    throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
  }
  for (const [name, value] of [
    ["first", first],
    ["last", last],
  ] as const) {
    if (value == null) continue;
    if (value < 0)
      throw new GraphQLError(`\`${name}\` must be a non-negative number.`, {
        extensions: { code: "BAD_REQUEST" },
      });
    if (value > MAX_PAGE_SIZE) {
      throw new GraphQLError(`The \`${name}\` argument must be less than or equal to ${MAX_PAGE_SIZE}.`, {
        extensions: { code: "BAD_REQUEST" },
      });
    }
  }
}

/**
 * One page of `source` (id-ordered) filtered by `matches`, following Relay:
 * first/after walk forward, last/before walk backward; hasPreviousPage/hasNextPage look one match beyond.
 */
export function paginateCustomers(
  source: Customer[],
  matches: (c: Customer) => boolean,
  matchesAll: boolean,
  args: PageArgs,
  unbounded = false,
): Page<Customer> {
  return paginate(source, matches, matchesAll, args, CUSTOMER_SORT, unbounded);
}

/** The same over any id-ordered list (staff members). */
export function paginate<T extends { id: number }>(
  source: T[],
  matches: (item: T) => boolean,
  matchesAll: boolean,
  args: PageArgs,
  sort: SortSpec<T>,
  /** A bulk query's reads: no page size (every match), `first`/`last` still honoured when given. */
  unbounded = false,
): Page<T> {
  if (unbounded) {
    if (args.first == null && args.last == null) args = { ...args, first: Number.POSITIVE_INFINITY };
  } else validatePageArgs(args);
  const sortKey: SortKey = args.sortKey ?? "ID";
  const byId = sort.sortsById(sortKey);
  const keyOf = (c: T): Key => ({ v: byId ? c.id : sort.value(sortKey, c), id: c.id });
  const numericKey = byId || sort.numeric(sortKey);

  // An ascending array plus a predicate; `reverse` maps indexes instead of copying.
  let items: T[];
  let match: (c: T) => boolean;
  if (byId) {
    items = source;
    match = matches;
  } else {
    items = (matchesAll ? source.slice() : source.filter(matches)).sort((a, b) =>
      compareKeys(keyOf(a), keyOf(b)),
    );
    match = () => true;
  }
  const n = items.length;
  const reverse = Boolean(args.reverse);
  const at = (i: number): T => items[reverse ? n - 1 - i : i]!;
  const lowerBound = (key: Key) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(keyOf(items[mid]!), key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const upperBound = (key: Key) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(keyOf(items[mid]!), key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  // In view order: the first index strictly after the cursor, and the first index not strictly before it.
  const startAfter = (key: Key) => (reverse ? n - lowerBound(key) : upperBound(key));
  const endBefore = (key: Key) => (reverse ? n - upperBound(key) : lowerBound(key));

  const lo = args.after ? startAfter(decodeCursor(args.after, numericKey)) : 0;
  const hi = args.before ? Math.max(lo, endBefore(decodeCursor(args.before, numericKey))) : n;
  const anyMatch = (from: number, to: number, step: 1 | -1) => {
    for (let i = from; step > 0 ? i < to : i >= to; i += step) if (match(at(i))) return true;
    return false;
  };

  const picked: number[] = [];
  let hasNextPage = false;
  let hasPreviousPage = false;
  if (args.first != null) {
    let i = lo;
    for (; i < hi && picked.length < args.first; i++) if (match(at(i))) picked.push(i);
    hasNextPage = anyMatch(i, hi, 1);
    hasPreviousPage = lo > 0 && anyMatch(lo - 1, 0, -1);
    if (args.last != null && picked.length > args.last) picked.splice(0, picked.length - args.last);
  } else {
    let i = hi - 1;
    for (; i >= lo && picked.length < args.last!; i--) if (match(at(i))) picked.unshift(i);
    hasPreviousPage = anyMatch(i, lo, -1);
    hasNextPage = hi < n && anyMatch(hi, n, 1);
  }
  const nodes = picked.map(at);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    nodes,
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

export { customerGid };
