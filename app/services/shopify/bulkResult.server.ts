// Streams a bulk operation's JSONL result file line by line: a streaming fetch and a line splitter, so
// a file of any size is never held in memory (one chunk and one partial line at a time). `fromByte`
// resumes after a crash: asked with `Range: bytes=n-`; a server that ignores the range (200) has its
// first n bytes skipped as they arrive. The URL is Shopify's signed storage URL: no credentials are sent.

export interface ResultLine {
  line: string;
  /** Byte offset just after this line's newline: where the next read resumes. */
  endOffset: number;
}

export class BulkResultUnavailable extends Error {
  constructor(
    readonly status: number | null,
    message: string,
  ) {
    super(message);
    this.name = "BulkResultUnavailable";
  }
}

export async function* streamResultLines(
  url: string,
  { fromByte = 0, signal }: { fromByte?: number; signal?: AbortSignal } = {},
): AsyncGenerator<ResultLine> {
  let response: Response;
  try {
    response = await fetch(url, { headers: fromByte > 0 ? { Range: `bytes=${fromByte}-` } : {}, signal });
  } catch (error) {
    throw new BulkResultUnavailable(null, error instanceof Error ? error.message : String(error));
  }
  if (response.status === 416) return; // the file ends exactly at the resume point
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    throw new BulkResultUnavailable(response.status, `result file answered HTTP ${response.status}`);
  }
  let skip = response.status === 206 ? 0 : fromByte;
  let offset = fromByte;
  let pending: Buffer[] = [];
  let pendingLength = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let chunk = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      if (skip > 0) {
        const dropped = Math.min(skip, chunk.length);
        chunk = chunk.subarray(dropped);
        skip -= dropped;
        if (chunk.length === 0) continue;
      }
      let start = 0;
      for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10, start)) {
        const piece = chunk.subarray(start, newline);
        const bytes = pendingLength + piece.length + 1;
        const line =
          pendingLength > 0 ? Buffer.concat([...pending, piece]).toString("utf8") : piece.toString("utf8");
        pending = [];
        pendingLength = 0;
        offset += bytes;
        start = newline + 1;
        if (line.length > 0) yield { line, endOffset: offset };
      }
      if (start < chunk.length) {
        // Copied: the reader may reuse its buffer.
        const rest = Buffer.from(chunk.subarray(start));
        pending.push(rest);
        pendingLength += rest.length;
      }
    }
    if (pendingLength > 0) {
      offset += pendingLength;
      yield { line: Buffer.concat(pending).toString("utf8"), endOffset: offset };
    }
  } finally {
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
