import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "~/utils/cursor";

describe("list cursors", () => {
  it("round-trips the time and id of the last row", () => {
    const position = { at: new Date("2026-11-23T10:00:00.123Z"), id: "cm1abc" };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it("treats a missing or tampered cursor as the first page", () => {
    expect(decodeCursor(null)).toBeNull();
    expect(decodeCursor("")).toBeNull();
    expect(decodeCursor("not-a-cursor")).toBeNull();
    expect(decodeCursor(Buffer.from("abc|id").toString("base64url"))).toBeNull();
  });
});
