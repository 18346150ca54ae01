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
