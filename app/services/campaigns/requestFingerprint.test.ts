import { describe, expect, it } from "vitest";
import { canonicalJson, requestFingerprint, sameRequest } from "./requestFingerprint";

describe("request fingerprints", () => {
  it("ignores the order of object keys and undefined values", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 2], c: "x" }, z: undefined })).toBe(
      '{"a":{"c":"x","d":[1,2]},"b":1}',
    );
    expect(requestFingerprint({ query: "state:disabled", includeDeclined: false })).toBe(
      requestFingerprint({ includeDeclined: false, query: "state:disabled" }),
    );
  });

  it("differs when any value differs, including an array's order and a nested field", () => {
    const base = { customerIds: ["a", "b"], email: { subject: "Hi" }, includeDeclined: false };
    const fingerprint = requestFingerprint(base);
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(requestFingerprint({ ...base, customerIds: ["b", "a"] })).not.toBe(fingerprint);
    expect(requestFingerprint({ ...base, email: { subject: "Hello" } })).not.toBe(fingerprint);
    expect(requestFingerprint({ ...base, includeDeclined: true })).not.toBe(fingerprint);
    expect(requestFingerprint({ ...base, email: undefined })).not.toBe(fingerprint);
  });

  it("treats a row recorded before fingerprints as the same request", () => {
    expect(sameRequest(null, "f")).toBe(true);
    expect(sameRequest("f", "f")).toBe(true);
    expect(sameRequest("f", "g")).toBe(false);
  });
});
