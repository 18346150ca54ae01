import type { IncomingMessage } from "node:http";
import { Transform, type TransformCallback } from "node:stream";
import {
  FLOW_BODY_MAX_BYTES,
  JSON_API_BODY_MAX_BYTES,
  OTHER_BODY_MAX_BYTES,
  PAGE_FORM_BODY_MAX_BYTES,
  WEBHOOK_BODY_MAX_BYTES,
} from "~/constants/http";

// How many bytes a request body may have, by route family. The production server (productionServer.server.ts)
// enforces them while reading: a Content-Length above the limit is refused before a byte is read, and a
// body without one (chunked) is counted as it streams and cut off with 413 the moment it crosses the
// limit. Every route is under one of these families, so every `request.formData()`, `request.text()`
// and `authenticate.webhook` reads a bounded body.

export interface BodyLimitFamily {
  name: string;
  /** Paths the family covers: each one, what lies under it, and its Remix data URL (`/app.data`). */
  prefixes: string[];
  maxBytes: number;
  why: string;
}

export const BODY_LIMIT_FAMILIES: BodyLimitFamily[] = [
  {
    name: "json-api",
    prefixes: ["/api"],
    maxBytes: JSON_API_BODY_MAX_BYTES,
    why: "POST /api/campaigns with 5,000 customer GIDs and a 5,000-character message is about 250 KB",
  },
  {
    name: "webhooks",
    prefixes: ["/webhooks"],
    maxBytes: WEBHOOK_BODY_MAX_BYTES,
    why: "Shopify's payloads can exceed 1 MB (customer and compliance payloads); a refused delivery is retried and can remove the subscription, so the limit is generous; the HMAC is checked after reading",
  },
  {
    name: "flow",
    prefixes: ["/flow"],
    maxBytes: FLOW_BODY_MAX_BYTES,
    why: "a Flow action request carries a few properties and ids (Flow actions: on the roadmap)",
  },
  {
    name: "pages",
    prefixes: ["/app"],
    maxBytes: PAGE_FORM_BODY_MAX_BYTES,
    why: "the app's form posts (settings, new campaign, campaign controls, up to 1,000 typed customer ids for an activation-link export, about 40 KB) stay well under it",
  },
];

export const DEFAULT_BODY_LIMIT: BodyLimitFamily = {
  name: "other",
  prefixes: [],
  maxBytes: OTHER_BODY_MAX_BYTES,
  why: "everything else (auth paths, the root) takes no meaningful body",
};

/** Whether `path` is `prefix`, under it, or its single-fetch data URL. */
function covers(prefix: string, path: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`) || path === `${prefix}.data`;
}

/** The family a request path belongs to (the longest matching prefix wins). */
export function bodyLimitFor(path: string): BodyLimitFamily {
  let best: BodyLimitFamily = DEFAULT_BODY_LIMIT;
  let bestLength = -1;
  for (const family of BODY_LIMIT_FAMILIES) {
    for (const prefix of family.prefixes) {
      if (covers(prefix, path) && prefix.length > bestLength) {
        best = family;
        bestLength = prefix.length;
      }
    }
  }
  return best;
}

export class BodyTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`request body larger than ${maxBytes} bytes`);
    this.name = "BodyTooLarge";
  }
}

/** The declared Content-Length, or null when the body is chunked (or the header is malformed). */
export function declaredLength(request: IncomingMessage): number | null {
  const header = request.headers["content-length"];
  if (header === undefined || !/^\d+$/.test(header)) return null;
  return Number(header);
}

/**
 * The request body as a stream that errors with BodyTooLarge once more than `maxBytes` have arrived;
 * `onTooLarge` is called at that moment (the server answers 413 then, without waiting for the handler).
 * The request's own errors and an aborted upload error the stream too: a reader never sees a truncated
 * body as a complete one.
 */
export function countedBody(request: IncomingMessage, maxBytes: number, onTooLarge: () => void): Transform {
  let received = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      received += chunk.length;
      if (received > maxBytes) {
        request.unpipe(counter);
        onTooLarge();
        callback(new BodyTooLarge(maxBytes));
        return;
      }
      callback(null, chunk);
    },
  });
  request.once("aborted", () => counter.destroy(new Error("the client aborted the upload")));
  request.once("error", (error) => counter.destroy(error));
  request.pipe(counter);
  return counter;
}

/**
 * Called once an answer is sent: a 413, or a handler that answered without reading the whole body (a
 * redirect to log in, a 401), leaves the client uploading. Closing the socket at once would reset the
 * connection while the client is still writing, and a reset can discard the answer before the client
 * reads it. So the rest is read and thrown away (nothing is kept) for `graceMs`, the client having that
 * long to read the answer, then the connection is closed; a body that ends within the grace leaves the
 * connection usable for the next request.
 */
export function closeAfterUnreadBody(
  request: IncomingMessage,
  body: Transform | null,
  graceMs = 2_000,
): void {
  if (request.complete) return;
  if (body) {
    request.unpipe(body);
    body.destroy(new Error("answered before the body was read"));
  }
  const timer = setTimeout(() => request.socket?.destroy(), graceMs);
  timer.unref();
  request.once("end", () => clearTimeout(timer));
  request.on("data", () => {});
  request.resume();
}
