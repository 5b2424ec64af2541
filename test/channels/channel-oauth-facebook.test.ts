/**
 * "Sign in with Facebook" (Facebook Login for Business), end to end through the HTTP API on both
 * stores: start → authorize URL → callback with a code → short-lived user token → long-lived
 * user token → the Pages the person manages (paged) → every Page and linked Instagram account the
 * org lacks connected, those it has renewed, each verified by its connector and stored sealed in
 * the paste form's shape → browser redirected. The Graph API is the local contract server
 * answering with the documented shapes.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialsCipher } from '../../src/channels/credentials-cipher.js';
import { appSecretProof } from '../../src/channels/facebook/api.js';
import type { ChannelOAuthSettings } from '../../src/channels/oauth/settings.js';
import { buildServer } from '../../src/app/server.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { ApiClient, invitePerson, setUpOwner, type Person } from '../support/api-client.js';
import { startContractServer, type ContractServer } from '../support/contract-server.js';
import { describeEachStore } from '../support/stores.js';

const SECRET = 'test-secret-key-0123456789abcdef';
const PUBLIC_URL = 'https://chorus.example';
const CALLBACK = `${PUBLIC_URL}/api/channels/oauth/callback`;
const APP_ID = '1234567890123';
const APP_SECRET = '0123456789abcdef0123456789abcdef';
const SHORT = 'EAAshort'.padEnd(40, 's');
const LONG = 'EAAlong'.padEnd(40, 'l');
const SHIBUYA = '104000000000001';
const UMEDA = '104000000000002';
const VIEWED = '104000000000003';
const IG = '17841400000000077';
const pageToken = (id: string, round = 1) => `EAApage${id}r${round}`.padEnd(48, 'p');
const FULL = ['ANALYZE', 'ADVERTISE', 'MODERATE', 'CREATE_CONTENT', 'MANAGE'];
const PAGE_NAMES: Record<string, string> = { [SHIBUYA]: 'ACME ベーカリー 渋谷', [UMEDA]: 'ACME ベーカリー 梅田', [VIEWED]: 'ACME Fans' };

describeEachStore('connecting Facebook Pages and Instagram accounts with Facebook Login', (current) => {
  let app: FastifyInstance;
  let graph: ContractServer;
  let channelOAuth: ChannelOAuthSettings;
  let owner: Person;
  let round: number;

  /** Two pages of /me/accounts: Shibuya with its Instagram account, then Umeda, a Page only analysed, and an entry in another shape. */
  const accountsRoute = () => ({
    'GET /v21.0/me/accounts': (request: { query: URLSearchParams }) =>
      request.query.get('after') === 'QVFIUmFmter'
        ? {
            json: {
              data: [
                { id: UMEDA, name: PAGE_NAMES[UMEDA], access_token: pageToken(UMEDA, round), category: 'Bakery', tasks: FULL },
                { id: VIEWED, name: PAGE_NAMES[VIEWED], access_token: pageToken(VIEWED, round), tasks: ['ANALYZE'] },
                { id: 'not-a-page', name: 42 },
              ],
              paging: { cursors: { before: 'QVFIUmJlZm9yZTI', after: 'QVFIUmVuZA' } },
            },
          }
        : {
            json: {
              data: [
                {
                  id: SHIBUYA,
                  name: PAGE_NAMES[SHIBUYA],
                  access_token: pageToken(SHIBUYA, round),
                  category: 'Bakery',
                  tasks: FULL,
                  instagram_business_account: { id: IG, username: 'acme.bakery' },
                },
              ],
              paging: {
                cursors: { before: 'QVFIUmJlZm9yZQ', after: 'QVFIUmFmter' },
                next: `https://graph.facebook.com/v21.0/me/accounts?access_token=${LONG}&after=QVFIUmFmter`,
              },
            },
          },
  });

  beforeEach(async () => {
    round = 1;
    graph = await startContractServer({
      'GET /v21.0/oauth/access_token': (request) =>
        request.query.get('grant_type') === 'fb_exchange_token'
          ? { json: { access_token: LONG, token_type: 'bearer', expires_in: 5_183_944 } }
          : { json: { access_token: SHORT, token_type: 'bearer', expires_in: 5_400 } },
      ...accountsRoute(),
      [`GET /v21.0/${IG}`]: () => ({ json: { id: IG, username: 'acme.bakery', name: 'ACME Instagram' } }),
      'GET /v21.0/:id': (_request, params) =>
        PAGE_NAMES[params.id!]
          ? { json: { id: params.id, name: PAGE_NAMES[params.id!], username: `acme${params.id!.slice(-1)}`, link: `https://www.facebook.com/${params.id}` } }
          : { status: 400, json: { error: { message: 'Unsupported get request.', type: 'GraphMethodException', code: 100, error_subcode: 33 } } },
    });
    const config = loadConfig(
      {},
      { CHORUS_ALLOW_PRIVATE_NETWORK: 'true', CHORUS_META_APP_ID: APP_ID, CHORUS_META_APP_SECRET: APP_SECRET, CHORUS_META_API_BASE: graph.url },
    );
    channelOAuth = config.channelOAuth;
    app = await buildServer({
      store: current().store,
      webRoot: null,
      secretKey: SECRET,
      publicUrl: PUBLIC_URL,
      clock: () => new Date('2026-12-05T01:30:00Z'),
      addressPolicy: config.addressPolicy,
      channelOAuth,
    });
    await app.ready();
    owner = await setUpOwner(app);
  });
  afterEach(async () => {
    await app.close();
    await graph.close();
  });

  const channels = () => `/api/orgs/${owner.orgId}/channels`;
  const start = async (body: Record<string, string> = {}) => {
    const res = await owner.client.post(`${channels()}/oauth/facebook/start`, body);
    expect(res.status).toBe(200);
    return new URL(res.body.authorizeUrl);
  };
  const landingOf = async (query: Record<string, string>, client: ApiClient = owner.client) => {
    const res = await client.get(`/api/channels/oauth/callback?${new URLSearchParams(query)}`);
    expect(res.status).toBe(303);
    return new URL(String(res.headers.location), PUBLIC_URL);
  };
  const signIn = async (code: string, body: Record<string, string> = {}) => landingOf({ state: (await start(body)).searchParams.get('state')!, code });
  const listed = async () => (await owner.client.get(channels())).body.channels as { id: string; network: string; remoteId: string; tokenExpiresAt: unknown }[];
  const opened = async (id: string) => {
    const row = await current().store.db.selectFrom('channel_accounts').select(['id', 'credentials']).where('id', '=', id).executeTakeFirstOrThrow();
    return { sealed: row.credentials, open: new CredentialsCipher(SECRET).open(row.credentials, row.id) as Record<string, unknown> };
  };
  const channelOf = async (network: string, remoteId: string) => (await listed()).find((c) => c.network === network && c.remoteId === remoteId)!;

  it('connects every Page the person manages and its Instagram account, with a long-lived token and a Page token that does not expire', async () => {
    expect((await owner.client.get(channels())).body.networks).toEqual(
      expect.arrayContaining([
        { network: 'facebook', label: 'Facebook Page', oauth: true },
        { network: 'instagram', label: 'Instagram', oauth: true },
      ]),
    );
    const authorize = await start();
    expect(authorize.origin + authorize.pathname).toBe('https://www.facebook.com/v21.0/dialog/oauth');
    const params = Object.fromEntries(authorize.searchParams);
    expect(params).toEqual({
      client_id: APP_ID,
      redirect_uri: CALLBACK,
      state: expect.stringMatching(/^[\w-]{32}$/),
      response_type: 'code',
      scope:
        'pages_show_list,pages_manage_posts,pages_read_engagement,pages_manage_engagement,read_insights,instagram_basic,instagram_content_publish,instagram_manage_comments,instagram_manage_insights,business_management',
    });
    const state = await current().store.db.selectFrom('channel_oauth_states').selectAll().executeTakeFirstOrThrow();
    expect(state).toMatchObject({ org_id: owner.orgId, user_id: owner.userId, network: 'facebook', redirect_uri: CALLBACK, code_verifier: null });
    expect(state.id).not.toBe(params.state);

    const landing = await landingOf({ state: params.state!, code: 'AQDfbcode' });
    expect(landing.pathname).toBe(`/orgs/${owner.orgId}/settings/channels`);
    const connected = landing.searchParams.getAll('connected');
    expect(connected).toHaveLength(3);
    // The Page only analysed is named; the entry in another shape is left out.
    expect([landing.searchParams.get('network'), landing.searchParams.get('oauthError')]).toEqual([
      'facebook',
      'Not connected: Page ACME Fans: your role on the Page ACME Fans does not allow creating content',
    ]);

    const [code, exchange] = graph.sent('GET /v21.0/oauth/access_token').map((r) => Object.fromEntries(r.query));
    expect(code).toEqual({ client_id: APP_ID, redirect_uri: CALLBACK, client_secret: APP_SECRET, code: 'AQDfbcode' });
    expect(exchange).toEqual({ grant_type: 'fb_exchange_token', client_id: APP_ID, client_secret: APP_SECRET, fb_exchange_token: SHORT });
    const accounts = graph.sent('GET /v21.0/me/accounts');
    expect(accounts.map((r) => [r.query.get('access_token'), r.query.get('appsecret_proof'), r.query.get('after')])).toEqual([
      [LONG, appSecretProof(LONG, APP_SECRET), null],
      [LONG, appSecretProof(LONG, APP_SECRET), 'QVFIUmFmter'],
    ]);
    expect(accounts[0]!.query.get('fields')).toBe('id,name,access_token,tasks,instagram_business_account{id,username}');
    // Each channel verified by its connector with its Page's token, signed with the app secret.
    expect(graph.sent('GET /v21.0/:id').map((r) => [r.path, r.query.get('access_token'), r.query.get('appsecret_proof')])).toEqual([
      [`/v21.0/${SHIBUYA}`, pageToken(SHIBUYA), appSecretProof(pageToken(SHIBUYA), APP_SECRET)],
      [`/v21.0/${IG}`, pageToken(SHIBUYA), appSecretProof(pageToken(SHIBUYA), APP_SECRET)],
      [`/v21.0/${UMEDA}`, pageToken(UMEDA), appSecretProof(pageToken(UMEDA), APP_SECRET)],
    ]);

    const all = await listed();
    expect(all.map((c) => [c.network, c.remoteId]).sort()).toEqual([
      ['facebook', SHIBUYA],
      ['facebook', UMEDA],
      ['instagram', IG],
    ]);
    expect(all.map((c) => c.id).sort()).toEqual([...connected].sort());
    expect(all.map((c) => c.tokenExpiresAt)).toEqual([null, null, null]);
    const shibuya = await opened((await channelOf('facebook', SHIBUYA)).id);
    expect(shibuya.sealed).not.toContain(pageToken(SHIBUYA));
    expect(shibuya.open).toEqual({ pageId: SHIBUYA, pageAccessToken: pageToken(SHIBUYA), appSecret: APP_SECRET, apiBase: graph.url });
    expect((await opened((await channelOf('instagram', IG)).id)).open).toEqual({
      igUserId: IG,
      accessToken: pageToken(SHIBUYA),
      appSecret: APP_SECRET,
      apiBase: graph.url,
    });
    const raw = (await owner.client.get(channels())).raw;
    expect(raw).not.toContain(pageToken(SHIBUYA));
    expect(raw).not.toContain(LONG);
    expect(await current().store.db.selectFrom('channel_oauth_states').selectAll().execute()).toEqual([]);
  });

  it('renews the channels the org has on the next sign-in instead of adding them twice, keeping a Page webhook verify token', async () => {
    await signIn('c1');
    const shibuyaId = (await channelOf('facebook', SHIBUYA)).id;
    const pasted = await owner.client.request('PUT', `${channels()}/${shibuyaId}/credentials`, {
      credentials: { pageId: SHIBUYA, pageAccessToken: pageToken(SHIBUYA), appSecret: APP_SECRET, webhookVerifyToken: 'bakery-hooks', apiBase: graph.url },
    });
    expect(pasted.status).toBe(200);

    round = 2;
    const again = await signIn('c2');
    expect(again.searchParams.getAll('connected').sort()).toEqual((await listed()).map((c) => c.id).sort());
    expect(await listed()).toHaveLength(3);
    expect((await opened(shibuyaId)).open).toEqual({
      pageId: SHIBUYA,
      pageAccessToken: pageToken(SHIBUYA, 2),
      appSecret: APP_SECRET,
      webhookVerifyToken: 'bakery-hooks',
      apiBase: graph.url,
    });
    expect((await opened((await channelOf('instagram', IG)).id)).open).toMatchObject({ accessToken: pageToken(SHIBUYA, 2) });
    expect((await opened((await channelOf('facebook', UMEDA)).id)).open).toMatchObject({ pageAccessToken: pageToken(UMEDA, 2) });
  });

  it('reconnects one channel in place (an Instagram account too), only for someone who manages its Page', async () => {
    await signIn('c1');
    const igId = (await channelOf('instagram', IG)).id;
    round = 3;
    const again = await signIn('c2', { channelId: igId });
    expect(again.searchParams.getAll('connected')).toEqual([igId]);
    expect((await opened(igId)).open).toMatchObject({ accessToken: pageToken(SHIBUYA, 3) });
    // Reconnecting renews that channel only.
    expect((await opened((await channelOf('facebook', SHIBUYA)).id)).open).toMatchObject({ pageAccessToken: pageToken(SHIBUYA, 1) });

    graph.routes['GET /v21.0/me/accounts'] = () => ({
      json: { data: [{ id: UMEDA, name: PAGE_NAMES[UMEDA], access_token: pageToken(UMEDA, 4), tasks: FULL }], paging: { cursors: {} } },
    });
    const notManaged = await signIn('c3', { channelId: igId });
    expect(notManaged.searchParams.get('oauthError')).toContain('does not manage ACME Instagram');
    expect((await opened(igId)).open).toMatchObject({ accessToken: pageToken(SHIBUYA, 3) });
    expect(await listed()).toHaveLength(3);
  });

  it('uses a state once: a replayed or concurrent callback exchanges the code once and connects each Page once', async () => {
    const state = (await start()).searchParams.get('state')!;
    const [first, second] = await Promise.all([landingOf({ state, code: 'same' }), landingOf({ state, code: 'same' })]);
    const landings = [first, second];
    expect(landings.filter((l) => l.searchParams.getAll('connected').length === 3)).toHaveLength(1);
    expect(landings.filter((l) => /already used/.test(l.searchParams.get('oauthError') ?? ''))).toHaveLength(1);
    const replay = await landingOf({ state, code: 'same' });
    expect([replay.pathname, replay.searchParams.get('oauthError')]).toEqual(['/', expect.stringContaining('already used or is unknown')]);
    expect(graph.sent('GET /v21.0/oauth/access_token')).toHaveLength(2);
    expect(await listed()).toHaveLength(3);
  });

  it('sends the browser back with the reason on a foreign, denied or refused sign-in, and connects nothing', async () => {
    const editor = await invitePerson(owner, 'Eddie Editor', 'editor');
    const stolen = await landingOf({ state: (await start()).searchParams.get('state')!, code: 'c' }, editor.client);
    expect(stolen.searchParams.get('oauthError')).toContain('as the person who started');

    const denied = await landingOf({
      state: (await start()).searchParams.get('state')!,
      error: 'access_denied',
      error_reason: 'user_denied',
      error_description: 'Permissions error',
    });
    expect([denied.searchParams.get('network'), denied.searchParams.get('oauthError')]).toEqual([
      'facebook',
      'Facebook did not grant access: Permissions error',
    ]);

    graph.routes['GET /v21.0/oauth/access_token'] = () => ({
      status: 400,
      json: { error: { message: 'This authorization code has been used.', type: 'OAuthException', code: 100, fbtrace_id: 'A1b2' } },
    });
    expect((await signIn('used')).searchParams.get('oauthError')).toBe('Facebook refused the authorization code: This authorization code has been used.');
    expect(graph.sent('GET /v21.0/me/accounts')).toEqual([]);

    graph.routes = {
      'GET /v21.0/oauth/access_token': () => ({ json: { access_token: LONG, token_type: 'bearer' } }),
      'GET /v21.0/me/accounts': () => ({ json: { data: [] } }),
    };
    expect((await signIn('none')).searchParams.get('oauthError')).toContain('manages no Page');

    graph.routes['GET /v21.0/me/accounts'] = () => ({
      status: 400,
      json: { error: { message: 'Error validating access token: The session has been invalidated.', type: 'OAuthException', code: 190, error_subcode: 460 } },
    });
    expect((await signIn('revoked')).searchParams.get('oauthError')).toContain('session has been invalidated');
    expect(await listed()).toEqual([]);
  });

  it('sends a Login for Business configuration instead of scopes when one is set, and answers 409 without an app while the paste form still works', async () => {
    channelOAuth.facebook = { ...channelOAuth.facebook!, loginConfigId: '987654321012345' };
    const params = Object.fromEntries((await start()).searchParams);
    expect(params).toMatchObject({ client_id: APP_ID, config_id: '987654321012345', response_type: 'code' });
    expect(params).not.toHaveProperty('scope');

    channelOAuth.facebook = null;
    const refused = await owner.client.post(`${channels()}/oauth/facebook/start`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'facebook_oauth_not_configured', message: expect.stringContaining('CHORUS_META_APP_ID') });
    expect((await owner.client.get(channels())).body.networks).toEqual(
      expect.arrayContaining([
        { network: 'facebook', label: 'Facebook Page', oauth: false },
        { network: 'instagram', label: 'Instagram', oauth: false },
      ]),
    );
    // The state started before the app was removed cannot finish either.
    const landing = await landingOf({ state: params.state!, code: 'c' });
    expect(landing.searchParams.get('oauthError')).toContain('no longer set up');
    const paste = await owner.client.post(channels(), {
      network: 'facebook',
      credentials: { pageId: SHIBUYA, pageAccessToken: pageToken(SHIBUYA), appSecret: APP_SECRET, apiBase: graph.url },
    });
    expect(paste.status).toBe(201);
  });
});

describe('the Meta app settings', () => {
  const base = { CHORUS_META_APP_ID: APP_ID, CHORUS_META_APP_SECRET: APP_SECRET };
  it('takes the app id and secret together, in the shapes Meta gives them', () => {
    expect(loadConfig({}, base).channelOAuth.facebook).toEqual({ appId: APP_ID, appSecret: APP_SECRET });
    expect(loadConfig({}, { ...base, CHORUS_META_LOGIN_CONFIG_ID: '987654321012345' }).channelOAuth.facebook).toMatchObject({
      loginConfigId: '987654321012345',
    });
    expect(loadConfig({}, {}).channelOAuth.facebook).toBeNull();
    expect(() => loadConfig({}, { CHORUS_META_APP_ID: APP_ID })).toThrow(/CHORUS_META_APP_SECRET: must be set together with CHORUS_META_APP_ID/);
    expect(() => loadConfig({}, { ...base, CHORUS_META_APP_SECRET: 'not-hex' })).toThrow(ConfigError);
    expect(() => loadConfig({}, { ...base, CHORUS_META_APP_ID: 'acme' })).toThrow(/CHORUS_META_APP_ID/);
  });
});
