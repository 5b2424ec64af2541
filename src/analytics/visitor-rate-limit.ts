/**
 * Requests per client address per minute, counted in memory (addresses are never stored): a
 * fixed one-minute window, forgotten whole when the next begins, so memory stays bounded by the
 * addresses seen in one minute.
 */
export class VisitorRateLimit {
  private counts = new Map<string, number>();
  private windowStart: number;

  constructor(
    readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.windowStart = now();
  }

  /** Counts a request; returns the seconds to wait when the address is over its limit, else 0. */
  take(address: string): number {
    const now = this.now();
    if (now - this.windowStart >= 60_000) {
      this.counts = new Map();
      this.windowStart = now;
    }
    const count = (this.counts.get(address) ?? 0) + 1;
    this.counts.set(address, count);
    return count > this.perMinute ? Math.max(1, Math.ceil((this.windowStart + 60_000 - now) / 1000)) : 0;
  }
}
