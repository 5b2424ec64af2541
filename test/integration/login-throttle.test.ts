import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DEFAULT_LOGIN_THROTTLE, throttleAddress } from '../../src/accounts/login-throttle.js';
import { ApiClient, PASSWORD, buildTestServer, setUpOwner, type Person } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';

/**
 * Brute force is kept out per client address, never by locking the account: an attacker
 * must not get a button that locks the real user out. Default policy: 5 failures per
 * (account, address), 20 per address, and an account with 10+ failures from anywhere is
 * slowed down (250 ms doubling to 4 s), never refused.
 */
describeEachStore('login throttling', (current) => {
  let app: FastifyInstance;
  let now: Date;
  let waits: number[];
  let owner: Person;
  beforeEach(async () => {
    now = new Date('2026-11-27T10:00:00Z');
    waits = [];
    app = await buildTestServer(current().store, {
      clock: () => now,
      loginSlowdown: async (milliseconds) => {
        waits.push(milliseconds);
      },
    });
    owner = await setUpOwner(app);
  });
  afterEach(() => app.close());

  const signIn = (ip: string, password: string, email = owner.email) => new ApiClient(app, ip).post('/api/session', { email, password });

  it("an attacker's 50 wrong passwords from one address do not keep the real user out", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) statuses.push((await signIn('203.0.113.9', `guess-${i}`)).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(new Set(statuses.slice(5))).toEqual(new Set([429]));

    const refused = await signIn('203.0.113.9', PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('too_many_attempts');
    expect(refused.body.error.details).toEqual({ scope: 'account_and_address', retryAfterSeconds: 900 });
    expect(refused.headers['retry-after']).toBe('900');

    expect((await signIn('198.51.100.7', PASSWORD)).status).toBe(200);
    expect(waits).toEqual([]);

    now = new Date(now.getTime() + 15 * 60_000 + 1000);
    expect((await signIn('203.0.113.9', 'yet another guess')).status).toBe(401);
  });

  it('checks no more than 5 passwords of one address however many arrive at once', async () => {
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn('203.0.113.10', `parallel-${i}`)));
    const checked = burst.filter((r) => r.status === 401).length;
    expect(burst.every((r) => r.status === 401 || r.status === 429)).toBe(true);
    expect(checked).toBeLessThanOrEqual(5);
    const later: number[] = [];
    for (let i = 0; i < 10; i++) later.push((await signIn('203.0.113.10', `sequential-${i}`)).status);
    expect(checked + later.filter((s) => s === 401).length).toBe(5);
  });

  it('refuses an address that sprays passwords over many accounts, and only that address', async () => {
    for (let i = 0; i < 20; i++) expect((await signIn('203.0.113.50', 'Password1!', `victim${i}@example.com`)).status).toBe(401);
    const blocked = await signIn('203.0.113.50', PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.details.scope).toBe('address');
    expect((await signIn('198.51.100.8', PASSWORD)).status).toBe(200);
  });

  it('slows down, never refuses, an account guessed at from many addresses', async () => {
    for (let address = 1; address <= 5; address++) {
      for (let i = 0; i < 4; i++) expect((await signIn(`198.51.100.${address}`, `guess-${address}-${i}`)).status).toBe(401);
    }
    // Failures 11 to 20 waited longer and longer, capped at 4 s.
    expect(waits).toEqual([250, 500, 1000, 2000, 4000, 4000, 4000, 4000, 4000, 4000]);
    const real = await signIn('192.0.2.44', PASSWORD);
    expect(real.status).toBe(200);
    expect(waits.at(-1)).toBe(DEFAULT_LOGIN_THROTTLE.maxDelayMs);
  });

  it('the right password forgives that address its failures at that account', async () => {
    for (let i = 0; i < 4; i++) expect((await signIn('203.0.113.77', `typo-${i}`)).status).toBe(401);
    expect((await signIn('203.0.113.77', PASSWORD)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await signIn('203.0.113.77', `typo-again-${i}`)).status).toBe(401);
    expect((await signIn('203.0.113.77', PASSWORD)).status).toBe(429);
  });

  it('counts an IPv6 client by its /64, so rotating addresses inside it does not buy more guesses', async () => {
    for (let i = 1; i <= 5; i++) expect((await signIn(`2001:db8:1:2::${i}`, `guess-${i}`)).status).toBe(401);
    const rotated = await signIn('2001:db8:1:2:ffff::1', PASSWORD);
    expect(rotated.status).toBe(429);
    expect((await signIn('2001:db8:1:3::1', PASSWORD)).status).toBe(200);
    expect(throttleAddress('::ffff:203.0.113.5')).toBe('203.0.113.5');
  });

  it('refuses the password change after 5 wrong current passwords, even the right one', async () => {
    for (let i = 0; i < 5; i++) {
      const wrong = await owner.client.post('/api/me/password', { currentPassword: `guess-${i}`, newPassword: 'a brand new password' });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.code).toBe('wrong_password');
    }
    const refused = await owner.client.post('/api/me/password', { currentPassword: PASSWORD, newPassword: 'a brand new password' });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('too_many_attempts');
    expect((await signIn('198.51.100.20', PASSWORD)).status).toBe(200);
  });
});
