/** How much upstream fetching one org may cause (see IMAGE_PROXY_DEFAULTS). */
export interface OrgFetchLimits {
  maxConcurrentPerOrg: number;
  fetchesPerMinutePerOrg: number;
  burstPerOrg: number;
}

export type FetchAdmission = { ok: true; release: () => void } | { ok: false; limit: 'concurrent' | 'rate'; retryAfterSeconds: number };

interface OrgUse {
  inFlight: number;
  /** Token bucket: starts full at the burst size, refills at the per-minute rate. */
  tokens: number;
  refilledAt: number;
}

/** How often entries that no longer hold anything back are dropped. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * Keeps one org (a member, or a script with a session) from making the server fetch images
 * without end: at most N upstream fetches open at once and a token-bucket rate per org. Held in
 * memory, per process: several server processes each allow the full amount. An org with nothing
 * in flight and a full bucket is indistinguishable from one never seen, so such entries are
 * dropped on a periodic sweep and the map only holds orgs active in the last minutes.
 */
export class OrgFetchLimiter {
  private readonly orgs = new Map<string, OrgUse>();
  private sweptAt: number;

  constructor(
    private readonly limits: OrgFetchLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.sweptAt = now();
  }

  /** Admits one upstream fetch for the org, or says when to try again; call `release` when it ends. */
  admit(orgId: string): FetchAdmission {
    const now = this.now();
    this.sweep(now);
    const use = this.orgs.get(orgId) ?? { inFlight: 0, tokens: this.limits.burstPerOrg, refilledAt: now };
    this.refill(use, now);
    if (use.inFlight >= this.limits.maxConcurrentPerOrg) return { ok: false, limit: 'concurrent', retryAfterSeconds: 1 };
    if (use.tokens < 1) {
      const msPerToken = 60_000 / this.limits.fetchesPerMinutePerOrg;
      return { ok: false, limit: 'rate', retryAfterSeconds: Math.max(1, Math.ceil(((1 - use.tokens) * msPerToken) / 1000)) };
    }
    use.tokens -= 1;
    use.inFlight += 1;
    this.orgs.set(orgId, use);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        use.inFlight -= 1;
      },
    };
  }

  /** Orgs currently tracked (for tests: the map must not grow without bound). */
  get trackedOrgs(): number {
    return this.orgs.size;
  }

  private refill(use: OrgUse, now: number): void {
    const earned = ((now - use.refilledAt) * this.limits.fetchesPerMinutePerOrg) / 60_000;
    use.tokens = Math.min(this.limits.burstPerOrg, use.tokens + earned);
    use.refilledAt = now;
  }

  private sweep(now: number): void {
    if (now - this.sweptAt < SWEEP_INTERVAL_MS) return;
    this.sweptAt = now;
    for (const [orgId, use] of this.orgs) {
      this.refill(use, now);
      // A pending `release` still points at entries with fetches in flight, so those stay.
      if (use.inFlight === 0 && use.tokens >= this.limits.burstPerOrg) this.orgs.delete(orgId);
    }
  }
}
