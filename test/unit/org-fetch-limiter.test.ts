import { describe, expect, it } from 'vitest';
import { OrgFetchLimiter } from '../../src/streams/image-proxy/org-fetch-limiter.js';

function limiterAt(limits = { maxConcurrentPerOrg: 2, fetchesPerMinutePerOrg: 60, burstPerOrg: 3 }) {
  const clock = { now: 0 };
  return { clock, limiter: new OrgFetchLimiter(limits, () => clock.now) };
}

describe('image proxy: per-org fetch limiter', () => {
  it('admits up to the concurrency limit per org, and again once one is released', () => {
    const { limiter } = limiterAt();
    const first = limiter.admit('a');
    const second = limiter.admit('a');
    expect([first.ok, second.ok]).toEqual([true, true]);
    expect(limiter.admit('a')).toEqual({ ok: false, limit: 'concurrent', retryAfterSeconds: 1 });
    // Another org is not held back.
    expect(limiter.admit('b').ok).toBe(true);
    if (first.ok) {
      first.release();
      first.release(); // releasing twice frees one place, not two
    }
    expect(limiter.admit('a').ok).toBe(true);
    expect(limiter.admit('a').ok).toBe(false);
  });

  it('spends the burst, then refills at the per-minute rate and says when', () => {
    const { clock, limiter } = limiterAt({ maxConcurrentPerOrg: 100, fetchesPerMinutePerOrg: 60, burstPerOrg: 3 });
    for (let i = 0; i < 3; i++) expect(limiter.admit('a').ok).toBe(true);
    expect(limiter.admit('a')).toEqual({ ok: false, limit: 'rate', retryAfterSeconds: 1 });
    clock.now += 500;
    expect(limiter.admit('a').ok).toBe(false);
    clock.now += 500;
    expect(limiter.admit('a').ok).toBe(true);
    // A long pause refills no more than the burst.
    clock.now += 10 * 60_000;
    for (let i = 0; i < 3; i++) expect(limiter.admit('a').ok).toBe(true);
    expect(limiter.admit('a').ok).toBe(false);
  });

  it('rounds the wait up to whole seconds for slow rates', () => {
    const { limiter } = limiterAt({ maxConcurrentPerOrg: 10, fetchesPerMinutePerOrg: 2, burstPerOrg: 1 });
    expect(limiter.admit('a').ok).toBe(true);
    expect(limiter.admit('a')).toEqual({ ok: false, limit: 'rate', retryAfterSeconds: 30 });
  });

  it('forgets orgs that went quiet, but not those with fetches in flight', () => {
    const { clock, limiter } = limiterAt({ maxConcurrentPerOrg: 5, fetchesPerMinutePerOrg: 60, burstPerOrg: 3 });
    for (let org = 0; org < 1000; org++) {
      const admission = limiter.admit(`org-${org}`);
      if (admission.ok) admission.release();
    }
    const busy = limiter.admit('busy');
    expect(limiter.trackedOrgs).toBe(1001);
    clock.now += 61_000;
    const next = limiter.admit('next');
    if (next.ok) next.release();
    // Quiet orgs had their buckets refilled: dropping them changes nothing. 'busy' still holds a place.
    expect(limiter.trackedOrgs).toBe(2);
    if (busy.ok) busy.release();
    clock.now += 61_000;
    limiter.admit('later');
    expect(limiter.trackedOrgs).toBe(1);
  });
});
