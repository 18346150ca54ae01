import { describe, expect, it } from "vitest";
import { batchSize, idealSeconds, levelAt, msUntilAvailable, Pacer } from "~/services/sending/pacing";

// Presets as Shopify reports them (https://shopify.dev/docs/api/usage/limits): standard 2,000 / 100 per s, plus 20,000 / 1,000 per s.
const standard = { maximumAvailable: 2_000, restoreRate: 100 };
const plus = { maximumAvailable: 20_000, restoreRate: 1_000 };

describe("the bucket model", () => {
  it("refills at the restore rate and never above the maximum", () => {
    const bucket = { ...standard, level: 500, at: 10_000 };
    expect(levelAt(bucket, 10_000)).toBe(500);
    expect(levelAt(bucket, 12_500)).toBe(750); // 2.5 s × 100
    expect(levelAt(bucket, 40_000)).toBe(2_000); // 30 s would give 3,500: capped
    expect(levelAt(bucket, 9_000)).toBe(500); // a clock that steps back adds nothing
  });

  it("waits exactly until the points are there", () => {
    const bucket = { ...standard, level: 250, at: 0 };
    expect(msUntilAvailable(bucket, 1_000, 0)).toBe(7_500); // 750 missing at 100/s
    expect(msUntilAvailable(bucket, 1_000, 5_000)).toBe(2_500);
    expect(msUntilAvailable(bucket, 200, 0)).toBe(0);
  });
});

describe("batchSize", () => {
  it("fills a request up to 1,000 requested points (100 invites at 10 points)", () => {
    expect(batchSize({ remaining: 5_000, cost: 10, ...plus })).toBe(100);
    expect(batchSize({ remaining: 5_000, cost: 10, ...standard })).toBe(100);
  });

  it("never asks for more than remain", () => {
    expect(batchSize({ remaining: 37, cost: 10, ...plus })).toBe(37);
  });

  it("keeps a request within a bucket smaller than 1,000 points", () => {
    expect(batchSize({ remaining: 5_000, cost: 10, maximumAvailable: 50 })).toBe(5);
    expect(batchSize({ remaining: 5_000, cost: 10, maximumAvailable: 255 })).toBe(25);
  });

  it("honours a smaller alias cap", () => {
    expect(batchSize({ remaining: 5_000, cost: 10, ...plus, maxBatch: 40 })).toBe(40);
  });
});

describe("idealSeconds", () => {
  it("is the time to restore what the full bucket does not cover", () => {
    // 5,000 invites × 10 = 50,000 points; 20,000 at once; 30,000 at 1,000/s = 30 s
    expect(idealSeconds({ invites: 5_000, cost: 10, ...plus })).toBe(30);
    // 500 × 10 = 5,000; 2,000 at once; 3,000 at 100/s = 30 s
    expect(idealSeconds({ invites: 500, cost: 10, ...standard })).toBe(30);
    expect(idealSeconds({ invites: 100, cost: 10, ...plus })).toBe(0);
  });
});

describe("Pacer", () => {
  const options = { maxInFlight: 2, marginPoints: 0 };

  it("sends at once from a full bucket, then waits exactly for each next batch", () => {
    // GIVEN a standard bucket, full, and 500 invites to send
    const pacer = new Pacer({ ...standard, level: 2_000, at: 0 }, options);
    // WHEN the first two batches go out
    expect(pacer.plan({ remaining: 500, cost: 10, now: 0 })).toEqual({
      action: "send",
      size: 100,
      points: 1_000,
      waitMs: 0,
    });
    pacer.reserve("a", 1_000, 0);
    expect(pacer.plan({ remaining: 400, cost: 10, now: 0 })).toMatchObject({ size: 100, waitMs: 0 });
    pacer.reserve("b", 1_000, 0);
    // THEN the window is full until an answer comes
    expect(pacer.plan({ remaining: 300, cost: 10, now: 0 })).toEqual({ action: "await-response" });
    // AND once both are answered (Shopify reports 20 points restored by then), the third waits 9.8 s
    pacer.settle("a", { ...standard, currentlyAvailable: 10 }, 100);
    pacer.settle("b", { ...standard, currentlyAvailable: 20 }, 200);
    expect(pacer.plan({ remaining: 300, cost: 10, now: 200 })).toEqual({
      action: "send",
      size: 100,
      points: 1_000,
      waitMs: 9_800,
    });
  });

  it("keeps the points of later requests reserved when an earlier one answers", () => {
    // GIVEN two requests in flight from a full standard bucket (model: 0 left at t=0)
    const pacer = new Pacer({ ...standard, level: 2_000, at: 0 }, options);
    pacer.reserve("a", 1_000, 0);
    pacer.reserve("b", 1_000, 0);
    // WHEN the first answers at t=500 ms reporting 1,050 (b had not started on Shopify's side yet)
    pacer.settle("a", { ...standard, currentlyAvailable: 1_050 }, 500);
    // THEN b's 1,000 points are still counted: the model keeps its own 50 points, not 1,050
    expect(levelAt(pacer.model, 500)).toBe(50);
  });

  it("adopts a lower figure from Shopify when something else used the bucket", () => {
    const pacer = new Pacer({ ...plus, level: 20_000, at: 0 }, options);
    pacer.reserve("a", 1_000, 0);
    // Another app screen spent 15,000 points meanwhile
    pacer.settle("a", { ...plus, currentlyAvailable: 4_000 }, 1_000);
    expect(levelAt(pacer.model, 1_000)).toBe(4_000);
    expect(pacer.plan({ remaining: 1_000, cost: 10, now: 1_000 })).toMatchObject({ size: 100, waitMs: 0 });
  });

  it("re-anchors on a THROTTLED answer and waits for the exact shortfall", () => {
    const pacer = new Pacer({ ...standard, level: 2_000, at: 0 }, options);
    pacer.reserve("a", 1_000, 0);
    // A burst elsewhere drained the bucket: Shopify refuses the request and reports 300 available
    pacer.settle("a", { ...standard, currentlyAvailable: 300 }, 50);
    expect(pacer.plan({ remaining: 100, cost: 10, now: 50 })).toMatchObject({ size: 100, waitMs: 7_000 });
  });

  it("keeps the points spent when a request ends without an answer (it may have run)", () => {
    const pacer = new Pacer({ ...standard, level: 2_000, at: 0 }, options);
    pacer.reserve("a", 1_000, 0);
    pacer.settle("a", null, 30_000);
    expect(pacer.requestsInFlight).toBe(0);
    expect(levelAt(pacer.model, 0)).toBe(1_000);
  });

  it("learns the real limits from the first answer", () => {
    const pacer = Pacer.unknown(0, options);
    pacer.reserve("probe", 2, 0);
    pacer.settle("probe", { ...plus, currentlyAvailable: 19_998 }, 10);
    expect(pacer.model).toMatchObject({ maximumAvailable: 20_000, restoreRate: 1_000, level: 19_998 });
  });

  it("keeps one point of margin by default, as Shopify rounds its figure down", () => {
    const pacer = new Pacer({ ...standard, level: 0, at: 0 }, { maxInFlight: 1 });
    expect(pacer.plan({ remaining: 100, cost: 10, now: 0 })).toMatchObject({ waitMs: 10_010 });
  });

  it("refuses an item that can never fit the bucket", () => {
    const pacer = new Pacer({ maximumAvailable: 5, restoreRate: 1, level: 5, at: 0 }, options);
    expect(() => pacer.plan({ remaining: 1, cost: 10, now: 0 })).toThrow(/never fit/);
  });
});
