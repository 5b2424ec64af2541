import { DEFAULT_LOGIN_THROTTLE } from '../../src/accounts/login-throttle.js';
import type { FastifyInstance } from 'fastify';
import { Secret, TOTP } from 'otpauth';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { resealTwoFactorSecrets } from '../../src/accounts/two-factor.js';
import { buildServer } from '../../src/app/server.js';
import { ApiClient, PASSWORD, invitePerson, setUpOwner, type Person } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';

const SECRET_KEY = 'the-instance-secret-key-0123456789';
const STEP_MS = 30_000;

/** What the user's authenticator app shows at `at`, computed from the secret the server handed out. */
const codeAt = (secret: string, at: Date): string => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: at.getTime() });

/** The n-th six-digit code that is no code of the step of `at` or either neighbour. */
function wrongCode(secret: string, at: Date, n = 0): string {
  const valid = new Set([-1, 0, 1].map((steps) => codeAt(secret, new Date(at.getTime() + steps * STEP_MS))));
  const candidates = Array.from({ length: n + 4 }, (_, i) => String(100000 + i)).filter((code) => !valid.has(code));
  return candidates[n]!;
}

describeEachStore('two-factor sign-in', (current) => {
  let app: FastifyInstance;
  let now: Date;
  let owner: Person;

  async function startServer(secretKey = SECRET_KEY): Promise<FastifyInstance> {
    const server = await buildServer({
      store: current().store,
      webRoot: null,
      secretKey,
      clock: () => now,
      loginThrottle: { ...DEFAULT_LOGIN_THROTTLE, pairLimit: 5, addressLimit: 50, slowdownAfter: 1000 },
    });
    await server.ready();
    return server;
  }

  beforeEach(async () => {
    // The middle of a time step, so "one step earlier/later" is unambiguous.
    now = new Date('2026-11-27T10:00:15Z');
    app = await startServer();
    owner = await setUpOwner(app);
  });
  afterEach(() => app.close());

  const later = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };

  /** Enrols `person` and returns the secret and recovery codes; the clock moves one step on, past the confirming code. */
  async function enrol(person: Person): Promise<{ secret: string; recoveryCodes: string[] }> {
    const started = await person.client.post('/api/me/two-factor/enrolment', { password: PASSWORD });
    expect(started.status).toBe(201);
    const secret = started.body.enrolment.secret as string;
    const confirmed = await person.client.post('/api/me/two-factor/enrolment/confirm', { code: codeAt(secret, now) });
    expect(confirmed.status).toBe(200);
    later(STEP_MS);
    return { secret, recoveryCodes: confirmed.body.recoveryCodes };
  }

  /** The password step; returns the client and the challenge for the code step. */
  async function passwordStep(email: string, ip = '198.51.100.7'): Promise<{ client: ApiClient; challenge: string }> {
    const client = new ApiClient(app, ip);
    const res = await client.post('/api/session', { email, password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ twoFactorRequired: true, challenge: expect.any(String), expiresAt: new Date(now.getTime() + 5 * 60_000).toISOString() });
    return { client, challenge: res.body.challenge };
  }

  it('enrols: a password to start, a secret sealed at rest, on only after the first right code, 10 recovery codes stored hashed', async () => {
    const wrong = await owner.client.post('/api/me/two-factor/enrolment', { password: 'not my password' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('wrong_password');
    const started = await owner.client.post('/api/me/two-factor/enrolment', { password: PASSWORD });
    expect(started.status).toBe(201);
    const { secret, uri, qrCode } = started.body.enrolment;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri).toBe(`otpauth://totp/Chorus:olivia%40example.com?issuer=Chorus&secret=${secret}&algorithm=SHA1&digits=6&period=30`);
    expect(qrCode).toMatch(/^data:image\/png;base64,/);
    const row = await current().store.db.selectFrom('two_factor_credentials').selectAll().executeTakeFirstOrThrow();
    expect(row.sealed_secret).toMatch(/^v1\./);
    expect(row.sealed_secret).not.toContain(secret);
    expect((await owner.client.get('/api/me/two-factor')).body.twoFactor).toEqual({ enabled: false, enabledAt: null, recoveryCodesLeft: 0 });

    const badCode = await owner.client.post('/api/me/two-factor/enrolment/confirm', { code: wrongCode(secret, now) });
    expect(badCode.status).toBe(400);
    expect(badCode.body.error.code).toBe('invalid_code');
    expect((await owner.client.post('/api/me/two-factor/enrolment/confirm', { code: '12345' })).body.error.code).toBe('validation_failed');

    const confirmed = await owner.client.post('/api/me/two-factor/enrolment/confirm', { code: codeAt(secret, now) });
    expect(confirmed.status).toBe(200);
    const codes = confirmed.body.recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}$/);
    expect(confirmed.body.twoFactor).toEqual({ enabled: true, enabledAt: now.toISOString(), recoveryCodesLeft: 10 });
    const stored = JSON.stringify(await current().store.db.selectFrom('two_factor_recovery_codes').selectAll().execute());
    for (const code of codes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(code.replaceAll('-', ''));
    }
    const again = await owner.client.post('/api/me/two-factor/enrolment', { password: PASSWORD });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('two_factor_already_on');
  });

  it('the password step creates no session; the code step does', async () => {
    const { secret } = await enrol(owner);
    const sessionsBefore = (await current().store.db.selectFrom('sessions').selectAll().execute()).length;
    const { client, challenge } = await passwordStep(owner.email);
    expect((await current().store.db.selectFrom('sessions').selectAll().execute()).length).toBe(sessionsBefore);
    expect((await client.get('/api/session')).status).toBe(401);

    const signedIn = await client.post('/api/session/two-factor', { challenge, code: codeAt(secret, now) });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toMatchObject({ user: { email: owner.email }, orgs: [{ name: 'Acme' }], csrfToken: expect.any(String) });
    expect(String(signedIn.headers['set-cookie'])).toMatch(/chorus_session=[^;]+; .*HttpOnly/);
    expect((await client.get('/api/session')).status).toBe(200);
  });

  it('accepts the code of one step before or after, no further', async () => {
    const { secret } = await enrol(owner);
    for (const [offsetSteps, accepted] of [
      [-2, false],
      [2, false],
      [-1, true],
    ] as const) {
      const { client, challenge } = await passwordStep(owner.email);
      const res = await client.post('/api/session/two-factor', { challenge, code: codeAt(secret, new Date(now.getTime() + offsetSteps * STEP_MS)) });
      expect(res.status, `code of ${offsetSteps} steps`).toBe(accepted ? 200 : 401);
      later(3 * STEP_MS);
    }
    const { client, challenge } = await passwordStep(owner.email);
    expect((await client.post('/api/session/two-factor', { challenge, code: codeAt(secret, new Date(now.getTime() + STEP_MS)) })).status).toBe(200);
  });

  it('refuses a code used once, and any older one, for as long as it would be valid', async () => {
    const { secret } = await enrol(owner);
    const first = await passwordStep(owner.email);
    const code = codeAt(secret, now);
    expect((await first.client.post('/api/session/two-factor', { challenge: first.challenge, code })).status).toBe(200);

    const replay = await passwordStep(owner.email, '203.0.113.9');
    const replayed = await replay.client.post('/api/session/two-factor', { challenge: replay.challenge, code });
    expect(replayed.status).toBe(401);
    expect(replayed.body.error.code).toBe('invalid_code');
    later(STEP_MS);
    // Still inside the ±1 window, and still refused; so is the code of the step before it.
    expect((await replay.client.post('/api/session/two-factor', { challenge: replay.challenge, code })).status).toBe(401);
    expect(
      (await replay.client.post('/api/session/two-factor', { challenge: replay.challenge, code: codeAt(secret, new Date(now.getTime() - 2 * STEP_MS)) }))
        .status,
    ).toBe(401);
    expect((await replay.client.post('/api/session/two-factor', { challenge: replay.challenge, code: codeAt(secret, now) })).status).toBe(200);
  });

  it('signs in with a recovery code once; typed in any case, with or without dashes', async () => {
    const { recoveryCodes } = await enrol(owner);
    const { client, challenge } = await passwordStep(owner.email);
    const typed = recoveryCodes[3]!.toLowerCase().replaceAll('-', ' ');
    const res = await client.post('/api/session/two-factor', { challenge, recoveryCode: typed });
    expect(res.status).toBe(200);
    expect((await client.get('/api/me/two-factor')).body.twoFactor.recoveryCodesLeft).toBe(9);

    const again = await passwordStep(owner.email);
    const reused = await again.client.post('/api/session/two-factor', { challenge: again.challenge, recoveryCode: recoveryCodes[3] });
    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe('invalid_code');
    expect((await again.client.post('/api/session/two-factor', { challenge: again.challenge, recoveryCode: recoveryCodes[4] })).status).toBe(200);
  });

  it('locks the code step after 5 wrong codes, even for the right code, and a right password does not reset it', async () => {
    const { secret } = await enrol(owner);
    const { client, challenge } = await passwordStep(owner.email, '203.0.113.66');
    for (let i = 0; i < 5; i++) {
      const res = await client.post('/api/session/two-factor', { challenge, code: wrongCode(secret, now, i) });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_code');
    }
    const locked = await client.post('/api/session/two-factor', { challenge, code: codeAt(secret, now) });
    expect(locked.status).toBe(429);
    expect(locked.body.error).toMatchObject({ code: 'too_many_attempts', details: { scope: 'account_and_address' } });
    expect(locked.headers['retry-after']).toBe('900');
    // Someone who knows the password gets a new challenge, but not a new round of guesses.
    const fresh = await passwordStep(owner.email, '198.51.100.20');
    expect((await fresh.client.post('/api/session/two-factor', { challenge: fresh.challenge, code: codeAt(secret, now) })).status).toBe(429);
    later(15 * 60_000);
    const afterWindow = await passwordStep(owner.email, '198.51.100.20');
    expect((await afterWindow.client.post('/api/session/two-factor', { challenge: afterWindow.challenge, code: codeAt(secret, now) })).status).toBe(200);
  });

  it('refuses a challenge that expired, was tampered with, or outlived a password change', async () => {
    const { secret } = await enrol(owner);
    const stale = await passwordStep(owner.email);
    later(5 * 60_000 + 1000);
    const expired = await stale.client.post('/api/session/two-factor', { challenge: stale.challenge, code: codeAt(secret, now) });
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('sign_in_expired');

    const editor = await invitePerson(owner, 'Erin Editor', 'editor');
    const { client, challenge } = await passwordStep(owner.email);
    const [, expires, signature] = challenge.split('.');
    const forged = await client.post('/api/session/two-factor', { challenge: `${editor.userId}.${expires}.${signature}`, code: '123456' });
    expect(forged.body.error.code).toBe('sign_in_expired');
    const stretched = await client.post('/api/session/two-factor', {
      challenge: `${owner.userId}.${Number(expires) + 3_600_000}.${signature}`,
      code: codeAt(secret, now),
    });
    expect(stretched.body.error.code).toBe('sign_in_expired');

    expect((await owner.client.post('/api/me/password', { currentPassword: PASSWORD, newPassword: 'a brand new password' })).status).toBe(204);
    const voided = await client.post('/api/session/two-factor', { challenge, code: codeAt(secret, now) });
    expect(voided.status).toBe(401);
    expect(voided.body.error.code).toBe('sign_in_expired');
  });

  it('turns off with the password or a code, and new recovery codes void the old ones', async () => {
    const { secret, recoveryCodes } = await enrol(owner);
    const renewed = await owner.client.post('/api/me/two-factor/recovery-codes', { password: PASSWORD });
    expect(renewed.status).toBe(200);
    expect(renewed.body.recoveryCodes).toHaveLength(10);
    const step = await passwordStep(owner.email);
    expect((await step.client.post('/api/session/two-factor', { challenge: step.challenge, recoveryCode: recoveryCodes[0] })).status).toBe(401);

    expect((await owner.client.post('/api/me/two-factor/disable', {})).body.error.code).toBe('validation_failed');
    expect((await owner.client.post('/api/me/two-factor/disable', { password: PASSWORD, code: codeAt(secret, now) })).body.error.code).toBe(
      'validation_failed',
    );
    const wrong = await owner.client.post('/api/me/two-factor/disable', { password: 'not my password' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('wrong_password');
    expect((await owner.client.post('/api/me/two-factor/disable', { code: codeAt(secret, now) })).status).toBe(204);
    expect(await current().store.db.selectFrom('two_factor_recovery_codes').selectAll().execute()).toEqual([]);
    expect((await owner.client.get('/api/me/two-factor')).body.twoFactor.enabled).toBe(false);

    const plain = await new ApiClient(app).post('/api/session', { email: owner.email, password: PASSWORD });
    expect(plain.body).toMatchObject({ user: { email: owner.email }, csrfToken: expect.any(String) });
  });

  it('an org that requires two-factor sign-in refuses members without it until they enrol', async () => {
    const editor = await invitePerson(owner, 'Erin Editor', 'editor');
    const admin = await invitePerson(owner, 'Adam Admin', 'admin');
    const org = `/api/orgs/${owner.orgId}`;
    expect((await admin.client.patch(`${org}/security`, { requireTwoFactor: true })).status).toBe(403);
    const notYet = await owner.client.patch(`${org}/security`, { requireTwoFactor: true });
    expect(notYet.status).toBe(409);
    expect(notYet.body.error.code).toBe('enable_two_factor_first');

    await enrol(owner);
    const required = await owner.client.patch(`${org}/security`, { requireTwoFactor: true });
    expect(required.status).toBe(200);
    expect(required.body.org.requiresTwoFactor).toBe(true);
    expect((await owner.client.get(`${org}/audit`)).body.events[0]).toMatchObject({ action: 'org.two_factor_required', actorUserId: owner.userId });

    const token = (await editor.client.post('/api/me/tokens', { name: 'script' })).body.token as string;
    const script = new ApiClient(app);
    script.bearer = token;
    for (const caller of [editor.client, script]) {
      const refused = await caller.get(`${org}/members`);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('two_factor_required');
    }
    // The member still sees the org, and why it is closed to them.
    expect((await editor.client.get('/api/orgs')).body.orgs).toEqual([expect.objectContaining({ id: owner.orgId, requiresTwoFactor: true })]);

    const members = (await owner.client.get(`${org}/members`)).body.members as { email: string; twoFactor?: boolean }[];
    expect(Object.fromEntries(members.map((m) => [m.email, m.twoFactor]))).toEqual({
      'olivia@example.com': true,
      'erin@example.com': false,
      'adam@example.com': false,
    });

    await enrol(editor);
    const allowed = await editor.client.get(`${org}/members`);
    expect(allowed.status).toBe(200);
    // Editors do not see who has two factors; admins and owners do.
    expect(allowed.body.members.every((m: object) => !('twoFactor' in m))).toBe(true);
    expect((await script.get(`${org}/members`)).status).toBe(200);

    expect((await owner.client.patch(`${org}/security`, { requireTwoFactor: false })).body.org.requiresTwoFactor).toBe(false);
    expect((await admin.client.get(`${org}/members`)).status).toBe(200);
  });

  it('key rotation re-seals the secrets: the new key reads them, the old one no longer does', async () => {
    const { secret } = await enrol(owner);
    const newKey = 'the-next-instance-secret-key-98765';
    expect(await resealTwoFactorSecrets(current().store.db, SECRET_KEY, newKey)).toEqual({ resealed: 1, alreadyNew: 0 });
    expect(await resealTwoFactorSecrets(current().store.db, SECRET_KEY, newKey)).toEqual({ resealed: 0, alreadyNew: 1 });

    const { client, challenge } = await passwordStep(owner.email);
    const withOldKey = await client.post('/api/session/two-factor', { challenge, code: codeAt(secret, now) });
    expect(withOldKey.status).toBe(409);
    expect(withOldKey.body.error.code).toBe('two_factor_unreadable');

    await app.close();
    app = await startServer(newKey);
    const rotated = await passwordStep(owner.email);
    expect((await rotated.client.post('/api/session/two-factor', { challenge: rotated.challenge, code: codeAt(secret, now) })).status).toBe(200);
  });
});
