/**
 * A fixed-window counter per client address, in memory: enough to stop one address flooding a
 * public endpoint of one process (each process counts on its own). Old windows are dropped as
 * the map is used, so it cannot grow without bound.
 */
export class PerIpLimit {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly maxTracked = 50_000,
  ) {}

  /** Counts one request; returns seconds to wait when the address is over its limit, else 0. */
  take(ip: string, now = Date.now()): number {
    let window = this.windows.get(ip);
    if (!window || now - window.start >= this.windowMs) {
      if (this.windows.size >= this.maxTracked) this.prune(now);
      window = { start: now, count: 0 };
      this.windows.set(ip, window);
    }
    window.count++;
    return window.count > this.max ? Math.ceil((window.start + this.windowMs - now) / 1000) : 0;
  }

  private prune(now: number): void {
    for (const [ip, window] of this.windows) if (now - window.start >= this.windowMs) this.windows.delete(ip);
    // Still full of live windows: forget the oldest rather than grow.
    if (this.windows.size >= this.maxTracked) this.windows.delete(this.windows.keys().next().value!);
  }
}
