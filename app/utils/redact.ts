// Secrets out of log lines, at any depth. The logger (logger.server.ts) passes every object it writes
// through `redactDeep` and every message through `redactString`; the request log does the same for
// query strings and headers. Two rules, applied everywhere:
//   - by key: a property named like a credential (accessToken, id_token, hmac, authorization, cookie,
//     password, accountActivationUrl, ...) is replaced whatever its value;
//   - by value: a string that holds a Shopify token (shpat_, shpua_, shpca_, shprt_, ...), a JWT (session
//     tokens), an activation or invite link (/account/activate/...), a bearer credential, a long hex
//     secret, or `id_token=`/`hmac=`/`session=`/`code=`/`state=` inside a URL has that part replaced.
// The walk is bounded (depth, keys, array items, nodes) and safe on cycles, so an error object carrying
// a whole response body (the Shopify library's `err.body`, `err.response`) costs little and leaks nothing.

export const REDACTED = "[redacted]";

export interface RedactOptions {
  /** Nesting levels walked below the top object; deeper values become "[depth limit]". */
  maxDepth?: number;
  /** Items kept from an array; the rest are summarised as "[+N more]". */
  maxArrayItems?: number;
  /** Properties kept from one object. */
  maxKeys?: number;
  /** Values visited in one walk; beyond it, "[truncated]". */
  maxNodes?: number;
}

const DEFAULTS: Required<RedactOptions> = { maxDepth: 10, maxArrayItems: 100, maxKeys: 200, maxNodes: 5_000 };

/** Keys whose value is a credential, compared without case, `_` or `-` (so `id_token`, `idToken`, `ID-Token`). */
const SECRET_KEYS = new Set([
  "accesstoken",
  "refreshtoken",
  "idtoken",
  "sessiontoken",
  "token",
  "hmac",
  "xshopifyhmacsha256",
  "xshopifyaccesstoken",
  "authorization",
  "proxyauthorization",
  "cookie",
  "setcookie",
  "password",
  "secret",
  "apisecret",
  "apisecretkey",
  "clientsecret",
  "signature",
  "session",
  "accountactivationurl",
  "activationurl",
  "inviteurl",
]);

/** Whether a property of this name holds a credential (its value is replaced, whatever it is). */
export function isSecretKey(key: string): boolean {
  const normal = key.toLowerCase().replace(/[-_]/g, "");
  return SECRET_KEYS.has(normal) || /(token|secret|password)$/.test(normal);
}

/** URL parameters whose value is a credential: session tokens, HMACs, OAuth codes and states. */
export const SECRET_QUERY_PARAMS = [
  "id_token",
  "hmac",
  "session",
  "code",
  "state",
  "signature",
  "access_token",
  "refresh_token",
  "session_token",
  "token",
];

const PATTERNS: [RegExp, string][] = [
  // Activation and invite links (whole URL, with or without scheme and host).
  [/(?:https?:\/\/[^\s"'<>]*)?\/account\/(?:activate|invitation|reset)\/[^\s"'<>]+/gi, "[redacted link]"],
  // Credentials inside a URL or query string.
  [new RegExp(`([?&#;](?:${SECRET_QUERY_PARAMS.join("|")})=)[^&#\\s"'<>]*`, "gi"), `$1${REDACTED}`],
  // JWTs (session tokens, id_token).
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, "[redacted jwt]"],
  // Shopify tokens: shpat_ (offline), shpua_ (online), shpca_, shppa_, shpss_, shprt_ (refresh), ...
  [/\bshp[a-z]{2,4}_[A-Za-z0-9]{8,}/g, "[redacted token]"],
  // Authorization header values.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  // Long hex secrets (activation tokens, Shopify's `session` values, HMACs in hex).
  [/\b[0-9a-fA-F]{32,}\b/g, REDACTED],
];

/** The string with every credential it holds replaced. */
export function redactString(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** A copy of `value` fit for a log line: credentials replaced by key and by value, at any depth. */
export function redactDeep(value: unknown, options: RedactOptions = {}): unknown {
  const limits = { ...DEFAULTS, ...options };
  const ancestors = new Set<object>();
  let nodes = 0;

  function walk(node: unknown, depth: number): unknown {
    nodes++;
    if (nodes > limits.maxNodes) return "[truncated]";
    if (typeof node === "string") return redactString(node);
    if (typeof node === "bigint") return String(node);
    if (typeof node === "function" || typeof node === "symbol") return undefined;
    if (node === null || typeof node !== "object") return node;
    if (ancestors.has(node)) return "[circular]";
    if (depth > limits.maxDepth) return "[depth limit]";
    if (node instanceof Date) return Number.isNaN(node.getTime()) ? "Invalid Date" : node.toISOString();
    if (node instanceof URL) return redactString(node.href);
    if (ArrayBuffer.isView(node) || node instanceof ArrayBuffer) return `[binary ${node.byteLength} bytes]`;
    ancestors.add(node);
    try {
      return walkObject(node, depth);
    } finally {
      ancestors.delete(node);
    }
  }

  function walkEntries(entries: Iterable<[string, unknown]>, depth: number, into: Record<string, unknown>) {
    let count = 0;
    for (const [key, item] of entries) {
      if (count++ >= limits.maxKeys) {
        into["[more keys]"] = "[truncated]";
        break;
      }
      if (isSecretKey(key)) {
        into[key] = item === undefined || item === null || item === "" ? item : REDACTED;
        continue;
      }
      const walked = walk(item, depth + 1);
      if (walked !== undefined) into[key] = walked;
    }
    return into;
  }

  function walkObject(node: object, depth: number): unknown {
    if (Array.isArray(node)) {
      const out = node.slice(0, limits.maxArrayItems).map((item) => {
        const walked = walk(item, depth + 1);
        return walked === undefined ? null : walked;
      });
      if (node.length > limits.maxArrayItems) out.push(`[+${node.length - limits.maxArrayItems} more]`);
      return out;
    }
    if (node instanceof Error) {
      const out: Record<string, unknown> = {
        type: node.name || node.constructor?.name || "Error",
        message: redactString(String(node.message)),
      };
      if (node.stack) out.stack = redactString(node.stack);
      walkEntries(Object.entries(node), depth, out);
      if (node.cause !== undefined) out.cause = walk(node.cause, depth + 1);
      if (node instanceof AggregateError) out.errors = walk(node.errors, depth + 1);
      return out;
    }
    if (typeof Response !== "undefined" && node instanceof Response) {
      return {
        type: "Response",
        status: node.status,
        statusText: node.statusText,
        url: redactString(node.url),
      };
    }
    if (typeof Headers !== "undefined" && node instanceof Headers) {
      return walkEntries(node.entries(), depth, {});
    }
    if (node instanceof Map) {
      return walkEntries(
        [...node.entries()].map(([key, item]) => [String(key), item] as [string, unknown]),
        depth,
        {},
      );
    }
    if (node instanceof Set) return walkObject([...node], depth);
    const withJson = node as { toJSON?: () => unknown };
    if (typeof withJson.toJSON === "function") {
      let json: unknown;
      try {
        json = withJson.toJSON();
      } catch {
        return "[unserializable]";
      }
      if (json !== node) return walk(json, depth);
    }
    return walkEntries(Object.entries(node), depth, {});
  }

  return walk(value, 0);
}
