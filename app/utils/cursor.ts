// The one cursor format of the app's lists: the (time, id) of the last row shown, opaque to the page.
// Lists ordered by (time desc, id desc) read the next page strictly before it. Tested in cursor.test.ts.

export interface Position {
  at: Date;
  id: string;
}

export function encodeCursor(position: Position): string {
  return Buffer.from(`${position.at.getTime()}|${position.id}`).toString("base64url");
}

/** null for a missing or malformed cursor (the list then starts at its first page). */
export function decodeCursor(cursor: string | null | undefined): Position | null {
  if (!cursor) return null;
  const [at, id, extra] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const time = Number(at);
  return Number.isFinite(time) && id && extra === undefined ? { at: new Date(time), id } : null;
}
