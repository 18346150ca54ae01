import { MAX_REQUEST_COST } from "~/constants/invites";
import type { ThrottleStatus } from "~/types/admin";

// Pacing for one shop's Admin API bucket (pure; time is passed in, so the arithmetic is unit-tested).
//
// Shopify meters each app+shop with a leaky bucket: `currentlyAvailable` refills at `restoreRate` points
// per second up to `maximumAvailable`, and a request runs only if its requested cost fits. The pacer keeps
// a local model of that bucket: it subtracts a request's cost when the request is sent (the server takes
// the points when it starts the request) and re-anchors on every throttleStatus Shopify reports. With the
// model it sizes the next request and waits exactly until the points are there: no fixed sleeps, and no
// THROTTLED answers while the app is the only consumer.
//
// Several requests may be in flight: on real Shopify a request carrying 100 mutations takes seconds, and
// waiting for each answer before sending the next would leave the restored points unused. A small bounded
// window (`maxInFlight`) keeps the bucket busy; the points of every request in flight stay reserved.

/** The pacer's view of the bucket: `level` points at time `at` (ms), refilling from there. */
export interface BucketModel {
  maximumAvailable: number;
  restoreRate: number;
  level: number;
  at: number;
}

/** Points in the bucket at `now`: the level at `at` plus what refilled since, capped at the maximum. */
export function levelAt(bucket: BucketModel, now: number): number {
  const elapsedSeconds = Math.max(0, now - bucket.at) / 1000;
  return Math.min(bucket.maximumAvailable, bucket.level + elapsedSeconds * bucket.restoreRate);
}

/** Milliseconds until `points` are available (0 if they already are). */
export function msUntilAvailable(bucket: BucketModel, points: number, now: number): number {
  const missing = points - levelAt(bucket, now);
  if (missing <= 0) return 0;
  return Math.ceil((missing / bucket.restoreRate) * 1000);
}

/**
 * How many mutations of `cost` points the next request carries: as many as remain, but never a
 * requested cost over Shopify's per-request limit (1,000) or over the bucket's size (a request that can
 * never fit would be THROTTLED forever), and at most `maxBatch` aliases.
 */
export function batchSize({
  remaining,
  cost,
  maximumAvailable,
  maxBatch = 100,
}: {
  remaining: number;
  cost: number;
  maximumAvailable: number;
  maxBatch?: number;
}): number {
  const fits = Math.floor(Math.min(MAX_REQUEST_COST, maximumAvailable) / cost);
  return Math.max(0, Math.min(remaining, fits, maxBatch));
}

/**
 * The shortest possible time to send `invites` mutations of `cost` points from a full bucket: the first
 * `maximumAvailable` points are there at once, the rest arrive at `restoreRate` per second.
 */
export function idealSeconds({
  invites,
  cost,
  maximumAvailable,
  restoreRate,
}: {
  invites: number;
  cost: number;
  maximumAvailable: number;
  restoreRate: number;
}): number {
  return Math.max(0, invites * cost - maximumAvailable) / restoreRate;
}

export type PacerPlan =
  /** Send a request of `size` items (each `cost` points) after `waitMs`. */
  | { action: "send"; size: number; points: number; waitMs: number }
  /** The in-flight window is full: wait for an answer first. */
  | { action: "await-response" };

interface InFlight {
  points: number;
  seq: number;
}

/**
 * The bucket model plus the requests in flight. One instance per shop, owned by the worker that holds
 * the shop's pacer lease. Methods take `now` (ms) so tests control time.
 */
export class Pacer {
  private bucket: BucketModel;
  private readonly inFlight = new Map<string, InFlight>();
  private seq = 0;

  constructor(
    initial: BucketModel,
    private readonly options: { maxInFlight: number; maxBatch?: number; marginPoints?: number } = {
      maxInFlight: 3,
    },
  ) {
    this.bucket = { ...initial };
  }

  /** A pacer that knows nothing yet: assumes a bucket just big enough for one full request. */
  static unknown(now: number, options?: ConstructorParameters<typeof Pacer>[1]): Pacer {
    return new Pacer(
      { maximumAvailable: MAX_REQUEST_COST, restoreRate: 50, level: MAX_REQUEST_COST, at: now },
      options,
    );
  }

  get model(): Readonly<BucketModel> {
    return this.bucket;
  }

  get requestsInFlight(): number {
    return this.inFlight.size;
  }

  /** The next request for `remaining` items of `cost` points each. */
  plan({ remaining, cost, now }: { remaining: number; cost: number; now: number }): PacerPlan {
    if (this.inFlight.size >= this.options.maxInFlight) return { action: "await-response" };
    const size = batchSize({
      remaining,
      cost,
      maximumAvailable: this.bucket.maximumAvailable,
      maxBatch: this.options.maxBatch,
    });
    if (size === 0) throw new Error(`a single item of ${cost} points can never fit this bucket`);
    const points = size * cost;
    return { action: "send", size, points, waitMs: this.waitFor(points, now) };
  }

  /** Milliseconds until a request of `points` requested cost may be sent. */
  waitFor(points: number, now: number): number {
    // One point of margin: Shopify reports whole points (rounded down) while the bucket is continuous.
    const margin = this.options.marginPoints ?? 1;
    return msUntilAvailable(this.bucket, Math.min(points + margin, this.bucket.maximumAvailable), now);
  }

  /** Takes the request's points from the model as it is sent. */
  reserve(id: string, points: number, now: number): void {
    this.bucket = { ...this.bucket, level: levelAt(this.bucket, now) - points, at: now };
    this.inFlight.set(id, { points, seq: this.seq++ });
  }

  /**
   * A request ended. `status` is the throttleStatus Shopify reported with the answer (also with
   * THROTTLED), or null when there was no usable answer (5xx, timeout, network): then the points stay
   * spent in the model, the safe assumption when the request may have run.
   */
  settle(id: string, status: ThrottleStatus | null, now: number): void {
    const request = this.inFlight.get(id);
    this.inFlight.delete(id);
    if (!status) return;
    const limits = { maximumAvailable: status.maximumAvailable, restoreRate: status.restoreRate };
    if (this.inFlight.size === 0) {
      // Nothing else is in flight: Shopify's figure is the whole truth (refunds, other consumers).
      this.bucket = { ...limits, level: status.currentlyAvailable, at: now };
      return;
    }
    // Requests sent after this one may not have started on Shopify's side when it reported: count them
    // as still to be taken. Keep the model when it is lower (the report may predate requests we sent).
    let laterPoints = 0;
    for (const other of this.inFlight.values())
      if (!request || other.seq > request.seq) laterPoints += other.points;
    const level = Math.min(
      levelAt({ ...this.bucket, ...limits }, now),
      status.currentlyAvailable - laterPoints,
    );
    this.bucket = { ...limits, level, at: now };
  }
}
