import { MAX_REQUEST_COST } from "~/constants/invites";
import type { ThrottleStatus } from "~/types/admin";

// Pacing for one shop's Admin API bucket (pure; time is passed in, so the arithmetic is unit-tested).
//
// Shopify meters each app+shop with a leaky bucket: `currentlyAvailable` refills at `restoreRate` points
// per second up to `maximumAvailable`, and a request runs only if its requested cost fits. The pacer keeps
// a local model of that bucket: it subtracts a request's cost when the request is sent (the server takes
// the points when it starts the request) and re-anchors on every throttleStatus Shopify reports (`settle`
// says how requests still in flight are told apart). With the model it sizes the next request and waits
// exactly until the points are there: no fixed sleeps, and no THROTTLED answers while the app is the only
// consumer and requests reach Shopify within ARRIVAL_MS (a THROTTLED answer costs a round trip and
// re-anchors the model). Near the end of a run requests get smaller (`tailBatchSize`), so the last
// answers come soon after the last points.
//
// Several requests may be in flight: on real Shopify a request carrying 100 mutations takes seconds, and
// waiting for each answer before sending the next would leave the restored points unused. How many is
// `inFlightLimit`: enough to keep the bucket's restore rate busy for the request time observed so far
// (restoreRate × latency ÷ points per request, plus one so the next request is ready when points are),
// more while the bucket still holds points for them (the initial burst), never above a ceiling
// (`maxInFlight`, INVITE_MAX_IN_FLIGHT). The window only bounds concurrency: whether a request may go
// out is decided by the points, and the points of every request in flight stay reserved, so what is
// reserved never exceeds what the bucket holds (Shopify takes the requested cost when a request starts
// and refunds requested − actual when it ends, which the app learns only from the answer).

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

/** The smallest request the tail is split into (a request's fixed time dominates below it). */
export const TAIL_MIN_BATCH = 10;

/**
 * The size of a request near the end of a campaign, so the last answers come soon after the last points
 * are there: a request of `size` items takes about `msPerPoint × size × cost`, and it must not end later
 * than the last request will, which leaves once the points for everything left have restored
 * (`msUntilLast`) and is itself small. So:
 *
 *   msUntilLast = max(0, left × cost − available) ÷ restoreRate
 *   size ≤ minBatch + ⌊msUntilLast ÷ (msPerPoint × cost)⌋
 *
 * — and never more requests for what is left than the free window holds (⌈left ÷ slots⌉ each), never
 * above `size`; in the tail, as much of it as the points there pay for now (at least `minBatch`, waited
 * for). Far from the end (`msUntilLast` larger than a full request's time) it is `size` itself;
 * with the points for everything already there, it splits what is left into small requests sent
 * together instead of one long one.
 */
export function tailBatchSize({
  size,
  left,
  cost,
  available,
  restoreRate,
  msPerPoint,
  slots,
  minBatch = TAIL_MIN_BATCH,
}: {
  size: number;
  left: number;
  cost: number;
  available: number;
  restoreRate: number;
  msPerPoint: number;
  slots: number;
  minBatch?: number;
}): number {
  if (!Number.isFinite(left) || size <= 1) return size;
  const msUntilLast = (Math.max(0, left * cost - Math.max(0, available)) / restoreRate) * 1000;
  const byTime = minBatch + Math.floor(msUntilLast / Math.max(1e-6, msPerPoint * cost));
  const bySlots = Math.ceil(left / Math.max(1, slots));
  const tail = Math.max(1, Math.min(size, Math.max(minBatch, byTime, bySlots)));
  if (tail >= size) return size;
  // In the tail, what the bucket pays for now goes now, and while it pays for less than `minBatch`, the
  // wait is for `minBatch` (then planned again): waiting for a larger request would only move its end.
  const affordable = Math.floor(Math.max(0, available) / cost);
  return Math.min(tail, Math.max(minBatch, affordable));
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

/**
 * How many requests may be in flight: `steady` keeps the restore rate busy for the observed request time,
 * `fundable` is what the bucket holds points for right now (so a full bucket is spent at once instead of
 * one window at a time), bounded by `ceiling`, and at least 1.
 *
 *   steady   = ⌈restoreRate × latency ÷ requestPoints⌉ + 1
 *   fundable = inFlight + ⌊level ÷ requestPoints⌋
 *   limit    = min(ceiling, max(1, steady, fundable))
 */
export function inFlightLimit({
  restoreRate,
  latencyMs,
  requestPoints,
  level,
  inFlight,
  ceiling,
}: {
  restoreRate: number;
  latencyMs: number;
  requestPoints: number;
  level: number;
  inFlight: number;
  ceiling: number;
}): number {
  const points = Math.max(1, requestPoints);
  const steady = Math.ceil((restoreRate * Math.max(0, latencyMs)) / 1000 / points) + 1;
  const fundable = inFlight + Math.floor(Math.max(0, level) / points);
  return Math.max(1, Math.min(ceiling, Math.max(steady, fundable)));
}

/** The request time the pacer assumes before it has seen one (a live store's 100-invite request: ~2 s). */
export const INITIAL_LATENCY_MS = 2_000;

/**
 * How long after a request was sent Shopify has surely received it (and taken its points): a request
 * younger than this when another one's answer arrives may not be counted in that answer's figure, and
 * a full bucket refills nothing while a request is on its way.
 */
export const ARRIVAL_MS = 500;

/** How much older than its arrival an answer's bucket figure may be (the answer's own transit). */
const SKEW_MS = 50;

/** The weight of the newest observation in the request-time average. */
const LATENCY_WEIGHT = 0.3;

export type PacerPlan =
  /** Send a request of `size` items (each `cost` points) after `waitMs`. */
  | { action: "send"; size: number; points: number; waitMs: number }
  /** The in-flight window is full: wait for an answer first. */
  | { action: "await-response" };

interface InFlight {
  points: number;
  sentAt: number;
  /** Its time counts in the request-time average (invite batches; not the small reads). */
  timed: boolean;
  /** Its points are in the bucket model's level (it has surely reached Shopify, or answered). */
  charged: boolean;
}

export interface PacerOptions {
  /** Ceiling of requests in flight (INVITE_MAX_IN_FLIGHT). */
  maxInFlight: number;
  maxBatch?: number;
  marginPoints?: number;
  /** Request time assumed until one is observed. */
  initialLatencyMs?: number;
  /** How long a request may take to reach Shopify (ARRIVAL_MS). */
  arrivalMs?: number;
}

/**
 * The bucket model plus the requests in flight. One instance per shop, owned by the worker that holds
 * the shop's pacer lease. Methods take `now` (ms) so tests control time.
 *
 * `model` is the bucket as Shopify holds it, with the charges of the requests that have reached it. A
 * request on its way (sent less than `arrivalMs` ago, no answer yet) is charged when it surely arrived:
 * until then its points are set aside (`available` is the model less them), and a full bucket keeps
 * refilling nothing, as Shopify's does while the request travels (the worst case for the app).
 */
export class Pacer {
  private bucket: BucketModel;
  private readonly inFlight = new Map<string, InFlight>();
  /** Request time per requested point, averaged over the invite requests answered so far. */
  private msPerPoint: number;

  constructor(
    initial: BucketModel,
    private readonly options: PacerOptions = { maxInFlight: 3 },
  ) {
    this.bucket = { ...initial };
    this.msPerPoint = (options.initialLatencyMs ?? INITIAL_LATENCY_MS) / MAX_REQUEST_COST;
  }

  /** A pacer that knows nothing yet: assumes a bucket just big enough for one full request. */
  static unknown(now: number, options?: PacerOptions): Pacer {
    return new Pacer(
      { maximumAvailable: MAX_REQUEST_COST, restoreRate: 50, level: MAX_REQUEST_COST, at: now },
      options,
    );
  }

  private get arrivalMs(): number {
    return this.options.arrivalMs ?? ARRIVAL_MS;
  }

  /** The bucket as Shopify holds it, charges of requests still on their way left out. */
  get model(): Readonly<BucketModel> {
    return this.bucket;
  }

  get requestsInFlight(): number {
    return this.inFlight.size;
  }

  /**
   * The time of a full request (MAX_REQUEST_COST points) the pacer expects: the invite requests answered
   * so far, per point (a request of 100 invites takes longer than one of 10), scaled to 1,000 points.
   */
  get observedLatencyMs(): number {
    return this.msPerPoint * MAX_REQUEST_COST;
  }

  /** Points a new request may use at `now`: the bucket less every request in flight not charged yet. */
  available(now: number): number {
    this.chargeArrived(now);
    return levelAt(this.bucket, now) - this.uncharged();
  }

  /**
   * Points left at `now` once the requests reserved up to `id` (in order, itself included) are paid for:
   * whether a batch prepared ahead may still leave, whatever was reserved after it.
   */
  availableThrough(id: string, now: number): number {
    this.chargeArrived(now);
    let reserved = 0;
    for (const [key, request] of this.inFlight) {
      if (!request.charged) reserved += request.points;
      if (key === id) break;
    }
    return levelAt(this.bucket, now) - reserved;
  }

  /** The in-flight window for requests of `requestPoints` at `now` (see `inFlightLimit`). */
  window(requestPoints: number, now: number): number {
    return inFlightLimit({
      restoreRate: this.bucket.restoreRate,
      latencyMs: this.msPerPoint * requestPoints,
      requestPoints,
      level: this.available(now),
      inFlight: this.inFlight.size,
      ceiling: this.options.maxInFlight,
    });
  }

  /**
   * The next request for `remaining` items of `cost` points each. `left`: how many items the whole run
   * still has (these included), when known: near its end requests get smaller (`tailBatchSize`).
   */
  plan({
    remaining,
    cost,
    now,
    left,
  }: {
    remaining: number;
    cost: number;
    now: number;
    left?: number;
  }): PacerPlan {
    const full = batchSize({
      remaining,
      cost,
      maximumAvailable: this.bucket.maximumAvailable,
      maxBatch: this.options.maxBatch,
    });
    if (full === 0) throw new Error(`a single item of ${cost} points can never fit this bucket`);
    const size =
      left === undefined
        ? full
        : tailBatchSize({
            size: full,
            left: Math.max(left, remaining),
            cost,
            available: this.available(now),
            restoreRate: this.bucket.restoreRate,
            msPerPoint: this.msPerPoint,
            slots: this.options.maxInFlight - this.inFlight.size,
          });
    const points = size * cost;
    if (this.inFlight.size >= this.window(points, now)) return { action: "await-response" };
    return { action: "send", size, points, waitMs: this.waitFor(points, now) };
  }

  /**
   * Milliseconds until a request of `points` requested cost may be sent. The model is followed forward:
   * the bucket refills at the restore rate up to its maximum, and each request still on its way is
   * charged when it surely arrived. While the bucket is full, waiting for such a charge refills nothing
   * (the worst case: Shopify took the points late), so a wait can be longer than `missing ÷ rate`.
   */
  waitFor(points: number, now: number): number {
    // One point of margin: Shopify reports whole points (rounded down) while the bucket is continuous.
    const margin = this.options.marginPoints ?? 1;
    const { maximumAvailable, restoreRate } = this.bucket;
    const needed = Math.min(points + margin, maximumAvailable);
    if (this.available(now) >= needed) return 0;
    // The charges to come, oldest arrival first.
    const pending = [...this.inFlight.values()]
      .filter((request) => !request.charged)
      .map((request) => ({ at: request.sentAt + this.arrivalMs, points: request.points }))
      .sort((a, b) => a.at - b.at);
    let bucket: BucketModel = { ...this.bucket, level: levelAt(this.bucket, now), at: now };
    let uncharged = pending.reduce((sum, charge) => sum + charge.points, 0);
    for (const charge of [...pending, null]) {
      // Until the next charge: available = min(maximum, level + refill) − uncharged.
      const target = needed + uncharged;
      if (target <= maximumAvailable) {
        const at = bucket.at + Math.max(0, ((target - bucket.level) / restoreRate) * 1000);
        if (!charge || at <= charge.at) return Math.max(0, Math.ceil(at - now));
      }
      if (!charge) break;
      const when = Math.max(charge.at, bucket.at);
      bucket = { ...bucket, level: levelAt(bucket, when) - charge.points, at: when };
      uncharged -= charge.points;
    }
    // Not reachable (more uncharged than the bucket holds can never be): as the old estimate.
    return Math.ceil(((needed - this.available(now)) / restoreRate) * 1000);
  }

  /**
   * A request of `points` is reserved at `now`; it leaves then or at `leavesAt` (a batch prepared just
   * before its points are there). `timed: false` for requests whose time says nothing about an invite
   * batch's (the small reads).
   */
  reserve(
    id: string,
    points: number,
    now: number,
    { timed = true, leavesAt = now }: { timed?: boolean; leavesAt?: number } = {},
  ): void {
    this.chargeArrived(now);
    this.inFlight.set(id, {
      points,
      sentAt: Math.max(now, leavesAt),
      timed,
      charged: false,
    });
    this.chargeArrived(now);
  }

  /**
   * The request left now: later than reserved when the process was busy (a large batch recorded, a
   * pause of the event loop). Its transit, and whether an answer's figure can count it, are reckoned
   * from then, also when the model had charged it already.
   */
  departed(id: string, now: number): void {
    const request = this.inFlight.get(id);
    if (request && now > request.sentAt) request.sentAt = now;
  }

  /**
   * A request ended. `status` is the throttleStatus Shopify reported with the answer (also with
   * THROTTLED), or null when there was no usable answer (5xx, timeout, network): then the points stay
   * spent in the model, the safe assumption when the request may have run.
   */
  settle(id: string, status: ThrottleStatus | null, now: number): void {
    this.chargeArrived(now);
    const request = this.inFlight.get(id);
    this.inFlight.delete(id);
    if (request && !request.charged) this.charge(request.points, now);
    if (request?.timed && status && request.points > 0) {
      const perPoint = Math.max(0, now - request.sentAt) / request.points;
      this.msPerPoint = this.msPerPoint * (1 - LATENCY_WEIGHT) + perPoint * LATENCY_WEIGHT;
    }
    if (!status) return;
    // Shopify's figure is its bucket when this request ended, a moment ago: every request that had
    // reached it charged, every refund of those that had ended given back, anyone else's use (the app's
    // pages) taken. It is adopted, higher or lower than the model. Which requests still in flight it
    // counts:
    // - those charged in the model but sent so recently that they may have arrived after the figure was
    //   taken (within arrivalMs + SKEW_MS of now): taken from the figure;
    // - those not charged yet (sent within arrivalMs, perhaps still on their way, perhaps even overtaken
    //   by this one): the figure tells. Against what the model expects with all of them in, whatever
    //   Shopify holds in excess is theirs, newest first: one whose points the excess covers at least
    //   half of is not in the figure and stays set aside (so the model's own small errors never count a
    //   request in); the rest are in it (charged now, not twice). Refunds only add to the excess, so they
    //   err on the safe side; another consumer's spending could hide a request still on its way, and
    //   the request then answers THROTTLED, which re-anchors the model.
    const limits = { maximumAvailable: status.maximumAvailable, restoreRate: status.restoreRate };
    const model = { ...this.bucket, ...limits };
    let unsure = 0;
    const travelling: InFlight[] = [];
    for (const other of this.inFlight.values()) {
      if (!other.charged) travelling.push(other);
      else if (other.sentAt > now - this.arrivalMs - SKEW_MS) unsure += other.points;
    }
    const figure = status.currentlyAvailable - unsure;
    let excess = figure - (levelAt(model, now) - travelling.reduce((sum, t) => sum + t.points, 0));
    travelling.sort((a, b) => b.sentAt - a.sentAt);
    let inFigure = false;
    for (const other of travelling) {
      if (!inFigure && excess >= other.points / 2) excess -= other.points;
      else {
        inFigure = true;
        other.charged = true;
      }
    }
    this.bucket = { ...limits, level: figure, at: now };
  }

  private uncharged(): number {
    let points = 0;
    for (const request of this.inFlight.values()) if (!request.charged) points += request.points;
    return points;
  }

  /** Charges every request in flight that has surely reached Shopify by `now`, when it did at the latest. */
  private chargeArrived(now: number) {
    for (const request of this.inFlight.values()) {
      const arrived = request.sentAt + this.arrivalMs;
      if (!request.charged && arrived <= now) {
        this.charge(request.points, arrived);
        request.charged = true;
      }
    }
  }

  private charge(points: number, at: number) {
    const when = Math.max(at, this.bucket.at);
    this.bucket = { ...this.bucket, level: levelAt(this.bucket, when) - points, at: when };
  }
}
