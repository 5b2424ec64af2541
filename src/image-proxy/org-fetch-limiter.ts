/** How much upstream fetching one org may cause (see IMAGE_PROXY_DEFAULTS). */
export interface OrgFetchLimits {
  maxConcurrentPerOrg: number;
  fetchesPerMinutePerOrg: number;
  burstPerOrg: number;
  /** Fetches that may wait for a free place; beyond them, a refusal. */
  maxWaitingPerOrg: number;
  /** How long a fetch waits for a free place before it is refused. */
  maxWaitMs: number;
}

export type FetchAdmission = { ok: true; release: () => void } | { ok: false; limit: 'concurrent' | 'rate'; retryAfterSeconds: number };

interface OrgUse {
  inFlight: number;
  /** Token bucket: starts full at the burst size, refills at the per-minute rate. */
  tokens: number;
  refilledAt: number;
  /** Fetches waiting for a place, first come first served; each already holds its token. */
  waiting: ((admitted: boolean) => void)[];
}

/** How often entries that no longer hold anything back are dropped. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * Keeps one org (a member, or a script with a session) from making the server fetch images
 * without end: at most N upstream fetches open at once (more wait their turn, up to a point) and
 * a token-bucket rate per org. Held in
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

  /**
   * Admits one upstream fetch for the org, or says when to try again; call `release` when it ends.
   * Past the concurrency limit a fetch waits for a place (a board's first load asks for a hundred
   * avatars at once), up to `maxWaitMs` and `maxWaitingPerOrg`; `gone` ends the wait early.
   */
  async admit(orgId: string, gone?: AbortSignal): Promise<FetchAdmission> {
    const now = this.now();
    this.sweep(now);
    const use = this.orgs.get(orgId) ?? { inFlight: 0, tokens: this.limits.burstPerOrg, refilledAt: now, waiting: [] };
    this.refill(use, now);
    if (use.tokens < 1) {
      const msPerToken = 60_000 / this.limits.fetchesPerMinutePerOrg;
      return { ok: false, limit: 'rate', retryAfterSeconds: Math.max(1, Math.ceil(((1 - use.tokens) * msPerToken) / 1000)) };
    }
    const refused: FetchAdmission = { ok: false, limit: 'concurrent', retryAfterSeconds: 1 };
    if (use.inFlight >= this.limits.maxConcurrentPerOrg && use.waiting.length >= this.limits.maxWaitingPerOrg) return refused;
    use.tokens -= 1;
    this.orgs.set(orgId, use);
    if (use.inFlight < this.limits.maxConcurrentPerOrg) {
      use.inFlight += 1;
      return this.admitted(use);
    }
    const admitted = await new Promise<boolean>((resolve) => {
      const settle = (value: boolean) => {
        clearTimeout(timer);
        gone?.removeEventListener('abort', giveUp);
        resolve(value);
      };
      const giveUp = () => {
        use.waiting.splice(use.waiting.indexOf(settle), 1);
        use.tokens = Math.min(this.limits.burstPerOrg, use.tokens + 1);
        settle(false);
      };
      const timer = setTimeout(giveUp, this.limits.maxWaitMs);
      gone?.addEventListener('abort', giveUp, { once: true });
      use.waiting.push(settle);
    });
    return admitted ? this.admitted(use) : refused;
  }

  /** A place held until released; a released place goes to the longest-waiting fetch, if any. */
  private admitted(use: OrgUse): FetchAdmission {
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        const next = use.waiting.shift();
        if (next) next(true);
        else use.inFlight -= 1;
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
