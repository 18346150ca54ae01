// A subset of Shopify's search syntax for `customers(query:)` and `customersCount(query:)`
// (https://shopify.dev/docs/api/usage/search-syntax). Supported, see emulator/README.md "Search syntax":
//   terms joined by spaces (AND) or `OR`; `-term` / `NOT term`; `field:value`, `field:"quoted value"`;
//   comparisons `field:>x`, `:>=`, `:<`, `:<=` on dates and ids; `*` wildcards in values;
//   fields: state, tag, tag_not, email, first_name, last_name, phone, id, created_at, updated_at,
//   orders_count, verified_email; anything else without a field is free text over name and email.
// Unknown fields are ignored (they match everything) and reported as warnings, as Shopify does.
import type { Customer } from "./model";

export interface SearchWarning {
  field: string;
  message: string;
}

export interface CompiledSearch {
  matches: (customer: Customer) => boolean;
  warnings: SearchWarning[];
  /** True when the query filters nothing (empty or only ignored terms). */
  matchesAll: boolean;
}

type Predicate = (customer: Customer) => boolean;

interface Token {
  negated: boolean;
  field: string | null;
  value: string;
}

function tokenize(query: string): (Token | "OR")[] {
  const tokens: (Token | "OR")[] = [];
  let i = 0;
  let negateNext = false;
  while (i < query.length) {
    while (i < query.length && /\s/.test(query[i]!)) i++;
    if (i >= query.length) break;
    let negated = false;
    if (query[i] === "-") {
      negated = true;
      i++;
    }
    let raw = "";
    let quoted = false;
    while (i < query.length && !/\s/.test(query[i]!)) {
      if (query[i] === '"' || query[i] === "'") {
        const quote = query[i]!;
        const end = query.indexOf(quote, i + 1);
        const stop = end === -1 ? query.length : end;
        raw += query.slice(i + 1, stop);
        quoted = true;
        i = stop + 1;
      } else {
        raw += query[i];
        i++;
      }
    }
    if (!quoted && !negated && raw === "OR") {
      tokens.push("OR");
      continue;
    }
    if (!quoted && !negated && raw === "AND") continue;
    if (!quoted && !negated && raw === "NOT") {
      negateNext = true;
      continue;
    }
    const colon = quoted && !raw.includes(":") ? -1 : raw.indexOf(":");
    const token: Token =
      colon > 0
        ? {
            negated: negated || negateNext,
            field: raw.slice(0, colon).toLowerCase(),
            value: raw.slice(colon + 1),
          }
        : { negated: negated || negateNext, field: null, value: raw };
    negateNext = false;
    if (token.value === "" && token.field === null) continue;
    tokens.push(token);
  }
  return tokens;
}

function wildcard(value: string): RegExp {
  const escaped = value.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`, "i");
}

function textMatcher(value: string, exact: boolean): (text: string | null) => boolean {
  if (value === "*") return (text) => text != null && text !== "";
  if (value.includes("*")) {
    const re = wildcard(value);
    return (text) => text != null && re.test(text);
  }
  const lower = value.toLowerCase();
  return exact
    ? (text) => text != null && text.toLowerCase() === lower
    : (text) => text != null && text.toLowerCase().startsWith(lower);
}

type Comparison = { op: ">" | ">=" | "<" | "<=" | "="; operand: string };

function comparison(value: string): Comparison {
  const m = /^(>=|<=|>|<)(.*)$/.exec(value);
  return m ? { op: m[1] as Comparison["op"], operand: m[2]! } : { op: "=", operand: value };
}

function compareNumbers(op: Comparison["op"], a: number, b: number): boolean {
  switch (op) {
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    default:
      return a === b;
  }
}

function parseDate(operand: string, now: number): number | null {
  const text = operand.trim().toLowerCase();
  if (text === "now") return now;
  if (text === "today") return Math.floor(now / 86_400_000) * 86_400_000;
  if (text === "yesterday") return Math.floor(now / 86_400_000) * 86_400_000 - 86_400_000;
  const relative = /^-(\d+)(day|days|d|hour|hours|h|week|weeks|w)$/.exec(text);
  if (relative) {
    const n = Number(relative[1]);
    const unit = relative[2]!.startsWith("h")
      ? 3_600_000
      : relative[2]!.startsWith("w")
        ? 7 * 86_400_000
        : 86_400_000;
    return now - n * unit;
  }
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : operand);
  return Number.isNaN(ms) ? null : ms;
}

function fieldPredicate(token: Token, now: number, warnings: SearchWarning[]): Predicate | null {
  const { field, value } = token;
  if (field === null) {
    // Free text: prefix of any word in the name, or of the email (case-insensitive).
    const needle = value.toLowerCase();
    if (needle.includes("*")) {
      const re = wildcard(value);
      return (c) => [c.firstName, c.lastName, c.email].some((t) => t != null && re.test(t));
    }
    return (c) => {
      if (c.email && c.email.toLowerCase().includes(needle)) return true;
      for (const part of [c.firstName, c.lastName]) {
        if (!part) continue;
        const lower = part.toLowerCase();
        if (lower.startsWith(needle) || lower.split(/[\s-]+/).some((w) => w.startsWith(needle))) return true;
      }
      return `${c.firstName ?? ""} ${c.lastName ?? ""}`.toLowerCase().includes(needle);
    };
  }
  switch (field) {
    case "state":
    case "customer_account_state": {
      const states = value.toUpperCase().split(",");
      return (c) => states.includes(c.state);
    }
    case "tag": {
      const match = textMatcher(value, true);
      return (c) => c.tags.some((t) => match(t));
    }
    case "tag_not": {
      const match = textMatcher(value, true);
      return (c) => !c.tags.some((t) => match(t));
    }
    case "email": {
      const match = textMatcher(value, true);
      return (c) => match(c.email);
    }
    case "first_name": {
      const match = textMatcher(value, true);
      return (c) => match(c.firstName);
    }
    case "last_name": {
      const match = textMatcher(value, true);
      return (c) => match(c.lastName);
    }
    case "phone": {
      const match = textMatcher(value, true);
      return (c) => match(c.phone);
    }
    case "verified_email": {
      const wanted = value.toLowerCase() === "true";
      return (c) => c.verifiedEmail === wanted;
    }
    case "id":
    case "orders_count": {
      const { op, operand } = comparison(value);
      const n = Number(operand.replace(/^gid:\/\/shopify\/Customer\//, ""));
      if (!Number.isFinite(n)) return () => false;
      return field === "id"
        ? (c) => compareNumbers(op, c.id, n)
        : (c) => compareNumbers(op, c.numberOfOrders, n);
    }
    case "created_at":
    case "updated_at":
    case "customer_date": {
      const { op, operand } = comparison(value);
      const at = parseDate(operand, now);
      if (at === null) {
        warnings.push({ field, message: `Invalid date value '${operand}'.` });
        return null;
      }
      const key = field === "updated_at" ? "updatedAt" : "createdAt";
      if (op === "=") {
        // A bare date matches that whole (UTC) day.
        const dayOnly = /^\d{4}-\d{2}-\d{2}$/.test(operand.trim());
        return dayOnly ? (c) => c[key] >= at && c[key] < at + 86_400_000 : (c) => c[key] === at;
      }
      return (c) => compareNumbers(op, c[key], at);
    }
    default:
      warnings.push({ field, message: "Invalid search field for this query." });
      return null;
  }
}

/** Compiles a search query into a predicate over customers. */
export function compileCustomerSearch(
  query: string | null | undefined,
  now: number = Date.now(),
): CompiledSearch {
  const warnings: SearchWarning[] = [];
  if (!query || !query.trim()) return { matches: () => true, warnings, matchesAll: true };
  const alternatives: Predicate[][] = [[]];
  for (const token of tokenize(query)) {
    if (token === "OR") {
      alternatives.push([]);
      continue;
    }
    const predicate = fieldPredicate(token, now, warnings);
    if (!predicate) continue;
    alternatives[alternatives.length - 1]!.push(token.negated ? (c) => !predicate(c) : predicate);
  }
  const groups = alternatives.filter((group) => group.length > 0);
  if (groups.length === 0) return { matches: () => true, warnings, matchesAll: true };
  if (groups.length === 1) {
    const group = groups[0]!;
    if (group.length === 1) return { matches: group[0]!, warnings, matchesAll: false };
    return { matches: (c) => group.every((p) => p(c)), warnings, matchesAll: false };
  }
  return { matches: (c) => groups.some((group) => group.every((p) => p(c))), warnings, matchesAll: false };
}
