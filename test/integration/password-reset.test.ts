import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { digestSecret } from '../../src/lib/ids.js';
import { ApiClient, PASSWORD, buildTestServer, setUpOwner, type Person } from '../support/api-client.js';
import { startMailServer, type CapturedMail, type MailServer } from '../support/mail-server.js';
import { describeEachStore } from '../support/stores.js';

const PUBLIC_URL = 'https://chorus.example';
const NEW_PASSWORD = 'a new and long password';

/** The token of the reset link in a mail, checking the link points at the public URL. */
function linkToken(mail: CapturedMail): string {
  const match = /(\S+)\/reset-password\/([A-Za-z0-9_-]+)/.exec(mail.text);
  if (!match) throw new Error(`no reset link in:\n${mail.text}`);
  expect(match[1]).toBe(PUBLIC_URL);
  return match[2]!;
}

describeEachStore('password reset by mail', (current) => {
  let mail: MailServer;
  let app: FastifyInstance;
  let now: Date;
  let owner: Person;
  beforeEach(async () => {
    now = new Date('2026-11-27T10:00:00Z');
    mail = await startMailServer();
    app = await buildTestServer(current().store, {
      clock: () => now,
      publicUrl: PUBLIC_URL,
      mail: { smtpUrl: mail.smtpUrl, from: 'Chorus <chorus@chorus.example>' },
    });
    owner = await setUpOwner(app);
  });
  afterEach(async () => {
    await app.close();
    await mail.close();
  });

  it('mails a single-use link that sets the password, signs out every session, and lets a locked-out user in at once', async () => {
    const laptop = new ApiClient(app, '198.51.100.30');
    expect((await laptop.post('/api/session', { email: owner.email, password: PASSWORD })).status).toBe(200);
    // The user mistypes until their own address is refused.
    const phone = new ApiClient(app, '203.0.113.31');
    for (let i = 0; i < 5; i++) expect((await phone.post('/api/session', { email: owner.email, password: `typo-${i}` })).status).toBe(401);
    expect((await phone.post('/api/session', { email: owner.email, password: PASSWORD })).status).toBe(429);

    // A forged Host header does not change where the link points.
    const asked = await phone.request('POST', '/api/password-reset', { email: 'Olivia@Example.com' }, { host: 'evil.example' });
    expect(asked.status).toBe(202);
    expect(asked.body).toEqual({ linkLifetimeMinutes: 30 });
    const received = await mail.nextMail();
    expect(received.to).toEqual(['olivia@example.com']);
    expect(received.from).toContain('chorus@chorus.example');
    expect(received.subject).toBe('Reset your Chorus password');
    expect(received.text).toContain('Hello Olivia Owner');
    const token = linkToken(received);
    const stored = await current().store.db.selectFrom('password_resets').selectAll().execute();
    expect(stored.map((row) => row.token_hash)).toEqual([digestSecret(token)]);

    expect((await phone.get(`/api/password-reset/${token}`)).body).toEqual({ expiresAt: '2026-11-27T10:30:00.000Z' });
    const reset = await phone.post(`/api/password-reset/${token}`, { password: NEW_PASSWORD });
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({ email: 'olivia@example.com' });

    expect((await laptop.get('/api/session')).status).toBe(401);
    expect((await owner.client.get('/api/session')).status).toBe(401);
    expect((await phone.post('/api/session', { email: owner.email, password: PASSWORD })).status).toBe(401);
    expect((await phone.post('/api/session', { email: owner.email, password: NEW_PASSWORD })).status).toBe(200);

    const reused = await new ApiClient(app).post(`/api/password-reset/${token}`, { password: 'the attacker password' });
    expect(reused.status).toBe(404);
    expect(reused.body.error.code).toBe('reset_link_invalid');
    expect((await new ApiClient(app).get(`/api/password-reset/${token}`)).status).toBe(404);
  });

  it('answers the same for an email without an account, and mails nothing for it', async () => {
    const client = new ApiClient(app, '198.51.100.40');
    const unknown = await client.post('/api/password-reset', { email: 'nobody@example.com' });
    await current().store.db.updateTable('users').set({ locale: 'ja' }).where('email', '=', owner.email).execute();
    const known = await client.post('/api/password-reset', { email: owner.email });
    expect([unknown.status, unknown.raw]).toEqual([known.status, known.raw]);
    const received = await mail.nextMail();
    expect(received.to).toEqual(['olivia@example.com']);
    // In the user's language.
    expect(received.subject).toBe('Chorus のパスワードの再設定');
    expect(received.text).toContain('このリンクは 30 分間');
    expect(mail.received).toHaveLength(1);
  });

  it('refuses an expired link and leaves the password as it was', async () => {
    await new ApiClient(app).post('/api/password-reset', { email: owner.email });
    const token = linkToken(await mail.nextMail());
    now = new Date(now.getTime() + 30 * 60_000 + 1000);
    expect((await new ApiClient(app).get(`/api/password-reset/${token}`)).status).toBe(404);
    const late = await new ApiClient(app).post(`/api/password-reset/${token}`, { password: NEW_PASSWORD });
    expect(late.status).toBe(404);
    expect(late.body.error.code).toBe('reset_link_invalid');
    expect((await new ApiClient(app).post('/api/session', { email: owner.email, password: PASSWORD })).status).toBe(200);
  });

  it('mails one account at most 3 links per half hour, and refuses an address after 10 requests', async () => {
    for (let i = 0; i < 5; i++) expect((await new ApiClient(app, `198.51.100.${50 + i}`).post('/api/password-reset', { email: owner.email })).status).toBe(202);
    const tokens = [];
    for (let i = 0; i < 3; i++) tokens.push(linkToken(await mail.nextMail()));
    // Every mailed link still works: the cap never leaves the real user without one.
    for (const token of tokens) expect((await new ApiClient(app).get(`/api/password-reset/${token}`)).status).toBe(200);

    const noisy = new ApiClient(app, '203.0.113.60');
    for (let i = 0; i < 10; i++) expect((await noisy.post('/api/password-reset', { email: `someone${i}@example.com` })).status).toBe(202);
    const refused = await noisy.post('/api/password-reset', { email: owner.email });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('too_many_reset_requests');
    expect(refused.headers['retry-after']).toBe('3600');

    // Half an hour on, the account may be mailed again (from an address that is not refused).
    now = new Date(now.getTime() + 30 * 60_000 + 1000);
    expect((await new ApiClient(app, '198.51.100.70').post('/api/password-reset', { email: owner.email })).status).toBe(202);
    expect((await mail.nextMail()).to).toEqual(['olivia@example.com']);
    expect(mail.received).toHaveLength(4);
  });

  it('keeps reset tokens out of the request log', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _encoding, done) => done(void lines.push(String(chunk))) }));
    const logged = await buildTestServer(current().store, {
      logger,
      clock: () => now,
      publicUrl: PUBLIC_URL,
      mail: { smtpUrl: mail.smtpUrl, from: 'chorus@chorus.example' },
    });
    try {
      await new ApiClient(logged).post('/api/password-reset', { email: owner.email });
      const token = linkToken(await mail.nextMail());
      await logged.inject({ method: 'GET', url: `/reset-password/${token}`, headers: { accept: 'text/html' } });
      await new ApiClient(logged).get(`/api/password-reset/${token}`);
      await new ApiClient(logged).post(`/api/password-reset/${token}`, { password: NEW_PASSWORD });
      const log = lines.join('');
      expect(log).toContain('/reset-password/[redacted]');
      expect(log).toContain('/api/password-reset/[redacted]');
      expect(log).not.toContain(token);
    } finally {
      await logged.close();
    }
  });
});

describeEachStore('password reset without mail', (current) => {
  it('says mail is not set up and to ask the operator for `chorus user set-password`', async () => {
    const app = await buildTestServer(current().store, { publicUrl: PUBLIC_URL });
    try {
      await setUpOwner(app);
      const client = new ApiClient(app);
      expect((await client.get('/api/password-reset')).body).toEqual({ byMail: false });
      const res = await client.post('/api/password-reset', { email: 'olivia@example.com' });
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('password_reset_unavailable');
      expect(res.body.error.message).toContain('chorus user set-password');
      expect(res.body.error.details).toEqual({ missingSetting: 'CHORUS_SMTP_URL' });
    } finally {
      await app.close();
    }
  });

  it('does not mail links without a public URL: the Host header cannot be trusted', async () => {
    const mail = await startMailServer();
    const app = await buildTestServer(current().store, { mail: { smtpUrl: mail.smtpUrl, from: 'chorus@chorus.example' } });
    try {
      await setUpOwner(app);
      const res = await new ApiClient(app).request('POST', '/api/password-reset', { email: 'olivia@example.com' }, { host: 'evil.example' });
      expect(res.status).toBe(503);
      expect(res.body.error.details).toEqual({ missingSetting: 'CHORUS_PUBLIC_URL' });
      expect(mail.received).toEqual([]);
    } finally {
      await app.close();
      await mail.close();
    }
  });
});
