// The requests one sender (ShopSender, LinkIssuer) has out, each wrapped so that nothing escapes: an
// error inside a request's settlement goes to `onError` (the sender ends its run with it), never an
// unhandled rejection; the wrapped promise itself always resolves.
export class InFlightRequests {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly onError: (error: unknown) => void) {}

  get size(): number {
    return this.pending.size;
  }

  /** The wrapped promises, to race against other waits. */
  list(): Promise<void>[] {
    return [...this.pending];
  }

  track(promise: Promise<void>): void {
    const tracked = promise.catch(this.onError).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  /**
   * Until one of them is answered and settled. With none out (the pacer may count a read of a settling
   * batch as in flight: it runs inside a tracked promise), a short sleep guards against a hang.
   */
  async any(): Promise<void> {
    if (this.pending.size > 0) await Promise.race(this.pending);
    else await new Promise((resolve) => setTimeout(resolve, 10));
  }

  /** Until every one of them, and any tracked meanwhile, is answered and settled. */
  async all(also: () => Promise<void> | null = () => null): Promise<void> {
    while (this.pending.size > 0 || also()) await Promise.allSettled([...this.pending, also()]);
  }
}
