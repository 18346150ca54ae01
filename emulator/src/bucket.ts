// The leaky bucket Shopify meters Admin GraphQL with: one per app and shop. `currentlyAvailable` refills
// continuously at `restoreRate` points per second up to `maximumAvailable`; a request must fit its
// *requested* cost before it runs and is refunded the difference to its *actual* cost afterwards.
// https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits — tested in test/bucket.test.ts.
import type { Clock } from "./clock";

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface BucketLimits {
  maximumAvailable: number;
  restoreRate: number;
}

export class LeakyBucket {
  private available: number;
  private updatedAt: number;
  private fullMs = 0;

  constructor(
    private limits: BucketLimits,
    private readonly clock: Clock,
  ) {
    this.available = limits.maximumAvailable;
    this.updatedAt = clock.now();
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.updatedAt) / 1000;
    // The part of the elapsed time the bucket spent full: points it could not restore.
    const toFull = (this.limits.maximumAvailable - this.available) / this.limits.restoreRate;
    if (elapsed > toFull) this.fullMs += (elapsed - Math.max(0, toFull)) * 1000;
    this.available = Math.min(
      this.limits.maximumAvailable,
      this.available + elapsed * this.limits.restoreRate,
    );
    this.updatedAt = Math.max(now, this.updatedAt);
  }

  /** The status as Shopify reports it (`currentlyAvailable` rounded down to whole points). */
  status(): ThrottleStatus {
    this.refill();
    return {
      maximumAvailable: this.limits.maximumAvailable,
      currentlyAvailable: Math.floor(this.available),
      restoreRate: this.limits.restoreRate,
    };
  }

  /**
   * Milliseconds the bucket has spent full since it was created (or since `resetFullMs`): restore time
   * nobody used. A pacer that wastes no second the bucket allows keeps this near zero while it has work.
   */
  fullMilliseconds(): number {
    this.refill();
    return this.fullMs;
  }

  resetFullMs(): void {
    this.refill();
    this.fullMs = 0;
  }

  /** Takes `cost` points if they are available now; returns false (and takes nothing) otherwise. */
  tryTake(cost: number): boolean {
    this.refill();
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  /** Gives back points (requested minus actual cost), never above the maximum. */
  refund(points: number): void {
    if (points <= 0) return;
    this.refill();
    this.available = Math.min(this.limits.maximumAvailable, this.available + points);
  }

  /** Seconds until `cost` points will be available (0 when they already are). */
  secondsUntil(cost: number): number {
    this.refill();
    if (cost <= this.available) return 0;
    return (cost - this.available) / this.limits.restoreRate;
  }

  /** Changes the plan's limits; the bucket keeps its level, capped at the new maximum. */
  setLimits(limits: BucketLimits): void {
    this.refill();
    this.limits = limits;
    this.available = Math.min(this.available, limits.maximumAvailable);
  }

  /** Empties the bucket (tests and the throttle fault). */
  drain(): void {
    this.refill();
    this.available = 0;
  }

  fill(): void {
    this.refill();
    this.available = this.limits.maximumAvailable;
  }
}
