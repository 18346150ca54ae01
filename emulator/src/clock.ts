/** Milliseconds since the epoch. Injected everywhere time matters so tests can be exact. */
export interface Clock {
  now(): number;
}

/**
 * The emulator's clock: wall time plus an offset that `POST /__emulator/clock` moves forward (or sets),
 * so link and access-token expiry and the leaky bucket can be time-travelled without waiting.
 */
export class OffsetClock implements Clock {
  offsetMs = 0;
  constructor(private readonly base: () => number = Date.now) {}
  now(): number {
    return this.base() + this.offsetMs;
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  set(epochMs: number): void {
    this.offsetMs = epochMs - this.base();
  }
  reset(): void {
    this.offsetMs = 0;
  }
}

/** A clock that only moves when told to (unit tests). */
export class ManualClock implements Clock {
  constructor(public current = 0) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}
