import { describe, expect, it } from "vitest";
import {
  ARRIVAL_MS,
  batchSize,
  idealSeconds,
  inFlightLimit,
  levelAt,
  tailBatchSize,
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
    // GIVEN two requests out from a full standard bucket, the second 300 ms after the first (it may take
    // up to 500 ms to reach Shopify)
    const pacer = new Pacer({ ...standard, level: 2_000, at: 0 }, { ...options, arrivalMs: 500 });
    pacer.reserve("a", 1_000, 0);
    pacer.reserve("b", 1_000, 300);
    // WHEN the first answers at t=600 ms reporting 1,050 (b had not reached Shopify's bucket yet)
    pacer.settle("a", { ...standard, currentlyAvailable: 1_050 }, 600);
    // THEN b's 1,000 points are still set aside: 50 available, not 1,050
    expect(pacer.available(600)).toBe(50);
    // AND once b surely arrived they are charged, and the bucket refills from there
    expect(pacer.available(1_000)).toBe(90);
  });

  it("takes from Shopify's figure a request it may have taken just after the figure", () => {
    // GIVEN b sent after a and charged in the model (510 ms ago, arrival 500 ms), near that window's edge
    const pacer = new Pacer({ ...plus, level: 20_000, at: 0 }, { ...options, arrivalMs: 500 });
    pacer.reserve("a", 1_000, 0);
    pacer.reserve("b", 1_000, 10);
    // WHEN a answers at 520 with a figure that may predate b's arrival
    pacer.settle("a", { ...plus, currentlyAvailable: 19_500 }, 520);
    // THEN b's points are taken from it: the figure is not trusted to count b
    expect(pacer.available(520)).toBe(18_500);
  });

  it("tells from Shopify's figure which requests sent since are in it, newest set aside first", () => {
    // GIVEN a long request a, then b and c sent 100 ms and 50 ms before a's answer (arrival 500 ms)
    const pacer = new Pacer({ ...plus, level: 10_000, at: 0 }, { ...options, arrivalMs: 500 });
    pacer.reserve("a", 1_000, 0);
    pacer.reserve("b", 1_000, 2_150);
    pacer.reserve("c", 1_000, 2_200);
    // model at 2,250: 10,000 + 2,250 of refill − a's 1,000 = 11,250, with b and c out
    expect(levelAt(pacer.model, 2_250)).toBe(11_250);
    // WHEN a answers reporting 10,250: b is in it (11,250 − 1,000), c not yet (or it would say 9,250)
    pacer.settle("a", { ...plus, currentlyAvailable: 10_250 }, 2_250);
    // THEN only c stays set aside: 9,250 available, not 8,250
    expect(pacer.available(2_250)).toBe(9_250);
    // AND c is charged once it surely arrived, b never a second time
    expect(pacer.available(2_700)).toBe(9_700);
    expect(pacer.available(2_750)).toBe(9_750);
  });

  it("takes requests sent before the answered one as counted in Shopify's figure", () => {
    // GIVEN a sent, then b 100 ms later; both may take 500 ms to reach Shopify
    const pacer = new Pacer({ ...plus, level: 5_000, at: 0 }, { ...options, arrivalMs: 500 });
    pacer.reserve("a", 1_000, 0);
    pacer.reserve("b", 1_000, 100);
    // WHEN b answers first, at 400 ms, reporting 3,400 (a and b taken, 400 ms of refill)
    pacer.settle("b", { ...plus, currentlyAvailable: 3_400 }, 400);
    // THEN a, on its way before b was sent, is in that figure: not set aside a second time
    expect(pacer.available(400)).toBe(3_400);
    expect(pacer.available(600)).toBe(3_600);
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
    // WHEN invite requests of 1,000 points take 5 s each
    let now = 0;
    for (let i = 0; i < 40; i++) {
      pacer.reserve(`r${i}`, 1_000, now);
      now += 5_000;
      pacer.settle(`r${i}`, { ...plus, currentlyAvailable: 0 }, now);
    }
    // THEN the window grows to keep 1,000 points/s going: 5 out and one ready
    expect(Math.round(pacer.observedLatencyMs)).toBe(5_000);
    expect(pacer.window(1_000, now)).toBe(6);
  });

  it("measures request time per point: a small request is expected to be quicker", () => {
    const pacer = new Pacer({ ...plus, level: 0, at: 0 }, { maxInFlight: 20, initialLatencyMs: 2_000 });
    // 2 s for 1,000 points: a request of 500 points is expected to take 1 s, so the window holds as
    // many points in flight for those: ⌈1,000/s × 1 s ÷ 500⌉ + 1
    expect(pacer.window(500, 0)).toBe(3);
    expect(pacer.window(1_000, 0)).toBe(3);
    // requests of 100 points taking 450 ms: 4.5 ms a point, a full request now expected at 4.5 s
    let now = 0;
    for (let i = 0; i < 40; i++) {
      pacer.reserve(`s${i}`, 100, now);
      now += 450;
      pacer.settle(`s${i}`, { ...plus, currentlyAvailable: 0 }, now);
    }
    expect(Math.round(pacer.observedLatencyMs)).toBe(4_500);
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

  it("adopts a higher figure while others are in flight (a refund Shopify gave back)", () => {
    const pacer = new Pacer(
      { ...plus, level: 3_000, at: 0 },
      { maxInFlight: 5, marginPoints: 0, arrivalMs: 0 },
    );
    pacer.reserve("a", 1_000, 0);
    pacer.reserve("b", 1_000, 0);
    pacer.reserve("c", 1_000, 0);
    // b and c went out a second ago: Shopify has them, and reports more than the model (a refund)
    pacer.settle("a", { ...plus, currentlyAvailable: 1_500 }, 1_000);
    expect(levelAt(pacer.model, 1_000)).toBe(1_500);
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

  it("adopts an answer's figure while others are in flight, and tells from it whether those travelling are in", () => {
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
    // WHEN a answers reporting 1,200: 425 more than the model expects with c in (775), most of c's 500
    pacer.settle("a", { ...standard, currentlyAvailable: 1_200 }, 3_000);
    // THEN Shopify's figure is adopted, c still set aside: it has not reached Shopify yet
    expect(pacer.available(3_000)).toBe(700);
    // WHEN b answers reporting 200, below what the model expects even with c in (700): c is in it, and
    // something else spent points
    pacer.settle("b", { ...standard, currentlyAvailable: 200 }, 3_000);
    // THEN that figure is adopted, c not set aside a second time
    expect(pacer.available(3_000)).toBe(200);
  });
});

describe("tailBatchSize", () => {
  // 2.25 s for a request of 100 invites (1,000 points): 2.25 ms a point, as the benchmark's latency
  const tail = { cost: 10, msPerPoint: 2.25, slots: 20 };

  it("keeps full requests while the points for what is left are far off", () => {
    // Plus: 3,000 invites left, 1,000 points there: the last points come in 29 s
    expect(tailBatchSize({ ...tail, ...plus, size: 100, left: 3_000, available: 1_000 })).toBe(100);
    // Standard: 200 left, 1,000 there: 10 s until the last points, a full request takes 2.25 s
    expect(tailBatchSize({ ...tail, ...standard, size: 100, left: 200, available: 1_000 })).toBe(100);
  });

  it("gets smaller as the end comes, so no request ends after the last one", () => {
    // Plus, 1,000 points there: 200 left → the last points in 1 s → 10 + ⌊1,000 ÷ 22.5⌋ = 54
    expect(tailBatchSize({ ...tail, ...plus, size: 100, left: 200, available: 1_000 })).toBe(54);
    // 130 left → 0.3 s → 23
    expect(tailBatchSize({ ...tail, ...plus, size: 100, left: 130, available: 1_000 })).toBe(23);
    // every point already there: the smallest request
    expect(tailBatchSize({ ...tail, ...plus, size: 100, left: 100, available: 1_000 })).toBe(10);
  });

  it("in the tail, sends what the points there pay for rather than wait for a larger request", () => {
    // Standard: 50 left, 413 points there: the tail size is 48, 41 are paid for now
    expect(tailBatchSize({ ...tail, ...standard, size: 50, left: 50, available: 413 })).toBe(41);
    // Plus, 15 left and 40 points there: fewer than 10 paid for, so it waits for 10 (then plans again)
    expect(tailBatchSize({ ...tail, ...plus, size: 15, left: 15, available: 40 })).toBe(10);
  });

  it("splits what is left into no more requests than the free window holds", () => {
    // 300 invites, all paid for, 20 slots free: 15 each rather than 30 requests of 10
    expect(tailBatchSize({ ...tail, ...plus, size: 100, left: 300, available: 20_000 })).toBe(15);
    expect(tailBatchSize({ ...tail, ...plus, size: 100, left: 300, available: 20_000, slots: 2 })).toBe(100);
  });

  it("never goes above the full size, and leaves small or unknown runs alone", () => {
    expect(tailBatchSize({ ...tail, ...plus, size: 7, left: 7, available: 20_000 })).toBe(7);
    expect(tailBatchSize({ ...tail, ...plus, size: 1, left: 1, available: 0 })).toBe(1);
    expect(tailBatchSize({ ...tail, ...plus, size: 100, left: Infinity, available: 0 })).toBe(100);
  });
});

describe("Pacer, the end of a run", () => {
  it("sends the last invites in small requests once their points are there", () => {
    // GIVEN a standard bucket holding 1,000 points and 100 invites left
    const pacer = new Pacer(
      { ...standard, level: 1_000, at: 0 },
      { maxInFlight: 20, marginPoints: 0, arrivalMs: 0, initialLatencyMs: 2_250 },
    );
    const sizes: number[] = [];
    for (let left = 100; left > 0;) {
      const plan = pacer.plan({ remaining: Math.min(left, 100), cost: 10, now: 0, left });
      if (plan.action !== "send" || plan.waitMs > 0) break;
      pacer.reserve(`r${left}`, plan.points, 0);
      sizes.push(plan.size);
      left -= plan.size;
    }
    // THEN ten requests of 10 leave together (each ends in about 0.45 s, not one of 100 in 2.25 s)
    expect(sizes).toEqual(Array(10).fill(10));
  });

  it("without `left`, sizes requests as before", () => {
    const pacer = new Pacer({ ...standard, level: 1_000, at: 0 }, { maxInFlight: 20, marginPoints: 0 });
    expect(pacer.plan({ remaining: 100, cost: 10, now: 0 })).toMatchObject({ size: 100, waitMs: 0 });
  });
});

describe("Pacer.waitFor with requests on their way", () => {
  it("waits for a full bucket's charge to come before counting on its refill", () => {
    // GIVEN a full standard bucket, a request of 1,000 just sent (it may reach Shopify up to 500 ms later)
    const pacer = new Pacer({ ...standard, level: 2_000, at: 0 }, { maxInFlight: 5, marginPoints: 1 });
    pacer.reserve("a", 1_000, 0);
    pacer.reserve("read", 2, 0, { timed: false });
    // WHEN the next request of 1,000 asks: 998 available, 3 missing
    // THEN it waits for a's arrival (a full bucket refills nothing before) plus 30 ms of refill
    expect(pacer.waitFor(1_000, 0)).toBe(530);
    expect(pacer.available(530)).toBeGreaterThanOrEqual(1_001);
    expect(pacer.available(529)).toBeLessThan(1_001);
  });

  it("is the plain refill time when the bucket is not full", () => {
    const pacer = new Pacer({ ...standard, level: 1_500, at: 0 }, { maxInFlight: 5, marginPoints: 1 });
    pacer.reserve("a", 1_000, 0);
    // 500 available; 501 missing at 100/s
    expect(pacer.waitFor(1_000, 0)).toBe(5_010);
  });

  it("follows several charges in turn", () => {
    const pacer = new Pacer({ ...plus, level: 20_000, at: 0 }, { maxInFlight: 30, marginPoints: 0 });
    for (let i = 0; i < 20; i++) pacer.reserve(`r${i}`, 1_000, i * 10);
    // all 20,000 set aside; charges at 500…690 ms; the bucket refills from the first one
    const wait = pacer.waitFor(1_000, 190);
    expect(pacer.available(190 + wait)).toBeGreaterThanOrEqual(1_000);
    expect(pacer.available(190 + wait - 2)).toBeLessThan(1_000);
  });
});

describe("Pacer.departed", () => {
  it("reckons a late request's transit from when it left, also when the model had charged it", () => {
    // GIVEN a request reserved at 0 that only leaves at 700 ms (the process was busy)
    const pacer = new Pacer({ ...plus, level: 10_000, at: 0 }, { maxInFlight: 5, marginPoints: 0 });
    pacer.reserve("late", 1_000, 0);
    pacer.reserve("other", 1_000, 0);
    expect(pacer.available(600)).toBe(8_600); // both charged at 500 by the model
    pacer.departed("late", 700);
    // WHEN the other answers at 800 with a figure that cannot count the late one yet
    pacer.settle("other", { ...plus, currentlyAvailable: 9_800 }, 800);
    // THEN the late one is taken from the figure: 8,800, not 9,800
    expect(pacer.available(800)).toBe(8_800);
  });
});

describe("Pacer.availableThrough", () => {
  it("pays for the requests reserved up to one, not those reserved after it", () => {
    const pacer = new Pacer({ ...standard, level: 1_500, at: 0 }, { maxInFlight: 5, marginPoints: 0 });
    pacer.reserve("a", 1_000, 0);
    pacer.reserve("b", 1_000, 0, { leavesAt: 5_000 });
    expect(pacer.availableThrough("a", 0)).toBe(500);
    expect(pacer.availableThrough("b", 0)).toBe(-500);
    expect(pacer.available(0)).toBe(-500);
  });
});
