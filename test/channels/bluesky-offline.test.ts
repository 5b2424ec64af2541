/** The parts of the Bluesky connector that need no server: record keys, length rule, rate limits. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBlueskyConnector } from '../../src/channels/bluesky/connector.js';
import { recordKeyFor } from '../../src/channels/bluesky/record-key.js';
import { blueskyRules } from '../../core/networks/bluesky.js';

const measureBlueskyText = (text: string) => blueskyRules.measureText(text);

const TID = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;

describe('Bluesky record keys from idempotency keys', () => {
  it('are valid TIDs, the same for the same key and different for different keys', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(recordKeyFor(a)).toMatch(TID);
        expect(recordKeyFor(a)).toBe(recordKeyFor(a));
        if (a !== b) expect(recordKeyFor(a)).not.toBe(recordKeyFor(b));
      }),
    );
  });
});

describe('Bluesky text length', () => {
  it('counts graphemes, not code units', () => {
    expect(measureBlueskyText('日本語 🇯🇵 👨‍👩‍👧')).toMatchObject({ length: 7, limit: 300, fits: true });
    expect(measureBlueskyText('é'.normalize('NFD').repeat(301))).toMatchObject({ length: 301, fits: false });
  });
});

describe('Bluesky rate limits', () => {
  const now = new Date('2026-11-27T10:00:00Z');
  const resetIn30s = String(now.getTime() / 1000 + 30);

  it('maps a 429 to rate_limited with the time until ratelimit-reset', async () => {
    const fetch = async () =>
      new Response(JSON.stringify({ error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }), {
        status: 429,
        headers: { 'content-type': 'application/json', 'ratelimit-remaining': '0', 'ratelimit-reset': resetIn30s },
      });
    const connector = createBlueskyConnector(
      { service: 'https://pds.example', identifier: 'alice.example', appPassword: 'app-pass' },
      { fetch, now: () => now, saveCredentials: async () => {} },
    );
    expect(await connector.verify()).toEqual({ ok: false, failure: { kind: 'rate_limited', message: expect.any(String), retryAfterMs: 30_000 } });
  });

  it('stops calling once the server says no requests remain, until the reset', async () => {
    let calls = 0;
    let clock = now;
    const fetch = async () => {
      calls++;
      return new Response(JSON.stringify({ error: 'AuthenticationRequired', message: 'Invalid identifier or password' }), {
        status: 401,
        headers: { 'content-type': 'application/json', 'ratelimit-remaining': '0', 'ratelimit-reset': resetIn30s },
      });
    };
    const connector = createBlueskyConnector(
      { service: 'https://pds.example', identifier: 'alice.example', appPassword: 'wrong' },
      { fetch, now: () => clock, saveCredentials: async () => {} },
    );
    expect(await connector.verify()).toMatchObject({ ok: false, failure: { kind: 'auth' } });
    expect(await connector.verify()).toEqual({ ok: false, failure: { kind: 'rate_limited', message: expect.any(String), retryAfterMs: 30_000 } });
    expect(calls).toBe(1);
    clock = new Date(now.getTime() + 31_000);
    await connector.verify();
    expect(calls).toBe(2);
  });
});
