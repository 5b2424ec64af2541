/**
 * The channel view's `tokenExpiresAt` on both stores: what each network's credentials say about
 * their token's end, read from a plain column (never from the sealed credentials when listing),
 * null where Chorus renews the token itself, and never the token.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.js';
import { xCredentialsSchema, xTokenExpiry } from '../../src/channels/x/credentials.js';
import { setUpOwner, type Person } from '../support/api-client.js';
import { startContractServer, type ContractServer } from '../support/contract-server.js';
import { describeEachStore } from '../support/stores.js';

const SECRET = 'token-expiry-test-secret-0123456789';
const APP_SECRET = 'abcdef0123456789abcdef0123456789';
const PAGE_ID = '104857600123456';
const IG = '17841400000000002';
const PAGE_TOKEN = 'EAAPage'.padEnd(60, 'p');
const IG_TOKEN = 'EAAInsta'.padEnd(60, 'i');
const NOW = Date.parse('2026-12-05T01:30:00Z');
const DAY = 24 * 60 * 60_000;
const inDays = (days: number) => new Date(NOW + days * DAY).toISOString();

describeEachStore('Token expiry in the channel view', (current) => {
  let remote: ContractServer;
  let app: FastifyInstance;
  let owner: Person;

  beforeAll(async () => {
    remote = await startContractServer();
  });
  afterAll(() => remote.close());
  beforeEach(async () => {
    Object.assign(remote.routes, {
      [`GET /v21.0/${PAGE_ID}`]: () => ({
        json: { id: PAGE_ID, name: 'ACME ベーカリー', username: 'acmebakery', link: 'https://www.facebook.com/acmebakery' },
      }),
      [`GET /v21.0/${IG}`]: () => ({ json: { id: IG, username: 'acme.bakery', name: 'ACME ベーカリー' } }),
      'GET /v1.0/me': () => ({ json: { id: '17841400000000001', username: 'acme_threads', name: 'ACME Threads' } }),
      // A refresh that keeps failing: the token's end is then the user's business.
      'GET /refresh_access_token': () => ({ status: 400, json: { error: { message: 'Session has expired', type: 'OAuthException', code: 190 } } }),
      'GET /rest/organizations/:id': () => ({ json: { id: 2414183, localizedName: 'ACME LinkedIn', vanityName: 'acme-bakery' } }),
    });
    app = await buildServer({
      store: current().store,
      webRoot: null,
      secretKey: SECRET,
      clock: () => new Date(NOW),
      addressPolicy: { allowPrivateNetwork: true },
    });
    await app.ready();
    owner = await setUpOwner(app);
  });
  afterEach(async () => {
    await app.close();
  });

  const channels = () => `/api/orgs/${owner.orgId}/channels`;
  const connect = (network: string, credentials: Record<string, unknown>) =>
    owner.client.post(channels(), { network, credentials: { apiBase: remote.url, ...credentials } });
  const facebook = (extra: Record<string, unknown> = {}) =>
    connect('facebook', { pageId: PAGE_ID, pageAccessToken: PAGE_TOKEN, appSecret: APP_SECRET, ...extra });
  const listed = async () => {
    const answer = await owner.client.get(channels());
    expect(answer.status).toBe(200);
    return {
      raw: answer.raw,
      byNetwork: Object.fromEntries(answer.body.channels.map((c: { network: string; tokenExpiresAt: string | null }) => [c.network, c.tokenExpiresAt])),
    };
  };

  it("shows a Meta token's end, given as debug_token's Unix seconds or as ISO, in the list and the single channel, never the token", async () => {
    const unixSeconds = Math.floor((NOW + 10 * DAY) / 1000);
    const page = await facebook({ tokenExpiresAt: unixSeconds });
    expect(page.status).toBe(201);
    expect(page.body.channel.tokenExpiresAt).toBe(new Date(unixSeconds * 1000).toISOString());
    const insta = await connect('instagram', { igUserId: IG, accessToken: IG_TOKEN, appSecret: APP_SECRET, tokenExpiresAt: '2027-01-20T09:00:00+09:00' });
    expect(insta.status).toBe(201);
    expect(insta.body.channel.tokenExpiresAt).toBe('2027-01-20T09:00:00+09:00');

    const { raw, byNetwork } = await listed();
    expect(byNetwork).toEqual({ facebook: new Date(unixSeconds * 1000).toISOString(), instagram: '2027-01-20T09:00:00+09:00' });
    expect(raw).not.toContain(PAGE_TOKEN);
    expect(raw).not.toContain(IG_TOKEN);
    const checked = await owner.client.post(`${channels()}/${page.body.channel.id}/check`);
    expect(checked.body.channel.tokenExpiresAt).toBe(new Date(unixSeconds * 1000).toISOString());
  });

  it('reads the end from its own column, not from the sealed credentials', async () => {
    const page = await facebook({ tokenExpiresAt: inDays(3) });
    const row = await current()
      .store.db.selectFrom('channel_accounts')
      .select(['token_expires_at', 'credentials'])
      .where('id', '=', page.body.channel.id)
      .executeTakeFirstOrThrow();
    expect(row.token_expires_at).toBe(inDays(3));
    expect(row.credentials).not.toContain(inDays(3));
    // Credentials nobody can open any more: the list still says when the token ends.
    await current().store.db.updateTable('channel_accounts').set({ credentials: 'v1.unreadable' }).where('id', '=', page.body.channel.id).execute();
    expect((await listed()).byNetwork.facebook).toBe(inDays(3));
  });

  it('has no end for a token that does not expire: none given, or debug_token says 0', async () => {
    expect((await facebook()).body.channel.tokenExpiresAt).toBeNull();
    const insta = await connect('instagram', { igUserId: IG, accessToken: IG_TOKEN, appSecret: APP_SECRET, tokenExpiresAt: 0 });
    expect(insta.body.channel.tokenExpiresAt).toBeNull();
  });

  it('refuses an expiry that is neither a time nor Unix seconds, naming the field', async () => {
    const answer = await facebook({ tokenExpiresAt: 'next month' });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('invalid_channel_credentials');
    expect(answer.body.error.message).toContain('tokenExpiresAt');
  });

  it('LinkedIn: shows the end when Chorus cannot refresh the token, null when it can', async () => {
    const base = { organizationId: '2414183', accessToken: 'AQV'.padEnd(40, 'l'), authBase: remote.url, expiresAt: inDays(5) };
    const pasted = await connect('linkedin', base);
    expect(pasted.status).toBe(201);
    expect(pasted.body.channel.tokenExpiresAt).toBe(inDays(5));
    const renewable = await owner.client.request('PUT', `${channels()}/${pasted.body.channel.id}/credentials`, {
      credentials: { ...base, apiBase: remote.url, refreshToken: 'refresh-token', clientId: 'client', clientSecret: 'client-secret' },
    });
    expect(renewable.status).toBe(200);
    expect(renewable.body.channel.tokenExpiresAt).toBeNull();
  });

  it('Threads: no end while Chorus still has its last week to refresh the token, the end once that week began and the refresh failed', async () => {
    const far = await connect('threads', { accessToken: 'THQWJ'.padEnd(40, 't'), expiresAt: inDays(30) });
    expect(far.status).toBe(201);
    expect(far.body.channel.tokenExpiresAt).toBeNull();
    const near = await owner.client.request('PUT', `${channels()}/${far.body.channel.id}/credentials`, {
      credentials: { accessToken: 'THQWJ'.padEnd(40, 't'), apiBase: remote.url, expiresAt: inDays(4) },
    });
    expect(near.status).toBe(200);
    expect(near.body.channel.tokenExpiresAt).toBe(inDays(4));
  });

  it('fills the end of a channel stored before the column existed the first time its credentials are opened', async () => {
    const page = await facebook({ tokenExpiresAt: inDays(20) });
    await current().store.db.updateTable('channel_accounts').set({ token_expires_at: null }).execute();
    const checked = await owner.client.post(`${channels()}/${page.body.channel.id}/check`);
    expect(checked.body.channel.tokenExpiresAt).toBe(inDays(20));
  });
});

describe('X token expiry', () => {
  const x = (extra: Record<string, string>) =>
    xCredentialsSchema.parse({ clientId: 'client', accessToken: 'access', userId: '42', username: 'acme', expiresAt: '2026-12-05T03:30:00Z', ...extra });
  it('has no end to show for a token Chorus refreshes, and its two hours for one it cannot', () => {
    expect(xTokenExpiry.of(x({ refreshToken: 'refresh' }))).toBeNull();
    expect(xTokenExpiry.of(x({}))).toBe('2026-12-05T03:30:00Z');
  });
});
