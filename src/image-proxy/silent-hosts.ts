import type { FetchedImage } from './fetch-image.js';

/** Timeouts in a row after which a host counts as silent. */
const SILENT_AFTER = 2;
/** Hosts kept track of (those that timed out lately); the oldest is dropped first. */
const MAX_HOSTS = 10_000;

/**
 * Image hosts that have stopped answering, per org: after two fetches in a row timed out, new
 * fetches from that host fail at once for `seconds` instead of each waiting out the deadline
 * in turn behind the org's few fetch places (a board's 80 avatars on one dead host would take
 * ten rounds of timeouts). When the time is up the next fetch asks again; one answer clears it.
 */
export class SilentHosts {
  private readonly hosts = new Map<string, { timeouts: number; silentUntil: number }>();

  constructor(
    private readonly seconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until the host is asked again; 0 when it may be asked now. */
  silentFor(host: string): number {
    const state = this.hosts.get(host);
    const left = state ? state.silentUntil - this.now() : 0;
    return left > 0 ? Math.ceil(left / 1000) : 0;
  }

  /** What a fetch from the host came to. */
  record(host: string, image: FetchedImage): void {
    if (image.ok || image.kind !== 'timeout') {
      this.hosts.delete(host);
      return;
    }
    const timeouts = (this.hosts.get(host)?.timeouts ?? 0) + 1;
    this.hosts.delete(host);
    if (this.hosts.size >= MAX_HOSTS) this.hosts.delete(this.hosts.keys().next().value!);
    this.hosts.set(host, { timeouts, silentUntil: timeouts >= SILENT_AFTER && this.seconds > 0 ? this.now() + this.seconds * 1000 : 0 });
  }
}
