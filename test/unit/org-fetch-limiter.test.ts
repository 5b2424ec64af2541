import { describe, expect, it } from 'vitest';
import { OrgFetchLimiter, type OrgFetchLimits } from '../../src/image-proxy/org-fetch-limiter.js';

function limiterAt(limits: Partial<OrgFetchLimits> = {}) {
  const clock = { now: 0 };
  const all: OrgFetchLimits = { maxConcurrentPerOrg: 2, fetchesPerMinutePerOrg: 60, burstPerOrg: 3, maxWaitingPerOrg: 0, maxWaitMs: 60_000, ...limits };
  return { clock, limiter: new OrgFetchLimiter(all, () => clock.now) };
}

/** Whether the promise has settled by the time already-queued callbacks have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('image proxy: per-org fetch limiter', () => {
  it('admits up to the concurrency limit per org, and again once one is released', async () => {
    const { limiter } = limiterAt();
    const first = await limiter.admit('a');
    const second = await limiter.admit('a');
    expect([first.ok, second.ok]).toEqual([true, true]);
    // No room to wait: refused at once.
    expect(await limiter.admit('a')).toEqual({ ok: false, limit: 'concurrent', retryAfterSeconds: 1 });
    // Another org is not held back.
    expect((await limiter.admit('b')).ok).toBe(true);
    if (first.ok) {
      first.release();
      first.release(); // releasing twice frees one place, not two
    }
    expect((await limiter.admit('a')).ok).toBe(true);
    expect((await limiter.admit('a')).ok).toBe(false);
  });

  it('lets fetches past the limit wait their turn, first come first served', async () => {
    const { limiter } = limiterAt({ maxConcurrentPerOrg: 1, maxWaitingPerOrg: 2, burstPerOrg: 10 });
    const first = await limiter.admit('a');
    const second = limiter.admit('a');
    const third = limiter.admit('a');
    // The queue is full: the fourth is refused without waiting.
    expect(await limiter.admit('a')).toEqual({ ok: false, limit: 'concurrent', retryAfterSeconds: 1 });
    expect(await settled(second)).toBe(false);
    if (first.ok) first.release();
    const admitted = await second;
    expect(admitted.ok).toBe(true);
    expect(await settled(third)).toBe(false);
    if (admitted.ok) admitted.release();
    const last = await third;
    expect(last.ok).toBe(true);
    if (last.ok) last.release();
    // Everything released: a new fetch gets a place at once.
    expect(await settled(limiter.admit('a'))).toBe(true);
  });

  it('gives up waiting after maxWaitMs, or when the request goes away, and refunds the token', async () => {
    const { limiter } = limiterAt({ maxConcurrentPerOrg: 1, maxWaitingPerOrg: 5, burstPerOrg: 3, fetchesPerMinutePerOrg: 1, maxWaitMs: 20 });
    const holding = await limiter.admit('a');
    expect(await limiter.admit('a')).toEqual({ ok: false, limit: 'concurrent', retryAfterSeconds: 1 });
    const leaving = new AbortController();
    const waiting = limiter.admit('a', leaving.signal);
    leaving.abort();
    expect(await waiting).toEqual({ ok: false, limit: 'concurrent', retryAfterSeconds: 1 });
    if (holding.ok) holding.release();
    // Both waits gave their tokens back: two of the burst of three are still there.
    expect((await limiter.admit('a')).ok).toBe(true);
  });

  it('spends the burst, then refills at the per-minute rate and says when', async () => {
    const { clock, limiter } = limiterAt({ maxConcurrentPerOrg: 100, fetchesPerMinutePerOrg: 60, burstPerOrg: 3 });
    for (let i = 0; i < 3; i++) expect((await limiter.admit('a')).ok).toBe(true);
    expect(await limiter.admit('a')).toEqual({ ok: false, limit: 'rate', retryAfterSeconds: 1 });
    clock.now += 500;
    expect((await limiter.admit('a')).ok).toBe(false);
    clock.now += 500;
    expect((await limiter.admit('a')).ok).toBe(true);
    // A long pause refills no more than the burst.
    clock.now += 10 * 60_000;
    for (let i = 0; i < 3; i++) expect((await limiter.admit('a')).ok).toBe(true);
    expect((await limiter.admit('a')).ok).toBe(false);
  });

  it('rounds the wait up to whole seconds for slow rates', async () => {
    const { limiter } = limiterAt({ maxConcurrentPerOrg: 10, fetchesPerMinutePerOrg: 2, burstPerOrg: 1 });
    expect((await limiter.admit('a')).ok).toBe(true);
    expect(await limiter.admit('a')).toEqual({ ok: false, limit: 'rate', retryAfterSeconds: 30 });
  });

  it('forgets orgs that went quiet, but not those with fetches in flight', async () => {
    const { clock, limiter } = limiterAt({ maxConcurrentPerOrg: 5, fetchesPerMinutePerOrg: 60, burstPerOrg: 3 });
    for (let org = 0; org < 1000; org++) {
      const admission = await limiter.admit(`org-${org}`);
      if (admission.ok) admission.release();
    }
    const busy = await limiter.admit('busy');
    expect(limiter.trackedOrgs).toBe(1001);
    clock.now += 61_000;
    const next = await limiter.admit('next');
    if (next.ok) next.release();
    // Quiet orgs had their buckets refilled: dropping them changes nothing. 'busy' still holds a place.
    expect(limiter.trackedOrgs).toBe(2);
    if (busy.ok) busy.release();
    clock.now += 61_000;
    await limiter.admit('later');
    expect(limiter.trackedOrgs).toBe(1);
  });
});
