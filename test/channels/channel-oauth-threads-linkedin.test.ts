/**
 * "Sign in with Threads" and "Sign in with LinkedIn", end to end through the HTTP API on both
 * stores: start → authorize URL → callback with a code → token exchange (Threads: short-lived,
 * then long-lived; LinkedIn: tokens, then the pages the member administers) → channels verified
 * by their connectors and stored sealed in the paste form's shape → browser redirected.
 * Both networks are the local contract server answering with their documented shapes.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ChannelOAuthSettings } from '../../src/channels/oauth/settings.js';
import { CredentialsCipher } from '../../src/channels/credentials-cipher.js';
import { loadConfig } from '../../src/config.js';
import { buildServer } from '../../src/app/server.js';
import { ApiClient, setUpOwner, type Person } from '../support/api-client.js';
import { startContractServer, type ContractServer } from '../support/contract-server.js';
import { describeEachStore } from '../support/stores.js';

const SECRET = 'test-secret-key-0123456789abcdef';
const PUBLIC_URL = 'https://chorus.example';
const CALLBACK = `${PUBLIC_URL}/api/channels/oauth/callback`;
const SIXTY_DAYS_S = 5_184_000;
const THREADS_ME = { id: '17841400000000001', username: 'acme_bakery', name: 'ACME ベーカリー' };
const THREADS_LONG = 'THlong'.padEnd(40, 'l');
const LINKEDIN_TOKEN = 'AQVsigned'.padEnd(40, 'a');
const PAGES: Record<string, { localizedName: string; vanityName: string }> = {
  '2414183': { localizedName: 'ACME ベーカリー 渋谷', vanityName: 'acme-shibuya' },
  '2414184': { localizedName: 'ACME ベーカリー 梅田', vanityName: 'acme-umeda' },
  '2414185': { localizedName: 'ACME Catering', vanityName: 'acme-catering' },
};
const admin = (id: string, state = 'APPROVED') => ({
  roleAssignee: 'urn:li:person:8675309',
  role: 'ADMINISTRATOR',
  state,
  organization: `urn:li:organization:${id}`,
});

describeEachStore('connecting Threads and LinkedIn with OAuth', (current) => {
  let app: FastifyInstance;
  let network: ContractServer;
  let channelOAuth: ChannelOAuthSettings;
  let owner: Person;
  let now: Date;

  beforeEach(async () => {
    now = new Date('2026-12-05T01:30:00Z');
    network = await startContractServer({
      'POST /oauth/access_token': () => ({ json: { access_token: 'THshort', user_id: 17841400000000001 } }),
      'GET /access_token': () => ({ json: { access_token: THREADS_LONG, token_type: 'bearer', expires_in: SIXTY_DAYS_S } }),
      'GET /v1.0/me': () => ({ json: THREADS_ME }),
      'POST /oauth/v2/accessToken': () => ({
        json: {
          access_token: LINKEDIN_TOKEN,
          expires_in: SIXTY_DAYS_S,
          refresh_token: 'AQXrefresh',
          refresh_token_expires_in: 31_536_000,
          scope: 'r_organization_social',
        },
      }),
      'GET /rest/organizationAcls': () => ({ json: { elements: [admin('2414183'), admin('2414184'), admin('2414185', 'REQUESTED')] } }),
      'GET /rest/organizations/:id': (_request, params) =>
        PAGES[params.id!] ? { json: { id: Number(params.id), ...PAGES[params.id!] } } : { status: 404, json: { status: 404, message: 'Not found' } },
    });
    const config = loadConfig(
      {},
      {
        CHORUS_ALLOW_PRIVATE_NETWORK: 'true',
        CHORUS_THREADS_APP_ID: '990001',
        CHORUS_THREADS_APP_SECRET: 'threads-app-secret',
        CHORUS_THREADS_API_BASE: network.url,
        CHORUS_LINKEDIN_CLIENT_ID: '86abc',
        CHORUS_LINKEDIN_CLIENT_SECRET: 'linkedin-secret',
        CHORUS_LINKEDIN_AUTH_BASE: network.url,
        CHORUS_LINKEDIN_API_BASE: network.url,
      },
    );
    channelOAuth = config.channelOAuth;
    app = await buildServer({
      store: current().store,
      webRoot: null,
      secretKey: SECRET,
      publicUrl: PUBLIC_URL,
      clock: () => now,
      addressPolicy: config.addressPolicy,
      channelOAuth,
    });
    await app.ready();
    owner = await setUpOwner(app);
  });
  afterEach(async () => {
    await app.close();
    await network.close();
  });

  const channels = () => `/api/orgs/${owner.orgId}/channels`;
  const settingsPage = () => `/orgs/${owner.orgId}/settings/channels`;
  const start = async (name: 'threads' | 'linkedin', body: Record<string, string> = {}) => {
    const res = await owner.client.post(`${channels()}/oauth/${name}/start`, body);
    expect(res.status).toBe(200);
    return new URL(res.body.authorizeUrl);
  };
  const landingOf = async (query: Record<string, string>, client: ApiClient = owner.client) => {
    const res = await client.get(`/api/channels/oauth/callback?${new URLSearchParams(query)}`);
    expect(res.status).toBe(303);
    return new URL(String(res.headers.location), PUBLIC_URL);
  };
  const signIn = async (name: 'threads' | 'linkedin', code: string, body: Record<string, string> = {}) =>
    landingOf({ state: (await start(name, body)).searchParams.get('state')!, code });
  const storedCredentials = async (id: string) => {
    const row = await current().store.db.selectFrom('channel_accounts').select(['id', 'credentials']).where('id', '=', id).executeTakeFirstOrThrow();
    return { sealed: row.credentials, open: new CredentialsCipher(SECRET).open(row.credentials, row.id) as Record<string, unknown> };
  };

  it('connects Threads: authorize URL with the scopes, code without "#_", long-lived token stored like a pasted one', async () => {
    expect((await owner.client.get(channels())).body.networks).toEqual(
      expect.arrayContaining([
        { network: 'threads', label: 'Threads', oauth: true },
        { network: 'linkedin', label: 'LinkedIn', oauth: true },
      ]),
    );
    const authorize = await start('threads');
    expect(authorize.origin + authorize.pathname).toBe('https://threads.net/oauth/authorize');
    const params = Object.fromEntries(authorize.searchParams);
    expect(params).toEqual({
      client_id: '990001',
      redirect_uri: CALLBACK,
      scope: 'threads_basic,threads_content_publish,threads_read_replies,threads_manage_replies,threads_manage_insights',
      response_type: 'code',
      state: expect.stringMatching(/^[\w-]{32}$/),
    });
    const state = await current().store.db.selectFrom('channel_oauth_states').selectAll().executeTakeFirstOrThrow();
    expect(state).toMatchObject({ org_id: owner.orgId, user_id: owner.userId, network: 'threads', redirect_uri: CALLBACK, code_verifier: null });
    expect(state.id).not.toBe(params.state);

    // Threads appends "#_" to the code it sends back.
    const landing = await landingOf({ state: params.state!, code: 'AQBxcode#_' });
    expect(landing.pathname).toBe(settingsPage());
    const channelId = landing.searchParams.get('connected')!;
    expect(channelId).toBeTruthy();
    expect(Object.fromEntries(network.sent('POST /oauth/access_token')[0]!.form!)).toEqual({
      client_id: '990001',
      client_secret: 'threads-app-secret',
      grant_type: 'authorization_code',
      redirect_uri: CALLBACK,
      code: 'AQBxcode',
    });
    expect(Object.fromEntries(network.sent('GET /access_token')[0]!.query)).toEqual({
      grant_type: 'th_exchange_token',
      client_secret: 'threads-app-secret',
      access_token: 'THshort',
    });
    // The connector's own verify call, with the long-lived token.
    expect(network.sent('GET /v1.0/me')[0]!.query.get('access_token')).toBe(THREADS_LONG);

    const { sealed, open } = await storedCredentials(channelId);
    expect(sealed).not.toContain(THREADS_LONG);
    expect(open).toEqual({ accessToken: THREADS_LONG, expiresAt: '2027-02-03T01:30:00.000Z', apiBase: network.url });
    const listed = await owner.client.get(channels());
    expect(listed.body.channels).toEqual([
      expect.objectContaining({ id: channelId, network: 'threads', handle: 'acme_bakery', remoteId: THREADS_ME.id, health: { status: 'ok' }, textLimit: 500 }),
    ]);
    expect(listed.raw).not.toContain(THREADS_LONG);
    expect(await current().store.db.selectFrom('channel_oauth_states').selectAll().execute()).toEqual([]);

    // The same account signed in again is already connected.
    const twice = await signIn('threads', 'AQBxcode2#_');
    expect([twice.searchParams.get('network'), twice.searchParams.get('oauthError')]).toEqual(['threads', expect.stringContaining('already connected')]);
  });

  it('reconnects a Threads channel in place and refuses another account', async () => {
    const channelId = (await signIn('threads', 'c1')).searchParams.get('connected')!;
    network.routes['GET /access_token'] = () => ({ json: { access_token: 'THrenewed'.padEnd(40, 'r'), token_type: 'bearer', expires_in: SIXTY_DAYS_S } });
    now = new Date('2026-12-05T02:30:00Z');
    const again = await signIn('threads', 'c2', { channelId });
    expect(again.searchParams.getAll('connected')).toEqual([channelId]);
    expect((await storedCredentials(channelId)).open).toMatchObject({ accessToken: 'THrenewed'.padEnd(40, 'r'), expiresAt: '2027-02-03T02:30:00.000Z' });

    network.routes['GET /v1.0/me'] = () => ({ json: { id: '17841400000000999', username: 'someone_else', name: 'Someone' } });
    const other = await signIn('threads', 'c3', { channelId });
    expect(other.searchParams.get('oauthError')).toContain('belong to someone_else');
    expect((await storedCredentials(channelId)).open).toMatchObject({ accessToken: 'THrenewed'.padEnd(40, 'r') });
    expect((await owner.client.get(channels())).body.channels).toHaveLength(1);
  });

  it('connects every LinkedIn page the member administers that is not connected yet, with a token the connector renews', async () => {
    const authorize = await start('linkedin');
    expect(authorize.origin + authorize.pathname).toBe(`${network.url}/oauth/v2/authorization`);
    expect(Object.fromEntries(authorize.searchParams)).toEqual({
      response_type: 'code',
      client_id: '86abc',
      redirect_uri: CALLBACK,
      state: expect.stringMatching(/^[\w-]{32}$/),
      scope: 'w_organization_social r_organization_social rw_organization_admin',
    });

    const landing = await landingOf({ state: authorize.searchParams.get('state')!, code: 'li-code-1' });
    expect(landing.pathname).toBe(settingsPage());
    expect(landing.searchParams.has('oauthError')).toBe(false);
    const connected = landing.searchParams.getAll('connected');
    expect(connected).toHaveLength(2);
    expect(Object.fromEntries(network.sent('POST /oauth/v2/accessToken')[0]!.form!)).toEqual({
      grant_type: 'authorization_code',
      code: 'li-code-1',
      redirect_uri: CALLBACK,
      client_id: '86abc',
      client_secret: 'linkedin-secret',
    });
    const acls = network.sent('GET /rest/organizationAcls')[0]!;
    expect([acls.headers.authorization, acls.query.get('q'), acls.query.get('role'), acls.query.get('state')]).toEqual([
      `Bearer ${LINKEDIN_TOKEN}`,
      'roleAssignee',
      'ADMINISTRATOR',
      'APPROVED',
    ]);
    // Each page verified by the connector; the page only requested is left out.
    expect(network.sent('GET /rest/organizations/:id').map((r) => [r.path, r.headers.authorization])).toEqual([
      ['/rest/organizations/2414183', `Bearer ${LINKEDIN_TOKEN}`],
      ['/rest/organizations/2414184', `Bearer ${LINKEDIN_TOKEN}`],
    ]);

    const listed = (await owner.client.get(channels())).body.channels as { id: string; handle: string; remoteId: string; tokenExpiresAt: unknown }[];
    expect(listed.map((c) => [c.remoteId, c.handle]).sort()).toEqual([
      ['urn:li:organization:2414183', 'acme-shibuya'],
      ['urn:li:organization:2414184', 'acme-umeda'],
    ]);
    const shibuya = listed.find((c) => c.handle === 'acme-shibuya')!;
    expect(connected).toContain(shibuya.id);
    // With the refresh token and the app's client Chorus renews the token itself: no end to show.
    expect(shibuya.tokenExpiresAt).toBeNull();
    const { sealed, open } = await storedCredentials(shibuya.id);
    expect(sealed).not.toContain(LINKEDIN_TOKEN);
    expect(open).toEqual({
      organizationId: '2414183',
      accessToken: LINKEDIN_TOKEN,
      refreshToken: 'AQXrefresh',
      clientId: '86abc',
      clientSecret: 'linkedin-secret',
      expiresAt: '2027-02-03T01:30:00.000Z',
      apiBase: network.url,
      authBase: network.url,
    });

    // Signing in again once a third page is approved adds that one only; one that fails is named.
    network.routes['GET /rest/organizationAcls'] = () => ({
      json: { elements: [admin('2414183'), admin('2414184'), admin('2414185'), admin('999')] },
    });
    const more = await signIn('linkedin', 'li-code-2');
    const catering = more.searchParams.getAll('connected');
    expect(catering).toHaveLength(1);
    expect([more.searchParams.get('network'), more.searchParams.get('oauthError')]).toEqual(['linkedin', expect.stringMatching(/^Not connected: page 999: /)]);
    expect((await owner.client.get(channels())).body.channels.find((c: { id: string }) => c.id === catering[0])).toMatchObject({ handle: 'acme-catering' });

    network.routes['GET /rest/organizationAcls'] = () => ({ json: { elements: [admin('2414183'), admin('2414185')] } });
    const nothingNew = await signIn('linkedin', 'li-code-3');
    expect(nothingNew.searchParams.getAll('connected')).toEqual([]);
    expect(nothingNew.searchParams.get('oauthError')).toBe('Every LinkedIn page this member administers is already connected');

    network.routes['GET /rest/organizationAcls'] = () => ({ json: { elements: [] } });
    expect((await signIn('linkedin', 'li-code-4')).searchParams.get('oauthError')).toContain('administers no page');
    expect((await owner.client.get(channels())).body.channels).toHaveLength(3);
  });

  it('reconnects a LinkedIn page in place, only for one of its administrators', async () => {
    network.routes['GET /rest/organizationAcls'] = () => ({ json: { elements: [admin('2414183')] } });
    const channelId = (await signIn('linkedin', 'li-code-1')).searchParams.get('connected')!;
    network.routes['POST /oauth/v2/accessToken'] = () => ({ json: { access_token: 'AQVrenewed'.padEnd(40, 'r'), expires_in: SIXTY_DAYS_S } });
    network.routes['GET /rest/organizationAcls'] = () => ({ json: { elements: [admin('2414184'), admin('2414183')] } });

    const again = await signIn('linkedin', 'li-code-2', { channelId });
    expect(again.searchParams.getAll('connected')).toEqual([channelId]);
    const { open } = await storedCredentials(channelId);
    expect(open).toMatchObject({ organizationId: '2414183', accessToken: 'AQVrenewed'.padEnd(40, 'r') });
    // No refresh token this time: the access token's own end is what will be shown.
    expect(open).not.toHaveProperty('refreshToken');
    // Reconnecting renews that page only: the other administered page is not added.
    expect((await owner.client.get(channels())).body.channels).toHaveLength(1);

    network.routes['GET /rest/organizationAcls'] = () => ({ json: { elements: [admin('2414184')] } });
    const notAdmin = await signIn('linkedin', 'li-code-3', { channelId });
    expect(notAdmin.searchParams.get('oauthError')).toContain('not an administrator of ACME ベーカリー 渋谷');
    expect((await storedCredentials(channelId)).open).toMatchObject({ accessToken: 'AQVrenewed'.padEnd(40, 'r') });

    const wrongNetwork = await owner.client.post(`${channels()}/oauth/threads/start`, { channelId });
    expect(wrongNetwork.status).toBe(400);
    expect(wrongNetwork.body.error.code).toBe('wrong_network');
  });

  it('sends the browser back with the reason on an unknown, expired or refused sign-in, and connects nothing', async () => {
    const unknown = await landingOf({ state: 'not-a-state-chorus-gave', code: 'c' });
    expect([unknown.pathname, unknown.searchParams.get('oauthError')]).toEqual(['/', expect.stringContaining('already used or is unknown')]);

    const slow = (await start('threads')).searchParams.get('state')!;
    now = new Date(now.getTime() + 11 * 60_000);
    const expired = await landingOf({ state: slow, code: 'c' });
    expect([expired.pathname, expired.searchParams.get('network'), expired.searchParams.get('oauthError')]).toEqual([
      settingsPage(),
      'threads',
      expect.stringContaining('longer than 10 minutes'),
    ]);

    network.routes['POST /oauth/access_token'] = () => ({
      status: 400,
      json: { error: { message: 'Error validating verification code', type: 'OAuthException', code: 100 } },
    });
    expect((await signIn('threads', 'used')).searchParams.get('oauthError')).toBe('Threads refused the authorization code: Error validating verification code');

    network.routes['POST /oauth/v2/accessToken'] = () => ({
      status: 400,
      json: { error: 'invalid_request', error_description: 'Unable to retrieve access token: authorization code not found' },
    });
    expect((await signIn('linkedin', 'old')).searchParams.get('oauthError')).toBe(
      'LinkedIn refused the authorization code: Unable to retrieve access token: authorization code not found',
    );

    const denied = await landingOf({
      state: (await start('linkedin')).searchParams.get('state')!,
      error: 'user_cancelled_authorize',
      error_description: 'The member refused',
    });
    expect(denied.searchParams.get('oauthError')).toBe('LinkedIn did not grant access: The member refused');

    expect((await owner.client.get(channels())).body.channels).toEqual([]);
    expect(network.sent('GET /v1.0/me')).toEqual([]);
    expect(network.sent('GET /rest/organizationAcls')).toEqual([]);
  });

  it('answers 409 when the operator has configured no app, and the paste form still connects', async () => {
    // The server reads this settings object on every request: as if neither app were set.
    channelOAuth.threads = null;
    channelOAuth.linkedin = null;
    const threads = await owner.client.post(`${channels()}/oauth/threads/start`, {});
    expect(threads.status).toBe(409);
    expect(threads.body.error).toMatchObject({ code: 'threads_oauth_not_configured', message: expect.stringContaining('CHORUS_THREADS_APP_ID') });
    const linkedin = await owner.client.post(`${channels()}/oauth/linkedin/start`, {});
    expect(linkedin.status).toBe(409);
    expect(linkedin.body.error).toMatchObject({ code: 'linkedin_oauth_not_configured', message: expect.stringContaining('CHORUS_LINKEDIN_CLIENT_ID') });
    expect(await current().store.db.selectFrom('channel_oauth_states').selectAll().execute()).toEqual([]);
    expect((await owner.client.get(channels())).body.networks).toEqual(
      expect.arrayContaining([
        { network: 'threads', label: 'Threads', oauth: false },
        { network: 'linkedin', label: 'LinkedIn', oauth: false },
      ]),
    );
    const pasted = await owner.client.post(channels(), { network: 'threads', credentials: { accessToken: THREADS_LONG, apiBase: network.url } });
    expect(pasted.status).toBe(201);
  });
});
