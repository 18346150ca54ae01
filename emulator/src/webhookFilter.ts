// Webhook subscription filters and include_fields, applied to a payload as Shopify does (delivery
// filtering: the filter, in search syntax, is evaluated on the full payload and suppresses the delivery
// when false; include_fields then keeps only the listed fields). Supported syntax: `field:value`
// (case-insensitive equality; `*` = present and not null; `>`, `>=`, `<`, `<=` for numbers and ISO
// times), dotted paths into objects and arrays (any element matches), `AND` (or juxtaposition), `OR`,
// `NOT`/`-`, parentheses. Choices where Shopify documents nothing are listed in emulator/README.md.

type Node =
  | { kind: "term"; path: string[]; op: "=" | ">" | ">=" | "<" | "<="; value: string }
  | { kind: "and" | "or"; items: Node[] }
  | { kind: "not"; item: Node };

function tokenize(filter: string): string[] {
  const tokens: string[] = [];
  const re = /\s*(\(|\)|"[^"]*"|[^\s()]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(filter))) tokens.push(m[1]!);
  return tokens;
}

export function parseWebhookFilter(filter: string): Node {
  const tokens = tokenize(filter);
  let i = 0;
  const peek = () => tokens[i];
  function expr(): Node {
    const items = [and()];
    while (peek() === "OR") {
      i++;
      items.push(and());
    }
    return items.length === 1 ? items[0]! : { kind: "or", items };
  }
  function and(): Node {
    const items = [unary()];
    while (peek() !== undefined && peek() !== ")" && peek() !== "OR") {
      if (peek() === "AND") i++;
      items.push(unary());
    }
    return items.length === 1 ? items[0]! : { kind: "and", items };
  }
  function unary(): Node {
    const token = peek();
    if (token === "NOT") {
      i++;
      return { kind: "not", item: unary() };
    }
    if (token?.startsWith("-") && token.length > 1) {
      tokens[i] = token.slice(1);
      return { kind: "not", item: unary() };
    }
    return primary();
  }
  function primary(): Node {
    const token = tokens[i++];
    if (token === undefined) throw new Error(`filter ends early: ${filter}`);
    if (token === "(") {
      const inner = expr();
      if (tokens[i++] !== ")") throw new Error(`unbalanced parentheses: ${filter}`);
      return inner;
    }
    const m = /^([A-Za-z0-9_.]+):(>=|<=|>|<)?(.*)$/.exec(token);
    if (!m) throw new Error(`not a field:value term: ${token}`);
    return {
      kind: "term",
      path: m[1]!.split("."),
      op: (m[2] as "=" | ">" | ">=" | "<" | "<=" | undefined) ?? "=",
      value: m[3]!.replace(/^"|"$/g, ""),
    };
  }
  const node = expr();
  if (i < tokens.length) throw new Error(`unexpected ${tokens[i]} in filter: ${filter}`);
  return node;
}

function valuesAt(value: unknown, path: string[]): unknown[] {
  if (path.length === 0) return Array.isArray(value) ? value : [value];
  if (Array.isArray(value)) return value.flatMap((item) => valuesAt(item, path));
  if (value === null || typeof value !== "object") return [];
  return valuesAt((value as Record<string, unknown>)[path[0]!], path.slice(1));
}

function compare(actual: unknown, op: string, expected: string): boolean {
  if (actual === null || actual === undefined) return false;
  if (expected === "*" && op === "=") return true;
  if (op === "=") return String(actual).toLowerCase() === expected.toLowerCase();
  const a = typeof actual === "number" ? actual : Number(actual);
  const b = Number(expected);
  const [x, y] =
    Number.isFinite(a) && Number.isFinite(b) ? [a, b] : [Date.parse(String(actual)), Date.parse(expected)];
  if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
  return op === ">" ? x > y : op === ">=" ? x >= y : op === "<" ? x < y : x <= y;
}

function evaluate(node: Node, payload: unknown): boolean {
  switch (node.kind) {
    case "and":
      return node.items.every((item) => evaluate(item, payload));
    case "or":
      return node.items.some((item) => evaluate(item, payload));
    case "not":
      return !evaluate(node.item, payload);
    case "term":
      return valuesAt(payload, node.path).some((value) => compare(value, node.op, node.value));
  }
}

export function matchesWebhookFilter(filter: string | undefined, payload: unknown): boolean {
  if (!filter) return true;
  return evaluate(parseWebhookFilter(filter), payload);
}

/** The payload with only `fields` (top-level names or dotted paths into objects). */
export function includeFields(payload: unknown, fields: string[] | undefined): unknown {
  if (!fields || fields.length === 0 || payload === null || typeof payload !== "object") return payload;
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const [head, ...rest] = field.split(".");
    const value = (payload as Record<string, unknown>)[head!];
    if (value === undefined) continue;
    if (rest.length === 0) out[head!] = value;
    else {
      const nested = includeFields(value, [rest.join(".")]);
      out[head!] = {
        ...((out[head!] as Record<string, unknown>) ?? {}),
        ...(nested as Record<string, unknown>),
      };
    }
  }
  return out;
}
