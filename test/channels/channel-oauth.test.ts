/**
 * Connecting X and Mastodon by signing in on the network, end to end through the HTTP API:
 * start → authorize URL → (the user consents on the network) → callback with a code → token
 * exchange → account lookup → channel verified and stored encrypted → browser redirected.
 * The networks are the local contract server answering with their documented shapes.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ChannelOAuthSettings } from '../../src/channels/oauth/settings.js';
import { CredentialsCipher } from '../../src/channels/credentials-cipher.js';
import { loadConfig } from '../../src/config.js';
import { buildServer } from '../../src/app/server.js';
import { createUser } from '../../src/accounts/users.js';
import { createOrg } from '../../src/teams/service.js';
import { ApiClient, PASSWORD, invitePerson, setUpOwner, type Person } from '../support/api-client.js';
import { startContractServer, type ContractServer } from '../support/contract-server.js';
import { describeEachStore } from '../support/stores.js';

const SECRET = 'test-secret-key-0123456789abcdef';
const PUBLIC_URL = 'https://chorus.example';
const CALLBACK = `${PUBLIC_URL}/api/channels/oauth/callback`;
const X_ME = { id: '2244994945', name: 'Acme Bakery', username: 'acmebakery', profile_image_url: 'https://pbs.twimg.com/profile_images/1/acme_normal.jpg' };
const MASTODON_ME = {
  id: '109302',
  username: 'acme',
  acct: 'acme',
  display_name: 'Acme Bakery',
  url: 'https://mastodon.example/@acme',
  avatar: 'https://mastodon.example/avatars/acme.png',
  followers_count: 12,
  following_count: 3,
  statuses_count: 40,
  note: '',
  created_at: '2022-11-08T00:00:00.000Z',
};
const INSTANCE = {
  domain: 'mastodon.example',
  title: 'Mastodon Example',
  version: '4.5.0',
  configuration: { statuses: { max_characters: 1000, max_media_attachments: 4, characters_reserved_per_url: 23 } },
};
const APP = {
  id: '563419',
  name: 'Chorus',
  website: PUBLIC_URL,
  redirect_uri: CALLBACK,
  client_id: 'TWhM-tNSuncnqN7DBJmoyeLnk6K3iJJ71KKXxgL1hPM',
  client_secret: 'ZEaFUFmF0umgBX1qKJDjaU99Q31lDkOU8NutzTOoliw',
  vapid_key: 'BCk-QqERU0q',
};

describeEachStore('connecting channels with OAuth', (current) => {
  let app: FastifyInstance;
  let network: ContractServer;
  let channelOAuth: ChannelOAuthSettings;
  let owner: Person;
  let now: Date;

  beforeEach(async () => {
    now = new Date('2026-11-27T10:00:00Z');
    network = await startContractServer({
      'POST /2/oauth2/token': () => ({
        json: {
          token_type: 'bearer',
          expires_in: 7200,
          access_token: 'x-access-new',
          scope: 'tweet.read tweet.write users.read offline.access',
          refresh_token: 'x-refresh-new',
        },
      }),
      'GET /2/users/me': () => ({ json: { data: X_ME } }),
      'POST /api/v1/apps': () => ({ json: APP }),
      'POST /oauth/token': () => ({
        json: { access_token: 'm-access-new', token_type: 'Bearer', scope: 'read write:statuses write:favourites write:media', created_at: 1573979017 },
      }),
      'GET /api/v1/accounts/verify_credentials': () => ({ json: MASTODON_ME }),
      'GET /api/v2/instance': () => ({ json: INSTANCE }),
    });
    const config = loadConfig(
      {},
      { CHORUS_ALLOW_PRIVATE_NETWORK: 'true', CHORUS_X_CLIENT_ID: 'x-client-1', CHORUS_X_CLIENT_SECRET: 'x-secret-1', CHORUS_X_API_BASE: network.url },
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

  const channels = (person: Person = owner) => `/api/orgs/${person.orgId}/channels`;
  const callback = (client: ApiClient, query: Record<string, string>) => client.get(`/api/channels/oauth/callback?${new URLSearchParams(query)}`);
  const redirectOf = (res: { status: number; headers: Record<string, unknown> }) => {
    expect(res.status).toBe(303);
    return new URL(String(res.headers.location), PUBLIC_URL);
  };
  const storedCredentials = async (id: string) => {
    const row = await current().store.db.selectFrom('channel_accounts').select(['id', 'credentials']).where('id', '=', id).executeTakeFirstOrThrow();
    return { sealed: row.credentials, open: new CredentialsCipher(SECRET).open(row.credentials, row.id) as Record<string, unknown> };
  };

  it('connects X: PKCE authorize URL, code exchange with the verifier, account from users/me, stored encrypted', async () => {
    const listed = await owner.client.get(channels());
    expect(listed.body.networks).toEqual(expect.arrayContaining([{ network: 'x', label: 'X', oauth: true }]));

    const start = await owner.client.post(`${channels()}/oauth/x/start`, {});
    expect(start.status).toBe(200);
    const authorize = new URL(start.body.authorizeUrl);
    expect(authorize.origin + authorize.pathname).toBe('https://x.com/i/oauth2/authorize');
    const params = Object.fromEntries(authorize.searchParams);
    expect(params).toMatchObject({
      response_type: 'code',
      client_id: 'x-client-1',
      redirect_uri: CALLBACK,
      code_challenge_method: 'S256',
      state: expect.stringMatching(/^[\w-]{32}$/),
    });
    expect(params.scope!.split(' ')).toEqual(expect.arrayContaining(['tweet.read', 'tweet.write', 'users.read', 'offline.access']));
    // Nothing of the flow is stored in the clear: the state as a hash, the verifier sealed.
    const state = await current().store.db.selectFrom('channel_oauth_states').selectAll().executeTakeFirstOrThrow();
    expect(state).toMatchObject({ org_id: owner.orgId, user_id: owner.userId, network: 'x', redirect_uri: CALLBACK, expires_at: '2026-11-27T10:10:00.000Z' });
    expect(state.id).not.toBe(params.state);
    expect(state.code_verifier).toMatch(/^v1\./);

    const done = await callback(owner.client, { state: params.state!, code: 'x-code-1' });
    const landing = redirectOf(done);
    expect(landing.pathname).toBe(`/orgs/${owner.orgId}/settings/channels`);
    const channelId = landing.searchParams.get('connected')!;
    expect(channelId).toBeTruthy();

    const [tokenRequest] = network.sent('POST /2/oauth2/token');
    const form = Object.fromEntries(tokenRequest!.form!);
    expect(form).toMatchObject({ grant_type: 'authorization_code', code: 'x-code-1', redirect_uri: CALLBACK, client_id: 'x-client-1' });
    expect(createHash('sha256').update(form.code_verifier!).digest('base64url')).toBe(params.code_challenge);
    expect(tokenRequest!.headers.authorization).toBe(`Basic ${Buffer.from('x-client-1:x-secret-1').toString('base64')}`);
    expect(network.sent('GET /2/users/me').map((r) => r.headers.authorization)).toEqual(['Bearer x-access-new', 'Bearer x-access-new']);

    const { sealed, open } = await storedCredentials(channelId);
    expect(sealed).not.toContain('x-access-new');
    expect(open).toMatchObject({
      clientId: 'x-client-1',
      clientSecret: 'x-secret-1',
      accessToken: 'x-access-new',
      refreshToken: 'x-refresh-new',
      expiresAt: '2026-11-27T12:00:00.000Z',
      userId: X_ME.id,
      username: X_ME.username,
    });
    const after = await owner.client.get(channels());
    expect(after.body.channels).toEqual([
      expect.objectContaining({
        id: channelId,
        network: 'x',
        handle: 'acmebakery',
        textLimit: 280,
        streams: expect.arrayContaining(['home', 'mentions', 'search']),
      }),
    ]);
    expect(after.raw).not.toContain('x-access-new');
    expect(await current().store.db.selectFrom('channel_oauth_states').selectAll().execute()).toEqual([]);

    // The state is single use: a replayed callback connects nothing.
    const replay = redirectOf(await callback(owner.client, { state: params.state!, code: 'x-code-1' }));
    expect(replay.pathname).toBe('/');
    expect(replay.searchParams.get('oauthError')).toContain('already used or is unknown');
    expect(network.sent('POST /2/oauth2/token')).toHaveLength(1);
  });

  it('answers 409 for X when the operator has configured no X app, and the pasted-token form stays', async () => {
    // The server reads this settings object on every request: as if the operator had set no X app.
    channelOAuth.x = null;
    const start = await owner.client.post(`${channels()}/oauth/x/start`, {});
    expect(start.status).toBe(409);
    expect(start.body.error).toMatchObject({ code: 'x_oauth_not_configured', message: expect.stringContaining('CHORUS_X_CLIENT_ID') });
    expect((await owner.client.get(channels())).body.networks).toEqual(expect.arrayContaining([{ network: 'x', label: 'X', oauth: false }]));
    const pasted = await owner.client.post(channels(), {
      network: 'x',
      credentials: { clientId: 'c', accessToken: 'pasted', userId: X_ME.id, username: X_ME.username, apiBase: network.url },
    });
    expect(pasted.status).toBe(201);
  });

  it('connects Mastodon: registers Chorus once per instance, exchanges the code, reads the instance limit', async () => {
    const first = await owner.client.post(`${channels()}/oauth/mastodon/start`, { instanceUrl: `${network.url}/` });
    expect(first.status).toBe(200);
    const authorize = new URL(first.body.authorizeUrl);
    expect(authorize.origin + authorize.pathname).toBe(`${network.url}/oauth/authorize`);
    const params = Object.fromEntries(authorize.searchParams);
    expect(params).toMatchObject({
      response_type: 'code',
      client_id: APP.client_id,
      redirect_uri: CALLBACK,
      scope: 'read write:statuses write:favourites write:media',
    });
    expect(Object.fromEntries(network.sent('POST /api/v1/apps')[0]!.form!)).toEqual({
      client_name: 'Chorus',
      redirect_uris: CALLBACK,
      scopes: 'read write:statuses write:favourites write:media',
      website: PUBLIC_URL,
    });
    const registered = await current().store.db.selectFrom('mastodon_apps').selectAll().executeTakeFirstOrThrow();
    expect(registered).toMatchObject({ instance_url: network.url, redirect_uri: CALLBACK, client_id: APP.client_id });
    expect(registered.client_secret).not.toContain(APP.client_secret);

    // Another start (another org would do the same) reuses the registration.
    const second = await owner.client.post(`${channels()}/oauth/mastodon/start`, { instanceUrl: network.url });
    expect(second.status).toBe(200);
    expect(network.sent('POST /api/v1/apps')).toHaveLength(1);

    const landing = redirectOf(await callback(owner.client, { state: params.state!, code: 'm-code-1' }));
    const channelId = landing.searchParams.get('connected')!;
    expect(landing.pathname).toBe(`/orgs/${owner.orgId}/settings/channels`);
    expect(Object.fromEntries(network.sent('POST /oauth/token')[0]!.form!)).toEqual({
      grant_type: 'authorization_code',
      code: 'm-code-1',
      client_id: APP.client_id,
      client_secret: APP.client_secret,
      redirect_uri: CALLBACK,
      scope: 'read write:statuses write:favourites write:media',
    });
    expect(network.sent('GET /api/v1/accounts/verify_credentials')[0]!.headers.authorization).toBe('Bearer m-access-new');
    const { sealed, open } = await storedCredentials(channelId);
    expect(sealed).not.toContain('m-access-new');
    expect(open).toEqual({ instanceUrl: network.url, accessToken: 'm-access-new' });
    const listed = await owner.client.get(channels());
    expect(listed.body.channels).toEqual([
      expect.objectContaining({
        id: channelId,
        network: 'mastodon',
        textLimit: 1000,
        streams: ['home', 'mentions', 'notifications', 'user_posts', 'list', 'search'],
      }),
    ]);
    // The unfinished second authorization is still waiting; the first one is gone.
    expect(await current().store.db.selectFrom('channel_oauth_states').select('network').execute()).toEqual([{ network: 'mastodon' }]);
  });

  it('sends the browser back with the reason when the flow cannot finish, and connects nothing', async () => {
    const start = async () => new URL((await owner.client.post(`${channels()}/oauth/x/start`, {})).body.authorizeUrl).searchParams.get('state')!;
    const settings = `/orgs/${owner.orgId}/settings/channels`;

    const denied = redirectOf(await callback(owner.client, { state: await start(), error: 'access_denied', error_description: 'The user denied access' }));
    expect([denied.pathname, denied.searchParams.get('network'), denied.searchParams.get('oauthError')]).toEqual([
      settings,
      'x',
      'X did not grant access: The user denied access',
    ]);

    // Only the person who started may finish: not a teammate, not a signed-out browser.
    const editor = await invitePerson(owner, 'Eddie Editor', 'editor');
    const stolen = redirectOf(await callback(editor.client, { state: await start(), code: 'x-code-1' }));
    expect(stolen.searchParams.get('oauthError')).toContain('as the person who started');
    const signedOut = redirectOf(await callback(new ApiClient(app), { state: await start(), code: 'x-code-1' }));
    expect(signedOut.searchParams.get('oauthError')).toContain('as the person who started');

    const slow = await start();
    now = new Date(now.getTime() + 11 * 60_000);
    const expired = redirectOf(await callback(owner.client, { state: slow, code: 'x-code-1' }));
    expect(expired.searchParams.get('oauthError')).toContain('longer than 10 minutes');

    network.routes['POST /2/oauth2/token'] = () => ({
      status: 400,
      json: { error: 'invalid_request', error_description: 'Value passed for the authorization code was invalid.' },
    });
    const badCode = redirectOf(await callback(owner.client, { state: await start(), code: 'wrong' }));
    expect(badCode.searchParams.get('oauthError')).toBe('X refused the authorization code: Value passed for the authorization code was invalid.');

    const unknown = redirectOf(await callback(owner.client, { code: 'x-code-1' }));
    expect(unknown.pathname).toBe('/');
    expect((await owner.client.get(channels())).body.channels).toEqual([]);
    expect(network.sent('GET /2/users/me')).toEqual([]);
  });

  it('reconnects an existing X channel through the same flow, refusing another account', async () => {
    const first = new URL((await owner.client.post(`${channels()}/oauth/x/start`, {})).body.authorizeUrl).searchParams.get('state')!;
    const channelId = redirectOf(await callback(owner.client, { state: first, code: 'c1' })).searchParams.get('connected')!;
    network.routes['POST /2/oauth2/token'] = () => ({
      json: { token_type: 'bearer', expires_in: 7200, access_token: 'x-access-2', refresh_token: 'x-refresh-2', scope: '' },
    });
    const again = await owner.client.post(`${channels()}/oauth/x/start`, { channelId });
    const state = new URL(again.body.authorizeUrl).searchParams.get('state')!;
    expect(redirectOf(await callback(owner.client, { state, code: 'c2' })).searchParams.get('connected')).toBe(channelId);
    expect((await storedCredentials(channelId)).open).toMatchObject({ accessToken: 'x-access-2', refreshToken: 'x-refresh-2' });

    network.routes['GET /2/users/me'] = () => ({ json: { data: { id: '783214', name: 'Bob', username: 'bob' } } });
    const other = new URL((await owner.client.post(`${channels()}/oauth/x/start`, { channelId })).body.authorizeUrl).searchParams.get('state')!;
    expect(redirectOf(await callback(owner.client, { state: other, code: 'c3' })).searchParams.get('oauthError')).toContain('belong to bob');
    expect((await storedCredentials(channelId)).open).toMatchObject({ accessToken: 'x-access-2' });

    const wrongNetwork = await owner.client.post(`${channels()}/oauth/mastodon/start`, { instanceUrl: network.url, channelId });
    expect(wrongNetwork.status).toBe(400);
    expect(wrongNetwork.body.error.code).toBe('wrong_network');
  });

  it('lets only channel managers start, and hides other orgs (404)', async () => {
    const viewer = await invitePerson(owner, 'Vera Viewer', 'viewer');
    expect((await viewer.client.post(`${channels()}/oauth/x/start`, {})).status).toBe(403);
    expect((await viewer.client.post(`${channels()}/oauth/mastodon/start`, { instanceUrl: network.url })).status).toBe(403);
    const stranger = await setUpOwnerElsewhere(app);
    expect((await stranger.post(`${channels()}/oauth/x/start`, {})).status).toBe(404);
    expect(await current().store.db.selectFrom('channel_oauth_states').selectAll().execute()).toEqual([]);
  });
});

async function setUpOwnerElsewhere(app: FastifyInstance): Promise<ApiClient> {
  const user = await createUser(app.store.db, () => new Date(), { email: 'mallory@elsewhere.example', name: 'Mallory', password: PASSWORD });
  await createOrg(app.store.db, () => new Date(), { name: 'Elsewhere', ownerUserId: user.id });
  const client = new ApiClient(app, '198.51.100.7');
  await client.post('/api/session', { email: 'mallory@elsewhere.example', password: PASSWORD });
  return client;
}
