// Customer segments: a subset of Shopify's segment query language (ShopifyQL's WHERE-like clauses,
// https://shopify.dev/docs/api/shopifyql/segment-query-language-reference, filters as in Shopify Help
// "Shopify-based customer segment filters") evaluated against the emulator's customers, and the saved
// segments of each shop. The subset, the error texts and every choice made are listed in
// emulator/README.md ("Segments"). The GraphQL side is in resolvers/segments.ts.
import { HttpError } from "./http";
import { isoSeconds, type Customer, type Shop } from "./model";
import type { Emulator } from "./server";

// ---------------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------------

type TokenKind = "lparen" | "rparen" | "comma" | "colon" | "op" | "string" | "bare" | "other" | "eof";

interface Token {
  kind: TokenKind;
  /** The value: a string literal's content (escapes resolved), otherwise the text as written. */
  text: string;
  /** Offset of the token's first character in the query. */
  at: number;
}

const BARE = /[A-Za-z0-9_.+-]/;

/** A problem in a query, at a 1-based line and a 0-based column (as Shopify numbers them). */
export interface SegmentQueryProblem {
  line: number;
  column: number;
  /** Without the position: "'valid' is unexpected." */
  text: string;
}

export function problemMessage(problem: SegmentQueryProblem): string {
  return `Line ${problem.line} Column ${problem.column}: ${problem.text}`;
}

function positionOf(query: string, at: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at && i < query.length; i++) {
    if (query[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: at - lineStart };
}

class SyntaxProblem extends Error {
  constructor(
    readonly at: number,
    readonly text: string,
  ) {
    super(text);
  }
}

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const ch = query[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const at = i;
    if (ch === "(" || ch === ")" || ch === "," || ch === ":") {
      const kind = ch === "(" ? "lparen" : ch === ")" ? "rparen" : ch === "," ? "comma" : "colon";
      tokens.push({ kind, text: ch, at });
      i++;
    } else if (ch === "=") {
      tokens.push({ kind: "op", text: "=", at });
      i++;
    } else if ((ch === "!" || ch === "<" || ch === ">") && query[i + 1] === "=") {
      tokens.push({ kind: "op", text: `${ch}=`, at });
      i += 2;
    } else if (ch === "<" || ch === ">") {
      tokens.push({ kind: "op", text: ch, at });
      i++;
    } else if (ch === "'" || ch === '"') {
      let value = "";
      i++;
      for (;;) {
        if (i >= query.length) throw new SyntaxProblem(at, "String literal is not terminated.");
        const c = query[i]!;
        if (c === "\\" && i + 1 < query.length) {
          value += query[i + 1];
          i += 2;
        } else if (c === ch) {
          i++;
          break;
        } else {
          value += c;
          i++;
        }
      }
      tokens.push({ kind: "string", text: value, at });
    } else if (BARE.test(ch)) {
      let j = i;
      while (j < query.length && BARE.test(query[j]!)) j++;
      tokens.push({ kind: "bare", text: query.slice(i, j), at });
      i = j;
    } else {
      tokens.push({ kind: "other", text: ch, at });
      i++;
    }
  }
  tokens.push({ kind: "eof", text: "", at: query.length });
  return tokens;
}

// ---------------------------------------------------------------------------------------------------
// Syntax tree
// ---------------------------------------------------------------------------------------------------

type Operator =
  | "="
  | "!="
  | ">"
  | ">="
  | "<"
  | "<="
  | "CONTAINS"
  | "NOT CONTAINS"
  | "BETWEEN"
  | "IS NULL"
  | "IS NOT NULL"
  | "MATCHES"
  | "NOT MATCHES";

interface Value {
  text: string;
  quoted: boolean;
  at: number;
}

interface Clause {
  kind: "clause";
  attribute: string;
  attributeAt: number;
  /** A function filter's arguments were given: `products_purchased(id: 1)`. */
  called: boolean;
  operator: Operator;
  operatorAt: number;
  values: Value[];
}

type SegmentNode =
  | Clause
  | { kind: "and" | "or"; left: SegmentNode; right: SegmentNode }
  | { kind: "not"; inner: SegmentNode };

const KEYWORDS = new Set(["AND", "OR", "NOT", "CONTAINS", "BETWEEN", "IS", "NULL", "MATCHES"]);

class Parser {
  private i = 0;
  /** Attributes in the order they were read, checked against the filter table afterwards. */
  readonly clauses: Clause[] = [];
  /** The attribute being read when a syntax problem stopped the parse. */
  pendingAttribute: { name: string; at: number } | null = null;

  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const token = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return token;
  }

  private isKeyword(token: Token, keyword: string): boolean {
    return token.kind === "bare" && token.text.toUpperCase() === keyword;
  }

  private unexpected(token: Token): never {
    if (token.kind === "eof") throw new SyntaxProblem(token.at, "Unexpected end of query.");
    throw new SyntaxProblem(token.at, `'${token.text}' is unexpected.`);
  }

  parse(): SegmentNode {
    const node = this.parseOr();
    const rest = this.peek();
    if (rest.kind !== "eof") this.unexpected(rest);
    return node;
  }

  private parseOr(): SegmentNode {
    let left = this.parseAnd();
    while (this.isKeyword(this.peek(), "OR")) {
      this.next();
      left = { kind: "or", left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): SegmentNode {
    let left = this.parseUnary();
    while (this.isKeyword(this.peek(), "AND")) {
      this.next();
      left = { kind: "and", left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): SegmentNode {
    if (this.isKeyword(this.peek(), "NOT")) {
      this.next();
      return { kind: "not", inner: this.parseUnary() };
    }
    const token = this.peek();
    if (token.kind === "lparen") {
      this.next();
      const inner = this.parseOr();
      const close = this.next();
      if (close.kind !== "rparen") this.unexpected(close);
      return inner;
    }
    return this.parseClause();
  }

  private skipBalanced(): void {
    // After an opening parenthesis: up to and including its closing one.
    let depth = 1;
    for (;;) {
      const token = this.next();
      if (token.kind === "eof") this.unexpected(token);
      if (token.kind === "lparen") depth++;
      if (token.kind === "rparen" && --depth === 0) return;
    }
  }

  private parseValue(): Value {
    const token = this.next();
    if (token.kind === "string") return { text: token.text, quoted: true, at: token.at };
    if (token.kind === "bare" && !KEYWORDS.has(token.text.toUpperCase()))
      return { text: token.text, quoted: false, at: token.at };
    this.unexpected(token);
  }

  private parseClause(): Clause {
    const name = this.next();
    if (name.kind !== "bare" || KEYWORDS.has(name.text.toUpperCase())) this.unexpected(name);
    this.pendingAttribute = { name: name.text, at: name.at };
    let called = false;
    if (this.peek().kind === "lparen") {
      this.next();
      this.skipBalanced();
      called = true;
    }
    const opToken = this.peek();
    let operator: Operator;
    const values: Value[] = [];
    if (opToken.kind === "op") {
      this.next();
      operator = opToken.text as Operator;
      values.push(this.parseValue());
    } else if (this.isKeyword(opToken, "CONTAINS")) {
      this.next();
      operator = "CONTAINS";
      values.push(this.parseValue());
    } else if (this.isKeyword(opToken, "BETWEEN")) {
      this.next();
      operator = "BETWEEN";
      values.push(this.parseValue());
      const and = this.next();
      if (!this.isKeyword(and, "AND")) this.unexpected(and);
      values.push(this.parseValue());
    } else if (this.isKeyword(opToken, "IS")) {
      this.next();
      let negated = false;
      if (this.isKeyword(this.peek(), "NOT")) {
        this.next();
        negated = true;
      }
      const nul = this.next();
      if (!this.isKeyword(nul, "NULL")) this.unexpected(nul);
      operator = negated ? "IS NOT NULL" : "IS NULL";
    } else if (this.isKeyword(opToken, "MATCHES")) {
      this.next();
      const open = this.next();
      if (open.kind !== "lparen") this.unexpected(open);
      this.skipBalanced();
      operator = "MATCHES";
    } else if (this.isKeyword(opToken, "NOT")) {
      this.next();
      const what = this.next();
      if (this.isKeyword(what, "CONTAINS")) {
        operator = "NOT CONTAINS";
        values.push(this.parseValue());
      } else if (this.isKeyword(what, "MATCHES")) {
        const open = this.next();
        if (open.kind !== "lparen") this.unexpected(open);
        this.skipBalanced();
        operator = "NOT MATCHES";
      } else {
        this.unexpected(what);
      }
    } else {
      this.unexpected(opToken);
    }
    const clause: Clause = {
      kind: "clause",
      attribute: name.text,
      attributeAt: name.at,
      called,
      operator,
      operatorAt: opToken.at,
      values,
    };
    this.pendingAttribute = null;
    this.clauses.push(clause);
    return clause;
  }
}

// ---------------------------------------------------------------------------------------------------
// Filters
// ---------------------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;

type Facts = Customer;

interface FilterBase {
  operators: readonly Operator[];
}
interface EnumFilter extends FilterBase {
  type: "enum";
  values: readonly string[];
  get: (c: Facts) => string | null;
}
interface StringFilter extends FilterBase {
  type: "string";
  get: (c: Facts) => string | null;
}
interface ListFilter extends FilterBase {
  type: "list";
  get: (c: Facts) => readonly string[];
}
interface NumberFilter extends FilterBase {
  type: "number";
  integer: boolean;
  get: (c: Facts) => number;
}
interface DateFilter extends FilterBase {
  type: "date";
  get: (c: Facts) => number | null;
}
type Filter = EnumFilter | StringFilter | ListFilter | NumberFilter | DateFilter;

const EQUALITY: readonly Operator[] = ["=", "!="];
const NULLS: readonly Operator[] = ["IS NULL", "IS NOT NULL"];
const COMPARISONS: readonly Operator[] = ["=", "!=", ">", ">=", "<", "<=", "BETWEEN"];
const LIST_OPERATORS: readonly Operator[] = ["CONTAINS", "NOT CONTAINS", "IS NULL", "IS NOT NULL"];

function maxOf(values: readonly number[]): number | null {
  let out: number | null = null;
  for (const v of values) if (out === null || v > out) out = v;
  return out;
}

function minOf(values: readonly number[]): number | null {
  let out: number | null = null;
  for (const v of values) if (out === null || v < out) out = v;
  return out;
}

/** The filters the emulator evaluates, each from a field of its customers. */
const FILTERS: Record<string, Filter> = {
  customer_account_status: {
    type: "enum",
    operators: EQUALITY,
    values: ["ENABLED", "DISABLED", "INVITED", "DECLINED"],
    get: (c) => c.state,
  },
  email_subscription_status: {
    type: "enum",
    operators: [...EQUALITY, ...NULLS],
    values: ["SUBSCRIBED", "NOT_SUBSCRIBED", "PENDING", "UNSUBSCRIBED", "INVALID", "REDACTED"],
    get: (c) => (c.email ? (c.acceptsMarketing ? "SUBSCRIBED" : "NOT_SUBSCRIBED") : null),
  },
  customer_tags: { type: "list", operators: LIST_OPERATORS, get: (c) => c.tags },
  customer_countries: {
    type: "list",
    operators: LIST_OPERATORS,
    get: (c) => c.addresses.map((a) => a.countryCode ?? "").filter(Boolean),
  },
  number_of_orders: { type: "number", integer: true, operators: COMPARISONS, get: (c) => c.numberOfOrders },
  amount_spent: { type: "number", integer: false, operators: COMPARISONS, get: (c) => c.amountSpent },
  customer_added_date: { type: "date", operators: COMPARISONS, get: (c) => c.createdAt },
  last_order_date: { type: "date", operators: [...COMPARISONS, ...NULLS], get: (c) => maxOf(c.orderDates) },
  first_order_date: { type: "date", operators: [...COMPARISONS, ...NULLS], get: (c) => minOf(c.orderDates) },
  abandoned_checkout_date: {
    type: "date",
    operators: [...COMPARISONS, ...NULLS],
    get: (c) => c.lastAbandonedOrderAt,
  },
  customer_email_domain: {
    type: "string",
    operators: [...EQUALITY, ...NULLS],
    get: (c) => (c.email && c.email.includes("@") ? c.email.slice(c.email.lastIndexOf("@") + 1) : null),
  },
  customer_language: { type: "string", operators: EQUALITY, get: (c) => c.locale },
};

/**
 * Shopify filters (Help, "Shopify-based customer segment filters") the emulator knows by name but does not
 * evaluate: a query using one parses, can be saved, and answers NOT_EMULATED when its members are asked.
 */
const NOT_EMULATED_FILTERS = new Set([
  "anniversary",
  "companies",
  "created_by_app_id",
  "customer_cities",
  "customer_regions",
  "customer_within_distance",
  "orders_placed",
  "predicted_spend_tier",
  "product_subscription_status",
  "products_purchased",
  "rfm_group",
  "sms_subscription_status",
  "store_credit_accounts",
]);

function knownButNotEmulated(name: string): boolean {
  return (
    NOT_EMULATED_FILTERS.has(name) ||
    name.startsWith("shopify_email.") ||
    name.startsWith("storefront_event.")
  );
}

// ---------------------------------------------------------------------------------------------------
// Compilation
// ---------------------------------------------------------------------------------------------------

export interface CompileOptions {
  /** Now, for relative dates (`-30d`, `today`, `7_days_ago`). */
  now: number;
  /** IANA time zone in which relative dates name a day (default UTC, the emulated shop's time zone). */
  timezone?: string | null;
}

export type CompiledSegmentQuery =
  | { ok: true; matches: (c: Customer) => boolean; notEmulated: string[] }
  | { ok: false; problems: SegmentQueryProblem[] };

/** The UTC date (ms at 00:00) of "today" in a time zone. */
function todayIn(now: number, timezone: string | null | undefined): number {
  if (!timezone) return Math.floor(now / DAY_MS) * DAY_MS;
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: timezone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(new Date(now));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get("year"), get("month") - 1, get("day"));
}

export function isValidTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

function shiftDay(day: number, amount: number, unit: string): number {
  const d = new Date(day);
  if (unit === "d" || unit === "days") return day + amount * DAY_MS;
  if (unit === "w" || unit === "weeks") return day + amount * 7 * DAY_MS;
  if (unit === "m" || unit === "months")
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + amount, d.getUTCDate());
  return Date.UTC(d.getUTCFullYear() + amount, d.getUTCMonth(), d.getUTCDate());
}

/** The day (UTC ms at 00:00) a date value names, or null when it is not a date. */
function dayOf(value: Value, options: CompileOptions): number | null {
  const text = value.text.trim().toLowerCase();
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const day = Date.UTC(y, mo - 1, d);
    const check = new Date(day);
    return check.getUTCFullYear() === y && check.getUTCMonth() === mo - 1 && check.getUTCDate() === d
      ? day
      : null;
  }
  const today = todayIn(options.now, options.timezone);
  if (text === "today") return today;
  if (text === "yesterday") return today - DAY_MS;
  m = /^([+-])(\d+)([dwmy])$/.exec(text);
  if (m) return shiftDay(today, (m[1] === "-" ? -1 : 1) * Number(m[2]), m[3]!);
  m = /^(\d+)_(days|weeks|months|years)_ago$/.exec(text);
  if (m) return shiftDay(today, -Number(m[1]), m[2]!);
  return null;
}

type Predicate = (c: Customer) => boolean;

function compileClause(
  clause: Clause,
  filter: Filter,
  options: CompileOptions,
  problem: (at: number, text: string) => void,
): Predicate {
  const never: Predicate = () => false;
  const { operator, attribute } = clause;
  if (clause.called || !filter.operators.includes(operator)) {
    problem(clause.operatorAt, `${attribute} does not support operator '${operator}'`);
    return never;
  }
  const invalid = (value: Value) => {
    problem(value.at, `'${value.text}' is not a valid value for ${attribute}.`);
    return never;
  };
  if (operator === "IS NULL" || operator === "IS NOT NULL") {
    const isNull =
      filter.type === "list"
        ? (c: Customer) => filter.get(c).length === 0
        : (c: Customer) => filter.get(c) === null;
    return operator === "IS NULL" ? isNull : (c) => !isNull(c);
  }
  switch (filter.type) {
    case "enum": {
      const value = clause.values[0]!;
      if (!value.quoted || !filter.values.includes(value.text)) return invalid(value);
      return operator === "="
        ? (c) => filter.get(c) === value.text
        : (c) => {
            const v = filter.get(c);
            return v !== null && v !== value.text;
          };
    }
    case "string": {
      const value = clause.values[0]!;
      if (!value.quoted) return invalid(value);
      const wanted = value.text.toLowerCase();
      return operator === "="
        ? (c) => filter.get(c)?.toLowerCase() === wanted
        : (c) => {
            const v = filter.get(c);
            return v !== null && v.toLowerCase() !== wanted;
          };
    }
    case "list": {
      const value = clause.values[0]!;
      if (!value.quoted) return invalid(value);
      const wanted = value.text.toLowerCase();
      const contains = (c: Customer) => filter.get(c).some((v) => v.toLowerCase() === wanted);
      return operator === "CONTAINS" ? contains : (c) => !contains(c);
    }
    case "number": {
      const pattern = filter.integer ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/;
      const numbers: number[] = [];
      for (const value of clause.values) {
        if (value.quoted || !pattern.test(value.text)) return invalid(value);
        numbers.push(Number(value.text));
      }
      const [a, b] = numbers as [number, number];
      // Money compares in cents, so 100.1 = 100.10 and float sums do not miss an equality.
      const scale = filter.integer ? (n: number) => n : (n: number) => Math.round(n * 100);
      const x = scale(a);
      const y = b === undefined ? 0 : scale(b);
      const get = (c: Customer) => scale(filter.get(c));
      switch (operator) {
        case "=":
          return (c) => get(c) === x;
        case "!=":
          return (c) => get(c) !== x;
        case ">":
          return (c) => get(c) > x;
        case ">=":
          return (c) => get(c) >= x;
        case "<":
          return (c) => get(c) < x;
        case "<=":
          return (c) => get(c) <= x;
        default:
          return (c) => get(c) >= x && get(c) <= y;
      }
    }
    case "date": {
      const days: number[] = [];
      for (const value of clause.values) {
        const day = dayOf(value, options);
        if (day === null) return invalid(value);
        days.push(day);
      }
      const start = days[0]!;
      const end = start + DAY_MS;
      const test = (compare: (t: number) => boolean): Predicate => {
        return (c) => {
          const t = filter.get(c);
          return t !== null && compare(t);
        };
      };
      switch (operator) {
        case "=":
          return test((t) => t >= start && t < end);
        case "!=":
          return test((t) => t < start || t >= end);
        case ">":
          return test((t) => t >= end);
        case ">=":
          return test((t) => t >= start);
        case "<":
          return test((t) => t < start);
        case "<=":
          return test((t) => t < end);
        default: {
          const last = days[1]! + DAY_MS;
          return test((t) => t >= start && t < last);
        }
      }
    }
  }
}

function compileNode(node: SegmentNode, compileLeaf: (clause: Clause) => Predicate): Predicate {
  switch (node.kind) {
    case "clause":
      return compileLeaf(node);
    case "not": {
      const inner = compileNode(node.inner, compileLeaf);
      return (c) => !inner(c);
    }
    case "and": {
      const left = compileNode(node.left, compileLeaf);
      const right = compileNode(node.right, compileLeaf);
      return (c) => left(c) && right(c);
    }
    case "or": {
      const left = compileNode(node.left, compileLeaf);
      const right = compileNode(node.right, compileLeaf);
      return (c) => left(c) || right(c);
    }
  }
}

/**
 * Parses and checks a segment query. Problems come as Shopify lists them: a syntax problem first (the
 * parse stops there), then each unknown filter, unsupported operator or invalid value in query order.
 * `notEmulated` names the Shopify filters the query uses that the emulator cannot evaluate.
 */
export function compileSegmentQuery(query: string, options: CompileOptions): CompiledSegmentQuery {
  const problems: { at: number; text: string }[] = [];
  const add = (at: number, text: string) => problems.push({ at, text });
  let tree: SegmentNode | null = null;
  let syntax: { at: number; text: string } | null = null;
  const tokensOrProblem = (() => {
    try {
      return tokenize(query);
    } catch (error) {
      if (error instanceof SyntaxProblem) return error;
      throw error;
    }
  })();
  let parser: Parser | null = null;
  if (tokensOrProblem instanceof SyntaxProblem) {
    syntax = { at: tokensOrProblem.at, text: tokensOrProblem.text };
  } else {
    parser = new Parser(tokensOrProblem);
    try {
      tree = parser.parse();
    } catch (error) {
      if (!(error instanceof SyntaxProblem)) throw error;
      syntax = { at: error.at, text: error.text };
    }
  }
  const notEmulated = new Set<string>();
  const leaves = new Map<Clause, Predicate>();
  const attributes: { name: string; at: number; clause: Clause | null }[] = [
    ...(parser?.clauses ?? []).map((clause) => ({ name: clause.attribute, at: clause.attributeAt, clause })),
    ...(parser?.pendingAttribute ? [{ ...parser.pendingAttribute, clause: null }] : []),
  ];
  for (const { name, at, clause } of attributes) {
    const filter = FILTERS[name];
    if (filter) {
      if (clause) leaves.set(clause, compileClause(clause, filter, options, add));
    } else if (knownButNotEmulated(name)) {
      notEmulated.add(name);
    } else {
      add(at, `'${name}' filter cannot be found.`);
    }
  }
  const ordered = [...(syntax ? [syntax] : []), ...problems];
  if (ordered.length > 0 || !tree) {
    return {
      ok: false,
      problems: ordered.map(({ at, text }) => ({ ...positionOf(query, at), text })),
    };
  }
  const matches = compileNode(tree, (clause) => leaves.get(clause) ?? (() => false));
  return { ok: true, matches, notEmulated: [...notEmulated] };
}

// ---------------------------------------------------------------------------------------------------
// Member sort keys and statistics
// ---------------------------------------------------------------------------------------------------

/** `customerSegmentMembers(sortKey:)` values (the schema's description) and the value each sorts by. */
export const MEMBER_SORT_KEYS: Record<string, (c: Customer) => number | null> = {
  created_at: (c) => c.createdAt,
  first_order_date: (c) => minOf(c.orderDates),
  last_abandoned_order_date: (c) => c.lastAbandonedOrderAt,
  last_order_date: (c) => maxOf(c.orderDates),
  number_of_orders: (c) => c.numberOfOrders,
  amount_spent: (c) => c.amountSpent,
};

/** `statistics { attributeStatistics(attributeName:) }`: the numeric attributes. */
export const STATISTIC_ATTRIBUTES: Record<string, (c: Customer) => number> = {
  amount_spent: (c) => c.amountSpent,
  number_of_orders: (c) => c.numberOfOrders,
};

// ---------------------------------------------------------------------------------------------------
// Saved segments
// ---------------------------------------------------------------------------------------------------

export interface SavedSegment {
  id: number;
  name: string;
  query: string;
  creationDate: number;
  lastEditDate: number;
}

export const segmentGid = (id: number) => `gid://shopify/Segment/${id}`;
export const SEGMENT_NAME_MAX = 255;
export const SEGMENT_QUERY_MAX = 5000;
export const SEGMENTS_PER_SHOP_MAX = 6000;

interface ShopSegments {
  list: SavedSegment[];
  nextId: number;
}

// Kept beside the shop rather than on it: a shop that is deleted or reset takes its segments with it.
const byShop = new WeakMap<Shop, ShopSegments>();

function stateOf(shop: Shop): ShopSegments {
  let state = byShop.get(shop);
  if (!state) {
    state = { list: [], nextId: 1 };
    byShop.set(shop, state);
  }
  return state;
}

/** The shop's segments in creation order. */
export function shopSegments(shop: Shop): readonly SavedSegment[] {
  return stateOf(shop).list;
}

export function findSegment(shop: Shop, id: number): SavedSegment | undefined {
  return stateOf(shop).list.find((s) => s.id === id);
}

export interface SegmentUserError {
  field: string[] | null;
  message: string;
}

/** "Name" → "Name (2)", "Name (2)" → "Name (3)". */
function bumpName(name: string): string {
  const m = /^(.*) \((\d+)\)$/.exec(name);
  return m ? `${m[1]} (${Number(m[2]) + 1})` : `${name} (2)`;
}

function uniqueName(shop: Shop, requested: string, self: SavedSegment | null): string | null {
  const taken = new Set(
    stateOf(shop)
      .list.filter((s) => s !== self)
      .map((s) => s.name),
  );
  let candidate = requested;
  for (let attempt = 0; attempt <= 10; attempt++) {
    if (!taken.has(candidate)) return candidate;
    candidate = bumpName(candidate);
  }
  return null;
}

function queryErrors(query: string, now: number): SegmentUserError[] {
  if (query.length > SEGMENT_QUERY_MAX)
    return [{ field: ["query"], message: `Query is too long (maximum is ${SEGMENT_QUERY_MAX} characters)` }];
  const compiled = compileSegmentQuery(query, { now });
  if (compiled.ok) return [];
  return compiled.problems.map((p) => ({ field: ["query"], message: `Query ${problemMessage(p)}` }));
}

/** segmentCreate: the new segment, or Shopify's userErrors. */
export function createSegment(
  shop: Shop,
  input: { name?: unknown; query?: unknown },
  now: number,
): { segment: SavedSegment | null; userErrors: SegmentUserError[] } {
  const name = typeof input.name === "string" ? input.name : "";
  const query = typeof input.query === "string" ? input.query : "";
  const errors: SegmentUserError[] = [];
  if (!name.trim()) errors.push({ field: ["name"], message: "Name can't be blank" });
  else if (name.length > SEGMENT_NAME_MAX)
    errors.push({ field: ["name"], message: `Name is too long (maximum is ${SEGMENT_NAME_MAX} characters)` });
  if (!query.trim()) errors.push({ field: ["query"], message: "Query can't be blank" });
  // A bad name short-circuits the query grammar (Shopify answers the name errors alone).
  else if (errors.length === 0) errors.push(...queryErrors(query, now));
  if (errors.length > 0) return { segment: null, userErrors: errors };
  const state = stateOf(shop);
  if (state.list.length >= SEGMENTS_PER_SHOP_MAX) {
    return {
      segment: null,
      userErrors: [
        { field: null, message: "Segment limit reached. Delete an existing segment to create more." },
      ],
    };
  }
  const unique = uniqueName(shop, name, null);
  if (unique === null)
    return { segment: null, userErrors: [{ field: ["name"], message: "Name has already been taken" }] };
  const segment: SavedSegment = {
    id: state.nextId++,
    name: unique,
    query,
    creationDate: now,
    lastEditDate: now,
  };
  state.list.push(segment);
  return { segment, userErrors: [] };
}

/** segmentUpdate. */
export function updateSegment(
  shop: Shop,
  id: number,
  input: { name?: string | null; query?: string | null },
  now: number,
): { segment: SavedSegment | null; userErrors: SegmentUserError[] } {
  const segment = findSegment(shop, id);
  if (!segment) return { segment: null, userErrors: [{ field: ["id"], message: "Segment does not exist" }] };
  const { name, query } = input;
  if (name == null && query == null)
    return {
      segment: null,
      userErrors: [{ field: null, message: "At least one attribute to change must be present" }],
    };
  const errors: SegmentUserError[] = [];
  if (name != null) {
    if (!name.trim()) errors.push({ field: ["name"], message: "Name can't be blank" });
    else if (name.length > SEGMENT_NAME_MAX)
      errors.push({
        field: ["name"],
        message: `Name is too long (maximum is ${SEGMENT_NAME_MAX} characters)`,
      });
  }
  if (query != null) {
    if (!query.trim()) errors.push({ field: ["query"], message: "Query can't be blank" });
    else if (errors.length === 0) errors.push(...queryErrors(query, now));
  }
  if (errors.length > 0) return { segment: null, userErrors: errors };
  let unique: string | null = segment.name;
  if (name != null) {
    unique = uniqueName(shop, name, segment);
    if (unique === null)
      return { segment: null, userErrors: [{ field: ["name"], message: "Name has already been taken" }] };
  }
  segment.name = unique;
  if (query != null) segment.query = query;
  segment.lastEditDate = now;
  return { segment, userErrors: [] };
}

/** segmentDelete: true when the segment existed. */
export function deleteSegment(shop: Shop, id: number): boolean {
  const state = stateOf(shop);
  const index = state.list.findIndex((s) => s.id === id);
  if (index < 0) return false;
  state.list.splice(index, 1);
  return true;
}

// ---------------------------------------------------------------------------------------------------
// Control API: /__emulator/segments
// ---------------------------------------------------------------------------------------------------

export function segmentJson(segment: SavedSegment): Record<string, unknown> {
  return {
    id: segmentGid(segment.id),
    name: segment.name,
    query: segment.query,
    creationDate: isoSeconds(segment.creationDate),
    lastEditDate: isoSeconds(segment.lastEditDate),
  };
}

function segmentIdOf(value: string): number {
  const m = /^(?:gid:\/\/shopify\/Segment\/)?(\d+)$/.exec(value);
  if (!m) throw new HttpError(400, `Not a segment id: '${value}'`);
  return Number(m[1]);
}

/**
 * `POST segments { shop, name, query }`, `GET segments?shop=`, `GET segments/{id}?shop=` (with
 * `memberCount`), `DELETE segments/{id}?shop=`. Null for any other path.
 */
export function handleSegmentControl(
  emulator: Emulator,
  request: { method: string; path: string; url: URL; body: Record<string, unknown> },
): { status: number; body: unknown } | null {
  const { method, path, url, body } = request;
  const m = /^\/segments(?:\/([^/]+))?$/.exec(path);
  if (!m) return null;
  const domain = method === "POST" ? body.shop : url.searchParams.get("shop");
  const shop = emulator.store.getShop(typeof domain === "string" ? domain : null);
  if (!shop)
    throw new HttpError(
      404,
      `Unknown shop '${String(domain ?? "")}' (create it with POST /__emulator/shops)`,
    );
  const now = emulator.clock.now();
  if (!m[1]) {
    if (method === "GET") return { status: 200, body: { segments: shopSegments(shop).map(segmentJson) } };
    if (method === "POST") {
      const { segment, userErrors } = createSegment(shop, body, now);
      if (!segment) throw new HttpError(400, userErrors.map((e) => e.message).join("; "));
      return { status: 201, body: segmentJson(segment) };
    }
    return null;
  }
  const id = segmentIdOf(decodeURIComponent(m[1]));
  const segment = findSegment(shop, id);
  if (!segment) throw new HttpError(404, `Unknown segment ${segmentGid(id)} in ${shop.domain}`);
  if (method === "GET") {
    const compiled = compileSegmentQuery(segment.query, { now });
    const memberCount =
      compiled.ok && compiled.notEmulated.length === 0
        ? shop.customers.filter((c) => !c.deleted && compiled.matches(c)).length
        : null;
    return { status: 200, body: { ...segmentJson(segment), memberCount } };
  }
  if (method === "DELETE") {
    deleteSegment(shop, id);
    return { status: 200, body: { ok: true } };
  }
  return null;
}
