// CSV as spreadsheets read it (RFC 4180). Cells that a spreadsheet would run as a formula (=, +, -, @)
// are prefixed with a quote: exports hold text other people typed (messages, search queries).
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Rows as CSV text, each line ending in CRLF. */
export function toCsv(rows: string[][]): string {
  return rows.map((row) => row.map(cell).join(",") + "\r\n").join("");
}

/** The headers of a CSV download (the browser saves it as `filename`; nothing caches it). */
export function csvHeaders(filename: string): HeadersInit {
  return {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${filename.replace(/[^\w.-]/g, "_")}"`,
    "Cache-Control": "no-store",
  };
}

/**
 * A CSV download streamed page by page: `nextRows(last)` reads the page after the last row written
 * (null for the first); a short page ends the stream. Nothing but one page is ever in memory.
 */
export function streamCsv<Row>({
  header,
  nextRows,
  toCells,
  pageSize = 1_000,
}: {
  header: string[];
  nextRows: (last: Row | null) => Promise<Row[]>;
  toCells: (row: Row) => string[];
  pageSize?: number;
}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let last: Row | null = null;
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(toCsv([header])));
      }
      const rows = await nextRows(last);
      const tail = rows.at(-1);
      if (tail === undefined) {
        controller.close();
        return;
      }
      last = tail;
      controller.enqueue(encoder.encode(toCsv(rows.map(toCells))));
      if (rows.length < pageSize) controller.close();
    },
  });
}
