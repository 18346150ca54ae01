// Shopify's search syntax (https://shopify.dev/docs/api/usage/search-syntax) for the `query:` arguments
// the emulator answers (`customers`, `customersCount`, `staffMembers`, the control API and the local
// admin). See emulator/README.md "Search syntax":
//   terms separated by whitespace are ANDed (`AND` may be written), `OR` between alternatives, parentheses
//   group, `-` or `NOT` negates a term or a group; `field:value`, `field:"quoted phrase"`, `field:'…'`;
//   comparators `field:>x`, `:>=`, `:<`, `:<=` and ranges `field:a..b` on numbers, ids and times;
//   a trailing `*` is a prefix wildcard and `field:*` means "has a value"; a term without a field searches
//   the `default` fields.
// Which filters a connection supports is read from its `query:` argument's description in the schema
// (schema.ts `parseSearchTable`): any other filter is ignored, exactly as if the term were absent, and
// reported in `extensions.search` with `code: "invalid_field"`.
import type { Customer, StaffMember } from "./model";
import { CUSTOMER_STATES } from "./model";
import type { SearchFieldInfo } from "./schema";

export interface SearchWarning {
  field: string;
  message: string;
  code: "invalid_field" | "invalid_value";
}

export const INVALID_FIELD_MESSAGE = "Invalid search field for this query.";

export type Comparator = ">" | ">=" | "<" | "<=";

export interface SearchTerm {
  /** The filter's name (lowercase), or null for a free-text term (the `default` filter). */
  field: string | null;
  comparator: Comparator | null;
  value: string;
  /** The value was quoted: a phrase (`match_phrase`). */
  quoted: boolean;
}

export type SearchNode =
  | { kind: "term"; term: SearchTerm }
  | { kind: "and"; children: SearchNode[] }
  | { kind: "or"; children: SearchNode[] }
  | { kind: "not"; child: SearchNode };

export type Predicate<T> = (item: T) => boolean;

/** What a filter makes of one term. */
export type TermResult<T> = { predicate: Predicate<T> } | { warning: SearchWarning } | { error: string };

export type FieldMatcher<T> = (term: SearchTerm & { field: string }, now: number) => TermResult<T>;

export interface CompiledSearch<T> {
  matches: Predicate<T>;
  /** True when the query filters nothing (empty, or only ignored terms). */
  matchesAll: boolean;
  warnings: SearchWarning[];
  /** Shopify's `extensions.search[].parsed` form of the query (null for an empty query). */
  parsed: Record<string, unknown> | null;
  /** A term Shopify refuses (BAD_REQUEST), e.g. "Invalid timestamp for query filter `created_at`." */
  error: string | null;
  /** A filter the schema documents that the emulator cannot evaluate. */
  notEmulated: string | null;
}

// ---------------------------------------------------------------------------------------------------
// Parsing

type Token =
  | { type: "term"; text: string; colon: number; quoted: boolean; quotedWhole: boolean }
  | { type: "and" | "or" | "not" | "lparen" | "rparen" };

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = query.length;
  const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);
  while (i < n) {
    while (i < n && isSpace(query[i])) i++;
    if (i >= n) break;
    const c = query[i]!;
    if (c === "(") {
      tokens.push({ type: "lparen" });
      i++;
      continue;
    }
    if (c === ")") {
      tokens.push({ type: "rparen" });
      i++;
      continue;
    }
    if (c === "-" && i + 1 < n && !isSpace(query[i + 1])) {
      tokens.push({ type: "not" });
      i++;
      continue;
    }
    // A term: text up to whitespace or a parenthesis; quotes open at the start of the term, right after
    // the field's colon, or after a comparator following it.
    let text = "";
    let colon = -1;
    let quoted = false;
    let quotedWhole = false;
    const canQuote = () => text === "" || (colon >= 0 && /^(>=|<=|>|<)?$/.test(text.slice(colon + 1)));
    while (i < n && !isSpace(query[i]) && query[i] !== "(" && query[i] !== ")") {
      const ch = query[i]!;
      if ((ch === '"' || ch === "'") && canQuote()) {
        if (text === "") quotedWhole = true;
        quoted = true;
        i++;
        while (i < n && query[i] !== ch) {
          if (query[i] === "\\" && i + 1 < n) i++;
          text += query[i];
          i++;
        }
        i++; // closing quote (or end of input)
        continue;
      }
      if (ch === ":" && colon < 0 && !quoted) {
        colon = text.length;
        text += ch;
        i++;
        // `field: >='2024-01-01'`: the value may follow the colon after whitespace.
        if (i < n && isSpace(query[i])) {
          let j = i;
          while (j < n && isSpace(query[j])) j++;
          const rest = query.slice(j);
          if (j < n && !/^(AND|OR|NOT)(\s|$)/.test(rest) && query[j] !== ")") i = j;
        }
        continue;
      }
      text += ch;
      i++;
    }
    if (!quoted && colon < 0 && (text === "AND" || text === "OR" || text === "NOT")) {
      tokens.push({ type: text === "AND" ? "and" : text === "OR" ? "or" : "not" });
      continue;
    }
    if (text === "" && !quoted) continue;
    tokens.push({ type: "term", text, colon: quotedWhole ? -1 : colon, quoted, quotedWhole });
  }
  return tokens;
}

function termOf(token: Extract<Token, { type: "term" }>): SearchTerm {
  if (token.colon <= 0) {
    return { field: null, comparator: null, value: token.text, quoted: token.quoted };
  }
  const field = token.text.slice(0, token.colon).toLowerCase();
  let value = token.text.slice(token.colon + 1);
  let comparator: Comparator | null = null;
  const m = /^(>=|<=|>|<)/.exec(value);
  if (m) {
    comparator = m[1] as Comparator;
    value = value.slice(m[1]!.length);
  }
  return { field, comparator, value, quoted: token.quoted };
}

/** Parses a query into a tree (null when it holds no term). */
export function parseSearch(query: string | null | undefined): SearchNode | null {
  if (!query || !query.trim()) return null;
  const tokens = tokenize(query);
  let index = 0;
  const orExpr = (): SearchNode | null => {
    const children: SearchNode[] = [];
    const first = andExpr();
    if (first) children.push(first);
    while (tokens[index]?.type === "or") {
      index++;
      const next = andExpr();
      if (next) children.push(next);
    }
    if (children.length === 0) return null;
    return children.length === 1 ? children[0]! : { kind: "or", children };
  };
  const andExpr = (): SearchNode | null => {
    const children: SearchNode[] = [];
    while (index < tokens.length) {
      const token = tokens[index]!;
      if (token.type === "or" || token.type === "rparen") break;
      if (token.type === "and") {
        index++;
        continue;
      }
      const child = unary();
      if (child) children.push(child);
    }
    if (children.length === 0) return null;
    return children.length === 1 ? children[0]! : { kind: "and", children };
  };
  const unary = (): SearchNode | null => {
    const token = tokens[index];
    if (!token) return null;
    index++;
    if (token.type === "not") {
      const child = unary();
      return child ? { kind: "not", child } : null;
    }
    if (token.type === "lparen") {
      const child = orExpr();
      if (tokens[index]?.type === "rparen") index++;
      return child;
    }
    if (token.type === "term") return { kind: "term", term: termOf(token) };
    return null; // a stray `)`
  };
  const nodes: SearchNode[] = [];
  while (index < tokens.length) {
    const node = orExpr();
    if (node) nodes.push(node);
    if (tokens[index]?.type === "rparen") index++; // unbalanced `)`: skipped
  }
  if (nodes.length === 0) return null;
  return nodes.length === 1 ? nodes[0]! : { kind: "and", children: nodes };
}

const RANGE_KEYS: Record<Comparator, string> = {
  ">": "range_gt",
  ">=": "range_gte",
  "<": "range_lt",
  "<=": "range_lte",
};

/** Shopify's `parsed` form: `{ field, match_all | match_phrase | range_* }`, `{ and }`, `{ or }`, `{ not }`. */
export function parsedJson(node: SearchNode): Record<string, unknown> {
  switch (node.kind) {
    case "and":
      return { and: node.children.map(parsedJson) };
    case "or":
      return { or: node.children.map(parsedJson) };
    case "not":
      return { not: parsedJson(node.child) };
    case "term": {
      const { term } = node;
      const field = term.field ?? "default";
      if (term.comparator) return { field, [RANGE_KEYS[term.comparator]]: term.value };
      const range = splitRange(term.value);
      if (range && term.field) return { field, range_gte: range[0], range_lte: range[1] };
      return { field, [term.quoted ? "match_phrase" : "match_all"]: term.value };
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Compiling

/**
 * Compiles `query` against a domain's filters. `allowed` (from the schema) decides which filters the
 * connection supports; `null` allows every filter of the domain.
 */
export function compileSearch<T>(
  query: string | null | undefined,
  domain: Record<string, FieldMatcher<T>>,
  allowed: ReadonlyMap<string, SearchFieldInfo> | null,
  now: number,
): CompiledSearch<T> {
  const warnings: SearchWarning[] = [];
  let error: string | null = null;
  let notEmulated: string | null = null;
  const root = parseSearch(query);
  const all: CompiledSearch<T> = {
    matches: () => true,
    matchesAll: true,
    warnings,
    parsed: root ? parsedJson(root) : null,
    error: null,
    notEmulated: null,
  };
  if (!root) return all;

  const compile = (node: SearchNode): Predicate<T> | null => {
    switch (node.kind) {
      case "and": {
        const parts = node.children.map(compile).filter((p): p is Predicate<T> => p !== null);
        if (parts.length === 0) return null;
        return parts.length === 1 ? parts[0]! : (item) => parts.every((p) => p(item));
      }
      case "or": {
        const parts = node.children.map(compile).filter((p): p is Predicate<T> => p !== null);
        if (parts.length === 0) return null;
        return parts.length === 1 ? parts[0]! : (item) => parts.some((p) => p(item));
      }
      case "not": {
        const inner = compile(node.child);
        return inner ? (item) => !inner(item) : null;
      }
      case "term": {
        // Free text with nothing to search for (`-`, `&`) is no term at all.
        if (node.term.field === null && node.term.value !== "*" && searchTokens(node.term.value).length === 0)
          return null;
        const field = node.term.field ?? "default";
        const known = allowed ? allowed.has(field) : field in domain;
        if (!known) {
          warnings.push({ field, message: INVALID_FIELD_MESSAGE, code: "invalid_field" });
          return null;
        }
        const matcher = domain[field];
        if (!matcher) {
          notEmulated ??= field;
          return null;
        }
        const info = allowed?.get(field);
        if (info && info.acceptableValues.length > 0 && !node.term.comparator) {
          const accepted = info.acceptableValues.map((v) => v.toLowerCase());
          const given = node.term.value.split(",").map((v) => v.trim().toLowerCase());
          if (given.some((v) => !accepted.includes(v))) {
            warnings.push(invalidValue({ ...node.term, field }).warning);
            return null;
          }
        }
        const result = matcher({ ...node.term, field }, now);
        if ("warning" in result) {
          warnings.push(result.warning);
          return null;
        }
        if ("error" in result) {
          error ??= result.error;
          return null;
        }
        return result.predicate;
      }
    }
  };
  const predicate = compile(root);
  return {
    matches: predicate ?? (() => true),
    matchesAll: predicate === null,
    warnings,
    parsed: all.parsed,
    error,
    notEmulated,
  };
}

// ---------------------------------------------------------------------------------------------------
// Value semantics shared by the filters

const ASCII = /^[ -~\t\n\r]*$/; // printable ASCII (anything else is folded first)

/** Accents folded (ASCII text, the common case, is returned as is). */
function fold(text: string): string {
  if (ASCII.test(text)) return text;
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ø/g, "o")
    .replace(/Ø/g, "O")
    .replace(/ł/g, "l")
    .replace(/Ł/g, "L");
}

/** Lowercase, accents folded, split on anything that is not a letter or a digit. */
export function searchTokens(text: string | null | undefined): string[] {
  if (!text) return [];
  return fold(text)
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A token pattern, twice: for ASCII text (fast) and for the rest (Unicode letters and digits, accents
 * folded first).
 */
function tokenPattern(body: (edge: string) => string): (text: string) => boolean {
  const ascii = new RegExp(body("[^a-z0-9]"), "i");
  const unicode = new RegExp(body("[^\\p{L}\\p{N}]"), "iu");
  return (text) => (ASCII.test(text) ? ascii.test(text) : unicode.test(fold(text)));
}

/**
 * A tokenized text filter: `*` = has a value; a quoted value is a phrase (its tokens consecutive, in
 * order); otherwise every token of the value must be one of the text's tokens, the last one a prefix
 * when the value ends with `*`. (Token boundaries are matched with regular expressions, so 100,000
 * customers are scanned without splitting each one's fields.)
 */
export function textPredicate<T>(
  texts: (item: T) => readonly (string | null | undefined)[],
  term: SearchTerm,
): Predicate<T> {
  const raw = term.value.trim();
  if (raw === "*" && !term.quoted) return (item) => texts(item).some((t) => t != null && t !== "");
  const prefix = !term.quoted && raw.endsWith("*");
  const wanted = searchTokens(prefix ? raw.slice(0, -1) : raw).map(escapeRegExp);
  if (wanted.length === 0) return () => false;
  if (term.quoted) {
    const phrase = tokenPattern((edge) => `(?:^|${edge})${wanted.join(`${edge}+`)}(?:$|${edge})`);
    return (item) => texts(item).some((t) => t != null && phrase(t));
  }
  // Unquoted: the tokens may come from any of the texts (a free-text search over several fields).
  const patterns = wanted.map((w, k) =>
    tokenPattern((edge) => `(?:^|${edge})${w}${prefix && k === wanted.length - 1 ? "" : `(?:$|${edge})`}`),
  );
  return (item) => {
    const all = texts(item);
    return patterns.every((test) => all.some((t) => t != null && t !== "" && test(t)));
  };
}

function splitRange(value: string): [string, string] | null {
  const at = value.indexOf("..");
  if (at <= 0 || at >= value.length - 2) return null;
  return [value.slice(0, at), value.slice(at + 2)];
}

function numberPredicate<T>(get: (item: T) => number | null, term: SearchTerm, parse: (s: string) => number) {
  const range = splitRange(term.value);
  if (range) {
    const lo = parse(range[0]);
    const hi = parse(range[1]);
    if (Number.isNaN(lo) || Number.isNaN(hi)) return () => false;
    return (item: T) => {
      const v = get(item);
      return v !== null && v >= lo && v <= hi;
    };
  }
  const target = parse(term.value);
  if (Number.isNaN(target)) return () => false;
  return (item: T) => {
    const v = get(item);
    if (v === null) return false;
    switch (term.comparator) {
      case ">":
        return v > target;
      case ">=":
        return v >= target;
      case "<":
        return v < target;
      case "<=":
        return v <= target;
      default:
        return v === target;
    }
  };
}

const parseNumber = (s: string) => (/^\s*-?\d+(\.\d+)?\s*$/.test(s) ? Number(s) : Number.NaN);
const parseId = (s: string) => {
  const digits = s.trim().replace(/^gid:\/\/shopify\/[A-Za-z]+\//, "");
  return /^\d+$/.test(digits) ? Number(digits) : Number.NaN;
};

/** A period [start, end) for a time value: a year, month, day, an instant (to the second) or `now`. */
export function timePeriod(text: string, now: number): [number, number] | null {
  const value = text.trim();
  if (value.toLowerCase() === "now") return [now, now + 1000];
  let m = /^(\d{4})$/.exec(value);
  if (m) return [Date.UTC(Number(m[1]), 0, 1), Date.UTC(Number(m[1]) + 1, 0, 1)];
  m = /^(\d{4})-(\d{2})$/.exec(value);
  if (m) {
    const month = Number(m[2]) - 1;
    if (month < 0 || month > 11) return null;
    return [Date.UTC(Number(m[1]), month, 1), Date.UTC(Number(m[1]), month + 1, 1)];
  }
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m) {
    const start = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    if (new Date(start).getUTCDate() !== Number(m[3])) return null;
    return [start, start + 86_400_000];
  }
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(value)) return null;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(value);
  const ms = Date.parse(hasZone ? value.replace(" ", "T") : `${value.replace(" ", "T")}Z`);
  if (Number.isNaN(ms)) return null;
  const second = Math.floor(ms / 1000) * 1000;
  return [second, second + 1000];
}

/**
 * A time filter. `=` matches the value's period (a whole day for a date; `wholeDay` widens an instant
 * to its day, as `updated_at` documents); `<` and `>=` compare with its start, `<=` and `>` with its end;
 * `a..b` runs from the start of a to the end of b. An unreadable time is Shopify's BAD_REQUEST.
 */
export function timeMatcher<T>(
  values: (item: T) => readonly number[],
  options: { wholeDay?: boolean } = {},
): FieldMatcher<T> {
  return (term, now) => {
    const invalid = { error: `Invalid timestamp for query filter \`${term.field}\`.` };
    const range = splitRange(term.value);
    let start: number;
    let end: number;
    if (range && !term.comparator) {
      const a = timePeriod(range[0], now);
      const b = timePeriod(range[1], now);
      if (!a || !b) return invalid;
      start = a[0];
      end = b[1];
    } else {
      const period = timePeriod(term.value, now);
      if (!period) return invalid;
      [start, end] = period;
      if (options.wholeDay && !term.comparator) {
        start = Math.floor(start / 86_400_000) * 86_400_000;
        end = Math.max(end, start + 86_400_000);
      }
    }
    const test = (v: number) => {
      switch (term.comparator) {
        case ">":
          return v >= end;
        case ">=":
          return v >= start;
        case "<":
          return v < start;
        case "<=":
          return v < end;
        default:
          return v >= start && v < end;
      }
    };
    return { predicate: (item) => values(item).some(test) };
  };
}

function booleanMatcher<T>(get: (item: T) => boolean): FieldMatcher<T> {
  return (term) => {
    const value = term.value.trim().toLowerCase();
    if (value !== "true" && value !== "false") return invalidValue(term);
    const wanted = value === "true";
    return { predicate: (item) => get(item) === wanted };
  };
}

function invalidValue(term: SearchTerm & { field: string }): { warning: SearchWarning } {
  return {
    warning: {
      field: term.field,
      message: `Input \`${term.value}\` is not an accepted value.`,
      code: "invalid_value",
    },
  };
}

const idMatcher =
  <T extends { id: number }>(): FieldMatcher<T> =>
  (term) => ({ predicate: numberPredicate((item: T) => item.id, term, parseId) });

const textMatcher =
  <T>(texts: (item: T) => readonly (string | null | undefined)[]): FieldMatcher<T> =>
  (term) => ({ predicate: textPredicate(texts, term) });

const digits = (s: string | null | undefined) => (s ? s.replace(/\D/g, "") : "");

// ---------------------------------------------------------------------------------------------------
// Customers

function tagsPredicate(term: SearchTerm): Predicate<Customer> {
  const raw = term.value.trim();
  if (raw === "*" && !term.quoted) return (c) => c.tags.length > 0;
  const wanted = raw
    .split(",")
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  return (c) =>
    c.tags.some((tag) => {
      const lower = tag.toLowerCase();
      return wanted.some((w) =>
        w.endsWith("*") && !term.quoted ? lower.startsWith(w.slice(0, -1)) : lower === w,
      );
    });
}

/** The emulator's semantics for every filter `customers(query:)` and `customersCount(query:)` document. */
export const CUSTOMER_FILTERS: Record<string, FieldMatcher<Customer>> = {
  default: textMatcher((c) => {
    const texts = [c.firstName, c.lastName, c.email, c.phone];
    for (const a of c.addresses) texts.push(a.company, a.city, a.province, a.country, a.zip);
    return texts;
  }),
  accepts_marketing: booleanMatcher((c) => c.acceptsMarketing),
  country: (term) => {
    const raw = term.value.trim();
    if (raw === "*" && !term.quoted) return { predicate: (c) => c.addresses.some((a) => !!a.country) };
    const wanted = searchTokens(raw).join(" ");
    return {
      predicate: (c) =>
        c.addresses.some(
          (a) =>
            (a.countryCode != null && a.countryCode.toLowerCase() === raw.toLowerCase()) ||
            (a.country != null && searchTokens(a.country).join(" ") === wanted),
        ),
    };
  },
  customer_date: timeMatcher((c) => [c.createdAt]),
  created_at: timeMatcher((c) => [c.createdAt]),
  updated_at: timeMatcher((c) => [c.updatedAt], { wholeDay: true }),
  last_abandoned_order_date: timeMatcher((c) =>
    c.lastAbandonedOrderAt === null ? [] : [c.lastAbandonedOrderAt],
  ),
  order_date: timeMatcher((c) => c.orderDates),
  email: textMatcher((c) => [c.email]),
  first_name: textMatcher((c) => [c.firstName]),
  last_name: textMatcher((c) => [c.lastName]),
  phone: (term) => {
    const raw = term.value.trim();
    if (raw === "*" && !term.quoted) return { predicate: (c) => !!c.phone };
    const prefix = !term.quoted && raw.endsWith("*");
    const wanted = digits(raw);
    if (!wanted) return { predicate: () => false };
    return {
      predicate: (c) =>
        prefix ? digits(c.phone).startsWith(wanted) : digits(c.phone) === wanted && !!c.phone,
    };
  },
  state: (term) => {
    const states = term.value
      .split(",")
      .map((s) => s.trim().toUpperCase())
      .filter(Boolean);
    if (states.length === 0 || states.some((s) => !(CUSTOMER_STATES as readonly string[]).includes(s)))
      return invalidValue(term);
    return { predicate: (c) => states.includes(c.state) };
  },
  tag: (term) => ({ predicate: tagsPredicate(term) }),
  tag_not: (term) => {
    const has = tagsPredicate(term);
    return { predicate: (c) => !has(c) };
  },
  orders_count: (term) => ({
    predicate: numberPredicate((c: Customer) => c.numberOfOrders, term, parseNumber),
  }),
  total_spent: (term) => ({ predicate: numberPredicate((c: Customer) => c.amountSpent, term, parseNumber) }),
  id: idMatcher<Customer>(),
};

// ---------------------------------------------------------------------------------------------------
// Staff members

export const STAFF_FILTERS: Record<string, FieldMatcher<StaffMember>> = {
  account_type: (term) => {
    const wanted = term.value.trim().toLowerCase();
    return { predicate: (m) => m.accountType.toLowerCase() === wanted };
  },
  email: textMatcher((m) => [m.email]),
  first_name: textMatcher((m) => [m.firstName]),
  last_name: textMatcher((m) => [m.lastName]),
  id: idMatcher<StaffMember>(),
};

/** Customers search with the filters of `allowed` (the schema's list for the connection). */
export function compileCustomerSearch(
  query: string | null | undefined,
  allowed: ReadonlyMap<string, SearchFieldInfo> | null,
  now: number = Date.now(),
): CompiledSearch<Customer> {
  return compileSearch(query, CUSTOMER_FILTERS, allowed, now);
}
