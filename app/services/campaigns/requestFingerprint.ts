import { createHash } from "node:crypto";

// Idempotency like Stripe's: a key names one request. The request is remembered as a fingerprint, the
// sha256 of a canonical JSON of its parsed input (object keys sorted, undefined left out), stored with
// the campaign the key created. A replay with the same key compares fingerprints: the same request
// answers with the first campaign, another request is refused (422, `api.idempotencyKeyReused`). Rows
// recorded before fingerprints existed have none and are treated as matching.

/** JSON with object keys sorted at every depth, so equal inputs give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
}

/** The fingerprint of a request's parsed input (without its idempotency key). */
export function requestFingerprint(input: unknown): string {
  return createHash("sha256").update(canonicalJson(input)).digest("hex");
}

/** A replay matches when both fingerprints are equal, or when the stored row predates fingerprints. */
export function sameRequest(stored: string | null, replayed: string): boolean {
  return stored === null || stored === replayed;
}

/** A key already used for another request: nothing new was recorded or sent. */
export class IdempotencyKeyReused extends Error {
  constructor() {
    super("idempotency key already used for another request");
    this.name = "IdempotencyKeyReused";
  }
}
