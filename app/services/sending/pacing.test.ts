import { describe, expect, it } from "vitest";
import {
  ARRIVAL_MS,
  batchSize,
  idealSeconds,
  inFlightLimit,
  levelAt,
  msUntilAvailable,
  Pacer,
} from "~/services/sending/pacing";

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
  // Requests reach Shopify at once here (arrivalMs 0); the transit is tested on its own below.
  const options = { maxInFlight: 2, marginPoints: 0, arrivalMs: 0 };

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

describe("inFlightLimit", () => {
  const base = { requestPoints: 1_000, level: 0, inFlight: 0, ceiling: 20 };

  it("keeps the restore rate busy for the request time: ⌈rate × latency ÷ points⌉ + 1", () => {
    // Plus: 1,000 points/s, a 1,000-point request every second; each takes 2 s → 2 out, plus 1 ready
    expect(inFlightLimit({ ...base, ...plus, latencyMs: 2_000 })).toBe(3);
    expect(inFlightLimit({ ...base, ...plus, latencyMs: 5_000 })).toBe(6);
    expect(inFlightLimit({ ...base, ...plus, latencyMs: 1_000 })).toBe(2);
    // A fraction of a request still needs a whole one
    expect(inFlightLimit({ ...base, ...plus, latencyMs: 2_100 })).toBe(4);
    // Standard: 100 points/s, a request every 10 s: one at a time plus the next
    expect(inFlightLimit({ ...base, ...standard, latencyMs: 5_000 })).toBe(2);
  });

  it("allows the throughput the bucket's rate needs at 1–5 s per request, which 3 fixed requests could not", () => {
    for (const latencyMs of [1_000, 2_000, 3_000, 4_000, 5_000]) {
      const window = inFlightLimit({ ...base, ...plus, latencyMs });
      // requests in flight × points each ÷ seconds each ≥ the restore rate
      expect((window * base.requestPoints) / (latencyMs / 1000)).toBeGreaterThanOrEqual(plus.restoreRate);
    }
    expect((3 * 1_000) / 5).toBeLessThan(plus.restoreRate); // the old fixed window at 5 s: 600/s
  });

  it("spends a full bucket at once: as many requests as the points already there pay for", () => {
    expect(inFlightLimit({ ...base, ...plus, latencyMs: 2_000, level: 20_000 })).toBe(20);
    expect(inFlightLimit({ ...base, ...plus, latencyMs: 2_000, level: 7_500, inFlight: 4 })).toBe(11);
  });

  it("never goes above the ceiling, nor below one request", () => {
    expect(inFlightLimit({ ...base, ...plus, latencyMs: 60_000 })).toBe(20);
    expect(inFlightLimit({ ...base, ...plus, latencyMs: 2_000, level: 1e9 })).toBe(20);
    expect(inFlightLimit({ ...base, ...plus, latencyMs: 2_000, ceiling: 1 })).toBe(1);
    expect(inFlightLimit({ ...base, restoreRate: 0, latencyMs: 0 })).toBe(1);
  });
});

describe("Pacer window", () => {
  it("follows the observed request time", () => {
    // GIVEN a Plus bucket nearly empty, so only the steady part counts
    const pacer = new Pacer({ ...plus, level: 0, at: 0 }, { maxInFlight: 20, initialLatencyMs: 1_000 });
    expect(pacer.window(1_000, 0)).toBe(2);
    // WHEN invite requests take 5 s each
    let now = 0;
    for (let i = 0; i < 40; i++) {
      pacer.reserve(`r${i}`, 1, now);
      now += 5_000;
      pacer.settle(`r${i}`, { ...plus, currentlyAvailable: 0 }, now);
    }
    // THEN the window grows to keep 1,000 points/s going: 5 out and one ready
    expect(Math.round(pacer.observedLatencyMs)).toBe(5_000);
    expect(pacer.window(1_000, now)).toBe(6);
  });

  it("does not count the time of reads, which are small and quick", () => {
    const pacer = new Pacer({ ...plus, level: 0, at: 0 }, { maxInFlight: 20, initialLatencyMs: 3_000 });
    pacer.reserve("read", 2, 0, { timed: false });
    pacer.settle("read", { ...plus, currentlyAvailable: 0 }, 50);
    expect(pacer.observedLatencyMs).toBe(3_000);
  });

  it("never reserves more points than the bucket holds, whatever the window", () => {
    // GIVEN a huge window and a bucket with 2,500 points
    const pacer = new Pacer(
      { ...plus, level: 2_500, at: 0 },
      { maxInFlight: 50, marginPoints: 0, arrivalMs: 0 },
    );
    const sent: number[] = [];
    for (let i = 0; i < 10; i++) {
      const plan = pacer.plan({ remaining: 1_000, cost: 10, now: 0 });
      if (plan.action !== "send" || plan.waitMs > 0) break;
      pacer.reserve(`r${i}`, plan.points, 0);
      sent.push(plan.points);
    }
    // THEN two requests of 1,000 go at once; the third waits for its points
    expect(sent).toEqual([1_000, 1_000]);
    expect(pacer.plan({ remaining: 1_000, cost: 10, now: 0 })).toMatchObject({ action: "send", waitMs: 500 });
  });

  it("keeps its own model when Shopify's figure is higher (a refund, learnt once nothing is in flight)", () => {
    const pacer = new Pacer(
      { ...plus, level: 3_000, at: 0 },
      { maxInFlight: 5, marginPoints: 0, arrivalMs: 0 },
    );
    pacer.reserve("a", 1_000, 0);
    pacer.reserve("b", 1_000, 0);
    pacer.reserve("c", 1_000, 0);
    // b and c went out a second ago: Shopify has them, and still reports more than the model (a refund)
    pacer.settle("a", { ...plus, currentlyAvailable: 1_500 }, 1_000);
    expect(levelAt(pacer.model, 1_000)).toBe(1_000);
  });
});

describe("Pacer, requests on their way to Shopify", () => {
  it("sets a travelling request's points aside, and lets a full bucket refill nothing until it surely arrived", () => {
    // GIVEN a full Plus bucket; Shopify takes the points when the request arrives, up to 500 ms later
    const pacer = new Pacer({ ...plus, level: 20_000, at: 0 }, { maxInFlight: 20, marginPoints: 0 });
    expect(ARRIVAL_MS).toBe(500);
    // WHEN a request of 1,000 leaves
    pacer.reserve("a", 1_000, 0);
    // THEN its points are not available to the next request
    expect(pacer.available(0)).toBe(19_000);
    // AND while it may still be travelling, the full bucket refills nothing (Shopify's would not either)
    expect(pacer.available(400)).toBe(19_000);
    // AND once it surely arrived (500 ms), the bucket refills from there at 1,000/s
    expect(pacer.available(500)).toBe(19_000);
    expect(pacer.available(700)).toBe(19_200);
  });

  it("loses nothing to the transit when the bucket is below its maximum", () => {
    const pacer = new Pacer({ ...standard, level: 1_000, at: 0 }, { maxInFlight: 5, marginPoints: 0 });
    pacer.reserve("a", 500, 0);
    expect(pacer.available(0)).toBe(500);
    expect(pacer.available(1_000)).toBe(600);
  });

  it("never goes below what a fast bucket holds (a restore rate far above the bucket)", () => {
    // 20,000 points/s into 2,000: the bucket is full again within 0.1 s
    const fast = { maximumAvailable: 2_000, restoreRate: 20_000 };
    const pacer = new Pacer({ ...fast, level: 2_000, at: 0 }, { maxInFlight: 5, marginPoints: 0 });
    pacer.reserve("a", 50, 0);
    expect(pacer.available(0)).toBe(1_950);
    expect(pacer.plan({ remaining: 5, cost: 10, now: 10 })).toMatchObject({ action: "send", waitMs: 0 });
    expect(pacer.available(600)).toBe(2_000);
  });

  it("trusts an answer's figure while others are in flight unless it is lower than the model allows", () => {
    // GIVEN three requests out from a bucket of 2,000 (standard)
    const pacer = new Pacer(
      { ...standard, level: 2_000, at: 0 },
      { maxInFlight: 5, marginPoints: 0, arrivalMs: 250 },
    );
    pacer.reserve("a", 500, 0);
    pacer.reserve("b", 500, 1_000);
    pacer.reserve("c", 500, 2_900);
    // a and b arrived (a into a full bucket: 250 ms of refill lost); c may still be travelling
    // bucket at 3,000: 2,000 − 500 (at 250) − 500 (at 1,250) + 2,750 ms × 100 = 1,275, less c: 775
    expect(pacer.available(3_000)).toBe(775);
    // WHEN a answers reporting 1,200: b charged, c perhaps too — no less than the model allows
    pacer.settle("a", { ...standard, currentlyAvailable: 1_200 }, 3_000);
    // THEN the model stands
    expect(pacer.available(3_000)).toBe(775);
    // WHEN b answers reporting 200: something else spent points
    pacer.settle("b", { ...standard, currentlyAvailable: 200 }, 3_000);
    // THEN Shopify's figure is adopted, less c, which may not have been counted in it
    expect(pacer.available(3_000)).toBe(-300);
  });
});
