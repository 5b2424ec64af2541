/**
 * Contract tests for the X connector. No X server can run here: a local server asserts what
 * Chorus sends and answers with the response shapes documented for the v2 API
 * (docs.x.com: users/me, POST /2/tweets, timelines, mentions, search/recent, likes,
 * retweets, media/upload, oauth2/token, and the problem+json error bodies).
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectorResult } from '../../src/channels/connector.js';
import { createXConnector } from '../../src/channels/x/connector.js';
import type { XCredentials } from '../../src/channels/x/credentials.js';
import { exchangeXCode, xAuthorizeUrl } from '../../src/channels/x/oauth.js';
import { xRules } from '../../core/networks/x.js';
import { startContractServer, type ContractServer } from '../support/contract-server.js';

const NOW = new Date('2026-11-27T10:00:00Z');
const ME = { id: '2244994945', name: 'Acme Bakery', username: 'acmebakery', profile_image_url: 'https://pbs.twimg.com/profile_images/1/acme_normal.jpg' };
const BOB = { id: '783214', name: 'Bob', username: 'bob' };

const tweet = (id: string, text: string, extra: Record<string, unknown> = {}) => ({
  id,
  text,
  author_id: BOB.id,
  created_at: '2026-11-27T09:00:00.000Z',
  lang: 'en',
  edit_history_tweet_ids: [id],
  ...extra,
});

const unauthorized = { status: 401, json: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' } };

let server: ContractServer;
let saved: unknown[];
let clock: Date;

beforeEach(async () => {
  server = await startContractServer({ 'GET /2/users/me': () => ({ json: { data: ME } }) });
  saved = [];
  clock = NOW;
});
afterEach(() => server.close());

function connect(overrides: Partial<XCredentials> = {}) {
  return createXConnector(
    {
      clientId: 'client-1',
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
      expiresAt: '2026-11-27T12:00:00Z',
      userId: ME.id,
      username: ME.username,
      apiBase: server.url,
      ...overrides,
    },
    { fetch: globalThis.fetch, now: () => clock, saveCredentials: async (credentials) => void saved.push(credentials) },
  );
}

function value<T>(result: ConnectorResult<T>): T {
  if (!result.ok) throw new Error(`connector failed: ${JSON.stringify(result.failure)}`);
  return result.value;
}

describe('X OAuth 2.0 with PKCE', () => {
  it('builds an authorize URL with an S256 challenge of a fresh verifier', () => {
    const first = xAuthorizeUrl({ clientId: 'client-1' }, 'https://chorus.example/oauth/x/callback');
    const url = new URL(first.url);
    expect(url.origin + url.pathname).toBe('https://x.com/i/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'client-1',
      redirect_uri: 'https://chorus.example/oauth/x/callback',
      state: first.state,
      code_challenge: createHash('sha256').update(first.codeVerifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    expect(url.searchParams.get('scope')!.split(' ')).toEqual(expect.arrayContaining(['tweet.read', 'tweet.write', 'users.read', 'offline.access']));
    expect(first.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    const second = xAuthorizeUrl({ clientId: 'client-1' }, 'https://chorus.example/oauth/x/callback');
    expect(second.state).not.toBe(first.state);
    expect(second.codeVerifier).not.toBe(first.codeVerifier);
  });

  it('exchanges the code with the verifier, authenticating a confidential client', async () => {
    server.routes['POST /2/oauth2/token'] = () => ({
      json: {
        token_type: 'bearer',
        expires_in: 7200,
        access_token: 'access-new',
        scope: 'tweet.read tweet.write offline.access',
        refresh_token: 'refresh-new',
      },
    });
    const tokens = await exchangeXCode(
      { clientId: 'client-1', clientSecret: 'secret-1', apiBase: server.url },
      { code: 'code-1', codeVerifier: 'verifier-1', redirectUri: 'https://chorus.example/cb' },
      globalThis.fetch,
      NOW,
    );
    expect(tokens).toEqual({
      accessToken: 'access-new',
      refreshToken: 'refresh-new',
      expiresAt: '2026-11-27T12:00:00.000Z',
      scope: ['tweet.read', 'tweet.write', 'offline.access'],
    });
    const [sent] = server.sent('POST /2/oauth2/token');
    expect(Object.fromEntries(sent!.form!)).toEqual({
      grant_type: 'authorization_code',
      code: 'code-1',
      redirect_uri: 'https://chorus.example/cb',
      code_verifier: 'verifier-1',
      client_id: 'client-1',
    });
    expect(sent!.headers.authorization).toBe(`Basic ${Buffer.from('client-1:secret-1').toString('base64')}`);
  });

  it('refreshes an expired access token, persists the rotated pair and retries', async () => {
    server.routes['GET /2/users/me'] = (request) => (request.headers.authorization === 'Bearer access-2' ? { json: { data: ME } } : unauthorized);
    server.routes['POST /2/oauth2/token'] = () => ({
      json: { token_type: 'bearer', expires_in: 7200, access_token: 'access-2', refresh_token: 'refresh-2', scope: 'tweet.read' },
    });
    const profile = value(await connect().verify());
    expect(profile).toEqual({
      remoteId: ME.id,
      handle: 'acmebakery',
      displayName: 'Acme Bakery',
      avatarUrl: ME.profile_image_url,
      profileUrl: 'https://x.com/acmebakery',
    });
    expect(Object.fromEntries(server.sent('POST /2/oauth2/token')[0]!.form!)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'refresh-1',
      client_id: 'client-1',
    });
    expect(saved).toEqual([expect.objectContaining({ accessToken: 'access-2', refreshToken: 'refresh-2', expiresAt: '2026-11-27T12:00:00.000Z' })]);
  });

  it('refreshes ahead of expiry without a wasted call', async () => {
    server.routes['POST /2/oauth2/token'] = () => ({
      json: { token_type: 'bearer', expires_in: 7200, access_token: 'access-2', refresh_token: 'refresh-2', scope: 'tweet.read' },
    });
    value(await connect({ expiresAt: '2026-11-27T10:00:30Z' }).verify());
    expect(server.requests.map((r) => `${r.method} ${r.path} ${r.headers.authorization ?? ''}`)).toEqual([
      'POST /2/oauth2/token ',
      'GET /2/users/me Bearer access-2',
    ]);
  });

  it('reports a refused refresh as auth and keeps the stored refresh token', async () => {
    server.routes['GET /2/users/me'] = () => unauthorized;
    server.routes['POST /2/oauth2/token'] = () => ({
      status: 400,
      json: { error: 'invalid_request', error_description: 'Value passed for the token was invalid.' },
    });
    const connector = connect();
    expect(await connector.verify()).toEqual({ ok: false, failure: { kind: 'auth', message: expect.stringContaining('token was invalid') } });
    expect(await connector.health()).toMatchObject({ status: 'needs_reconnect' });
    expect(saved).toEqual([]);
  });

  it('refuses a token that belongs to another account', async () => {
    server.routes['GET /2/users/me'] = () => ({ json: { data: BOB } });
    expect(await connect().verify()).toMatchObject({ ok: false, failure: { kind: 'permanent', code: 'wrong_account' } });
  });
});

describe('X publishing', () => {
  it('posts text, reply and quote to POST /2/tweets on a first attempt without any lookup', async () => {
    server.routes['POST /2/tweets'] = (request) => ({
      status: 201,
      json: { data: { id: '1445880548472328192', text: request.json.text, edit_history_tweet_ids: ['1445880548472328192'] } },
    });
    const post = value(
      await connect().publish({
        idempotencyKey: 'k1',
        attempt: 1,
        text: 'Fresh bread at 7',
        replyTo: { remoteId: '1460323737035677698' },
        quote: { remoteId: '1409931481552543749' },
      }),
    );
    expect(post).toEqual({ remoteId: '1445880548472328192', cid: null, url: 'https://x.com/acmebakery/status/1445880548472328192', alreadyExisted: false });
    const [sent] = server.sent('POST /2/tweets');
    expect(sent!.json).toEqual({ text: 'Fresh bread at 7', reply: { in_reply_to_tweet_id: '1460323737035677698' }, quote_tweet_id: '1409931481552543749' });
    expect(sent!.headers.authorization).toBe('Bearer access-1');
    expect(server.sent('GET /2/users/:id/tweets')).toEqual([]);
  });

  it('on a retry finds the post an earlier attempt created (t.co links and HTML escapes included) and posts nothing', async () => {
    server.routes['GET /2/users/:id/tweets'] = () => ({
      json: {
        data: [
          { id: '1', text: 'Something else', author_id: ME.id, created_at: '2026-11-27T09:58:00.000Z', edit_history_tweet_ids: ['1'] },
          {
            id: '1600000000000000001',
            text: 'Menu &amp; prices: https://t.co/abc123 &lt;3',
            author_id: ME.id,
            created_at: '2026-11-27T09:59:00.000Z',
            entities: {
              urls: [{ start: 18, end: 41, url: 'https://t.co/abc123', expanded_url: 'https://acme.example/menu', display_url: 'acme.example/menu' }],
            },
            edit_history_tweet_ids: ['1600000000000000001'],
          },
        ],
        includes: { users: [ME] },
        meta: { result_count: 2, newest_id: '1600000000000000001', oldest_id: '1' },
      },
    });
    const post = value(await connect().publish({ idempotencyKey: 'k2', text: 'Menu & prices: https://acme.example/menu <3' }));
    expect(post).toEqual({ remoteId: '1600000000000000001', cid: null, url: 'https://x.com/acmebakery/status/1600000000000000001', alreadyExisted: true });
    expect(server.sent('POST /2/tweets')).toEqual([]);
    const lookup = server.sent('GET /2/users/:id/tweets')[0]!;
    expect(lookup.path).toBe(`/2/users/${ME.id}/tweets`);
    expect(lookup.query.get('start_time')).toBe('2026-11-26T10:00:00.000Z');
    expect(lookup.query.get('max_results')).toBe('100');
  });

  it('on a retry with no earlier copy posts once', async () => {
    server.routes['GET /2/users/:id/tweets'] = () => ({ json: { meta: { result_count: 0 } } });
    server.routes['POST /2/tweets'] = () => ({ status: 201, json: { data: { id: '77', text: 'Closed today', edit_history_tweet_ids: ['77'] } } });
    expect(value(await connect().publish({ idempotencyKey: 'k3', text: 'Closed today' }))).toMatchObject({ remoteId: '77', alreadyExisted: false });
    expect(server.sent('POST /2/tweets')).toHaveLength(1);
  });

  it('treats X’s duplicate-content refusal as "already published" when the copy is found', async () => {
    server.routes['POST /2/tweets'] = () => ({
      status: 403,
      json: { detail: 'You are not allowed to create a Tweet with duplicate content.', type: 'about:blank', title: 'Forbidden', status: 403 },
    });
    server.routes['GET /2/users/:id/tweets'] = () => ({
      json: { data: [{ id: '88', text: 'Open at 8', author_id: ME.id, edit_history_tweet_ids: ['88'] }], meta: { result_count: 1 } },
    });
    expect(value(await connect().publish({ idempotencyKey: 'k4', attempt: 1, text: 'Open at 8' }))).toMatchObject({ remoteId: '88', alreadyExisted: true });
    server.routes['GET /2/users/:id/tweets'] = () => ({ json: { meta: { result_count: 0 } } });
    expect(await connect().publish({ idempotencyKey: 'k5', attempt: 1, text: 'Open at 8' })).toMatchObject({
      ok: false,
      failure: { kind: 'permanent', code: 'duplicate_content' },
    });
  });

  it('uploads images, sets alt text and attaches the media ids', async () => {
    let next = 1;
    server.routes['POST /2/media/upload'] = () => ({
      json: { data: { id: `171000000000000000${next}`, media_key: `3_171000000000000000${next++}`, size: 68, expires_after_secs: 86400 } },
    });
    server.routes['POST /2/media/metadata'] = (request) => ({ json: { data: { id: request.json.id, associated_metadata: request.json.metadata } } });
    server.routes['POST /2/tweets'] = () => ({ status: 201, json: { data: { id: '99', text: 'Shop front https://t.co/x', edit_history_tweet_ids: ['99'] } } });
    const png = Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10]);
    value(
      await connect().publish({
        idempotencyKey: 'k6',
        attempt: 1,
        text: 'Shop front',
        images: [
          { data: png, mimeType: 'image/png', alt: 'A red door' },
          { data: png, mimeType: 'image/png', alt: '' },
        ],
      }),
    );
    const uploads = server.sent('POST /2/media/upload');
    expect(uploads.map((u) => u.json)).toEqual([
      { media: Buffer.from(png).toString('base64'), media_category: 'tweet_image', media_type: 'image/png' },
      { media: Buffer.from(png).toString('base64'), media_category: 'tweet_image', media_type: 'image/png' },
    ]);
    expect(server.sent('POST /2/media/metadata').map((m) => m.json)).toEqual([{ id: '1710000000000000001', metadata: { alt_text: { text: 'A red door' } } }]);
    expect(server.sent('POST /2/tweets')[0]!.json).toEqual({ text: 'Shop front', media: { media_ids: ['1710000000000000001', '1710000000000000002'] } });
  });

  it('refuses text over 280 weighted characters without calling X', async () => {
    const result = await connect().publish({ idempotencyKey: 'k7', text: '日'.repeat(141) });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'permanent', code: 'text_too_long' } });
    expect(server.requests).toEqual([]);
  });

  it('likes, reposts and deletes through the documented endpoints', async () => {
    server.routes['POST /2/users/:id/likes'] = () => ({ json: { data: { liked: true } } });
    server.routes['POST /2/users/:id/retweets'] = () => ({ json: { data: { retweeted: true } } });
    server.routes['DELETE /2/tweets/:id'] = () => ({ json: { data: { deleted: true } } });
    const connector = connect();
    value(await connector.like({ remoteId: '1460323737035677698' }));
    value(await connector.repost({ remoteId: '1460323737035677698' }));
    value(await connector.deletePost({ remoteId: '1445880548472328192' }));
    expect(server.requests.map((r) => [r.method, r.path, r.json])).toEqual([
      ['POST', `/2/users/${ME.id}/likes`, { tweet_id: '1460323737035677698' }],
      ['POST', `/2/users/${ME.id}/retweets`, { tweet_id: '1460323737035677698' }],
      ['DELETE', '/2/tweets/1445880548472328192', null],
    ]);
  });
});

describe('X streams and metrics', () => {
  const mentionsPage = {
    data: [
      tweet('1600000000000000010', '@acmebakery do you have rye? https://t.co/r', {
        referenced_tweets: [{ type: 'replied_to', id: '1600000000000000001' }],
        entities: { urls: [{ start: 29, end: 44, url: 'https://t.co/r', expanded_url: 'https://bob.example/rye', display_url: 'bob.example/rye' }] },
        attachments: { media_keys: ['3_1'] },
        public_metrics: { retweet_count: 1, reply_count: 2, like_count: 3, quote_count: 4, bookmark_count: 0, impression_count: 50 },
      }),
      { id: 'broken' },
    ],
    includes: { users: [BOB], media: [{ media_key: '3_1', type: 'photo', url: 'https://pbs.twimg.com/media/rye.jpg', alt_text: 'a loaf' }] },
    meta: { result_count: 2, newest_id: '1600000000000000010', oldest_id: '1600000000000000010', next_token: '7140dibdnow9c7btw3w29grvxfcgvpb9n9coehpk7xz5i' },
  };

  it('reads mentions with authors, links, media and metrics, skipping malformed entries, and pages on', async () => {
    server.routes['GET /2/users/:id/mentions'] = () => ({ json: mentionsPage });
    const connector = connect();
    const page = value(await connector.readStream({ kind: 'mentions', limit: 5 }));
    expect(page.olderCursor).toBe('7140dibdnow9c7btw3w29grvxfcgvpb9n9coehpk7xz5i');
    expect(page.items).toEqual([
      {
        network: 'x',
        remoteId: '1600000000000000010',
        url: 'https://x.com/bob/status/1600000000000000010',
        author: { remoteId: BOB.id, handle: 'bob', displayName: 'Bob', avatarUrl: null, profileUrl: 'https://x.com/bob' },
        text: '@acmebakery do you have rye? https://bob.example/rye',
        html: null,
        links: ['https://bob.example/rye'],
        media: [{ url: 'https://pbs.twimg.com/media/rye.jpg', alt: 'a loaf', mimeType: null }],
        replyToRemoteId: '1600000000000000001',
        quoteOfRemoteId: null,
        createdAt: '2026-11-27T09:00:00.000Z',
        language: 'en',
        metrics: { likes: 3, reposts: 1, replies: 2, quotes: 4, views: 50 },
      },
    ]);
    const first = server.sent('GET /2/users/:id/mentions')[0]!;
    expect(first.path).toBe(`/2/users/${ME.id}/mentions`);
    expect(first.query.get('max_results')).toBe('10');
    expect(first.query.get('expansions')).toBe('author_id,attachments.media_keys');
    expect(first.query.has('pagination_token')).toBe(false);
    await connector.readStream({ kind: 'mentions', cursor: page.olderCursor });
    expect(server.sent('GET /2/users/:id/mentions')[1]!.query.get('pagination_token')).toBe(page.olderCursor);
  });

  it('reads home, a user by name, a list and recent search from their endpoints', async () => {
    const empty = () => ({ json: { meta: { result_count: 0 } } });
    server.routes['GET /2/users/:id/timelines/reverse_chronological'] = empty;
    server.routes['GET /2/users/by/username/:username'] = () => ({ json: { data: BOB } });
    server.routes['GET /2/users/:id/tweets'] = empty;
    server.routes['GET /2/lists/:id/tweets'] = empty;
    server.routes['GET /2/tweets/search/recent'] = empty;
    const connector = connect();
    for (const request of [
      { kind: 'home' },
      { kind: 'user_posts', target: '@bob' },
      { kind: 'list', target: '84839422' },
      { kind: 'search', target: '#sourdough -is:retweet', cursor: 'b26v89c19zqg8o3f' },
    ] as const) {
      expect(value(await connector.readStream(request))).toEqual({ items: [], olderCursor: null });
    }
    expect(server.requests.map((r) => r.path)).toEqual([
      `/2/users/${ME.id}/timelines/reverse_chronological`,
      '/2/users/by/username/bob',
      `/2/users/${BOB.id}/tweets`,
      '/2/lists/84839422/tweets',
      '/2/tweets/search/recent',
    ]);
    const search = server.sent('GET /2/tweets/search/recent')[0]!;
    expect(search.query.get('query')).toBe('#sourdough -is:retweet');
    expect(search.query.get('next_token')).toBe('b26v89c19zqg8o3f');
    expect(search.query.has('pagination_token')).toBe(false);
  });

  it('reads post metrics from public_metrics and followers from the user', async () => {
    server.routes['GET /2/tweets/:id'] = () => ({
      json: {
        data: {
          id: '1',
          text: 'x',
          edit_history_tweet_ids: ['1'],
          public_metrics: { retweet_count: 5, reply_count: 6, like_count: 7, quote_count: 8, bookmark_count: 1, impression_count: 900 },
        },
      },
    });
    server.routes['GET /2/users/me'] = () => ({
      json: { data: { ...ME, public_metrics: { followers_count: 1200, following_count: 80, tweet_count: 3400, listed_count: 9, like_count: 10 } } },
    });
    const connector = connect();
    expect(value(await connector.postMetrics({ remoteId: '1' }))).toEqual({ likes: 7, reposts: 5, replies: 6, quotes: 8, views: 900 });
    expect(server.sent('GET /2/tweets/:id')[0]!.query.get('tweet.fields')).toBe('public_metrics');
    expect(value(await connector.accountMetrics())).toEqual({ followers: 1200, following: 80, posts: 3400 });
    server.routes['GET /2/tweets/:id'] = () => ({
      json: {
        errors: [
          {
            value: '2',
            detail: 'Could not find tweet with id: [2].',
            title: 'Not Found Error',
            resource_type: 'tweet',
            parameter: 'id',
            resource_id: '2',
            type: 'https://api.twitter.com/2/problems/resource-not-found',
          },
        ],
      },
    });
    expect(await connector.postMetrics({ remoteId: '2' })).toMatchObject({ ok: false, failure: { kind: 'permanent', code: 'post_not_found' } });
  });
});

describe('X failures and rate limits', () => {
  it('maps 429 to rate_limited until x-rate-limit-reset and stops calling an exhausted endpoint', async () => {
    const reset = String(NOW.getTime() / 1000 + 120);
    server.routes['GET /2/users/:id/mentions'] = () => ({
      status: 429,
      json: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 },
      headers: { 'x-rate-limit-limit': '180', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': reset },
    });
    const connector = connect();
    expect(await connector.readStream({ kind: 'mentions' })).toEqual({
      ok: false,
      failure: { kind: 'rate_limited', message: expect.any(String), retryAfterMs: 120_000 },
    });
    clock = new Date(NOW.getTime() + 60_000);
    expect(await connector.readStream({ kind: 'mentions' })).toEqual({
      ok: false,
      failure: { kind: 'rate_limited', message: expect.any(String), retryAfterMs: 60_000 },
    });
    expect(server.sent('GET /2/users/:id/mentions')).toHaveLength(1);
    value(await connector.verify());
  });

  it('maps 503 and an unreachable server to transient, 400 to permanent', async () => {
    server.routes['GET /2/users/me'] = () => ({
      status: 503,
      json: { title: 'Service Unavailable', detail: 'Service Unavailable', type: 'about:blank', status: 503 },
    });
    expect(await connect().verify()).toMatchObject({ ok: false, failure: { kind: 'transient' } });
    expect(await connect().health()).toMatchObject({ status: 'degraded' });
    server.routes['GET /2/tweets/search/recent'] = () => ({
      status: 400,
      json: {
        errors: [{ parameters: { query: [''] }, message: 'Invalid query' }],
        title: 'Invalid Request',
        detail: 'One or more parameters to your request was invalid.',
        type: 'https://api.twitter.com/2/problems/invalid-request',
      },
    });
    expect(await connect().readStream({ kind: 'search', target: '(' })).toMatchObject({ ok: false, failure: { kind: 'permanent', code: 'http_400' } });
    await server.close();
    expect(await connect().verify()).toMatchObject({ ok: false, failure: { kind: 'transient' } });
    server = await startContractServer();
  });
});

describe('X text length', () => {
  it('weighs CJK as 2 and any URL as 23, against 280', () => {
    expect(xRules.measureText('日本語のテキスト https://example.com')).toMatchObject({ length: 40, limit: 280, fits: true });
    expect(xRules.measureText(`${'a'.repeat(256)} https://example.com/${'long/'.repeat(40)}`)).toMatchObject({ length: 280, limit: 280, fits: true });
    expect(xRules.measureText('日'.repeat(140))).toMatchObject({ length: 280, fits: true });
    expect(xRules.measureText('日'.repeat(141))).toMatchObject({ length: 282, fits: false });
  });
});
