import { describe, expect, it } from "vitest";
import { LeakyBucket } from "../src/bucket";
import { ManualClock } from "../src/clock";

describe("the leaky bucket", () => {
  it("starts full and reports whole points", () => {
    const bucket = new LeakyBucket({ maximumAvailable: 2000, restoreRate: 100 }, new ManualClock(0));
    expect(bucket.status()).toEqual({ maximumAvailable: 2000, currentlyAvailable: 2000, restoreRate: 100 });
  });

  it("takes the requested cost, refunds the difference and refills at the restore rate", () => {
    const clock = new ManualClock(0);
    const bucket = new LeakyBucket({ maximumAvailable: 2000, restoreRate: 100 }, clock);
    expect(bucket.tryTake(752)).toBe(true); // requested 752
    expect(bucket.status().currentlyAvailable).toBe(1248);
    bucket.refund(752 - 12); // actual 12
    expect(bucket.status().currentlyAvailable).toBe(1988);
    clock.advance(50); // 0.05 s × 100/s = 5 points, capped at the maximum
    expect(bucket.status().currentlyAvailable).toBe(1993);
    clock.advance(1000);
    expect(bucket.status().currentlyAvailable).toBe(2000);
  });

  it("refuses a cost above what is available and takes nothing", () => {
    const clock = new ManualClock(0);
    const bucket = new LeakyBucket({ maximumAvailable: 100, restoreRate: 10 }, clock);
    expect(bucket.tryTake(95)).toBe(true);
    expect(bucket.tryTake(10)).toBe(false);
    expect(bucket.status().currentlyAvailable).toBe(5);
    expect(bucket.secondsUntil(10)).toBeCloseTo(0.5);
    clock.advance(499);
    expect(bucket.tryTake(10)).toBe(false);
    clock.advance(1);
    expect(bucket.tryTake(10)).toBe(true);
    expect(bucket.status().currentlyAvailable).toBe(0);
  });

  it("rounds currentlyAvailable down while keeping fractions internally", () => {
    const clock = new ManualClock(0);
    const bucket = new LeakyBucket({ maximumAvailable: 1000, restoreRate: 50 }, clock);
    bucket.drain();
    clock.advance(30); // 1.5 points
    expect(bucket.status().currentlyAvailable).toBe(1);
    clock.advance(10); // 2.0 points
    expect(bucket.status().currentlyAvailable).toBe(2);
  });

  it("never refunds above the maximum and keeps its level when the plan changes", () => {
    const clock = new ManualClock(0);
    const bucket = new LeakyBucket({ maximumAvailable: 4000, restoreRate: 200 }, clock);
    bucket.refund(500);
    expect(bucket.status().currentlyAvailable).toBe(4000);
    bucket.setLimits({ maximumAvailable: 2000, restoreRate: 100 });
    expect(bucket.status()).toEqual({ maximumAvailable: 2000, currentlyAvailable: 2000, restoreRate: 100 });
  });

  it("counts the time it spends full: restore nobody used", () => {
    const clock = new ManualClock(0);
    const bucket = new LeakyBucket({ maximumAvailable: 1000, restoreRate: 100 }, clock);
    clock.advance(2000); // full from the start
    expect(bucket.fullMilliseconds()).toBe(2000);
    bucket.resetFullMs();
    expect(bucket.tryTake(500)).toBe(true);
    clock.advance(3000); // 5 s to refill 500 points: not full yet
    expect(bucket.fullMilliseconds()).toBe(0);
    clock.advance(3000); // full after 2 of these 3 s
    expect(bucket.fullMilliseconds()).toBeCloseTo(1000);
    expect(bucket.tryTake(1000)).toBe(true);
    clock.advance(9000);
    expect(bucket.fullMilliseconds()).toBeCloseTo(1000);
  });
});
