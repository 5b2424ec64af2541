/**
 * Contract tests for the Mastodon connector. No Mastodon server can run here: a local server
 * asserts what Chorus sends and answers with the entities documented at docs.joinmastodon.org
 * (Account, Status, Notification, Instance v2, MediaAttachment, Application, Token, Error).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectorResult } from '../../src/channels/connector.js';
import { createMastodonConnector } from '../../src/channels/mastodon/connector.js';
import { DEFAULT_LIMITS, measureMastodonText } from '../../src/channels/mastodon/limits.js';
import { exchangeMastodonCode, mastodonAuthorizeUrl, registerMastodonApp } from '../../src/channels/mastodon/oauth.js';
import { startContractServer, type ContractServer } from '../support/contract-server.js';

const NOW = new Date('2026-11-27T10:00:00Z');

const account = (id: string, username: string, extra: Record<string, unknown> = {}) => ({
  id,
  username,
  acct: username,
  display_name: username === 'acme' ? 'Acme Bakery' : '',
  locked: false,
  bot: false,
  created_at: '2022-01-01T00:00:00.000Z',
  note: '<p>Bread.</p>',
  url: `https://mastodon.example/@${username}`,
  avatar: `https://files.mastodon.example/accounts/avatars/${id}.png`,
  followers_count: 0,
  following_count: 0,
  statuses_count: 0,
  emojis: [],
  fields: [],
  ...extra,
});

const ME = account('109302', 'acme', { followers_count: 321, following_count: 45, statuses_count: 678 });
const BOB = account('110001', 'bob', { acct: 'bob@other.example', url: 'https://other.example/@bob' });

const statusOf = (id: string, content: string, extra: Record<string, unknown> = {}) => ({
  id,
  created_at: '2026-11-27T09:00:00.000Z',
  in_reply_to_id: null,
  in_reply_to_account_id: null,
  sensitive: false,
  spoiler_text: '',
  visibility: 'public',
  language: 'en',
  uri: `https://other.example/users/bob/statuses/${id}`,
  url: `https://other.example/@bob/${id}`,
  replies_count: 0,
  reblogs_count: 0,
  favourites_count: 0,
  edited_at: null,
  content,
  reblog: null,
  application: null,
  account: BOB,
  media_attachments: [],
  mentions: [],
  tags: [],
  emojis: [],
  card: null,
  poll: null,
  ...extra,
});

const instance = {
  domain: 'mastodon.example',
  title: 'Mastodon Example',
  version: '4.5.0',
  configuration: {
    urls: { streaming: 'wss://mastodon.example' },
    accounts: { max_featured_tags: 10 },
    statuses: { max_characters: 1000, max_media_attachments: 4, characters_reserved_per_url: 23 },
    media_attachments: {
      supported_mime_types: ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'video/mp4'],
      image_size_limit: 16777216,
      image_matrix_limit: 33177600,
    },
    polls: { max_options: 4, max_characters_per_option: 50, min_expiration: 300, max_expiration: 2629746 },
  },
  registrations: { enabled: false, approval_required: false, message: null },
};

let server: ContractServer;
let clock: Date;

beforeEach(async () => {
  server = await startContractServer({
    'GET /api/v1/accounts/verify_credentials': () => ({ json: ME }),
    'GET /api/v2/instance': () => ({ json: instance }),
  });
  clock = NOW;
});
afterEach(() => server.close());

function connect() {
  return createMastodonConnector(
    { instanceUrl: `${server.url}/`, accessToken: 'token-1' },
    { fetch: globalThis.fetch, now: () => clock, saveCredentials: async () => {} },
  );
}

function value<T>(result: ConnectorResult<T>): T {
  if (!result.ok) throw new Error(`connector failed: ${JSON.stringify(result.failure)}`);
  return result.value;
}

describe('Mastodon OAuth app and authorization code', () => {
  it('registers the app, builds the authorize URL and exchanges the code', async () => {
    server.routes['POST /api/v1/apps'] = () => ({
      json: {
        id: '563419',
        name: 'Chorus',
        website: null,
        redirect_uri: 'https://chorus.example/cb',
        client_id: 'TWhM-tNSuncnqN7DBJmoyeLnk6K3iJJ71KKXxgL1hPM',
        client_secret: 'ZEaFUFmF0umgBX1qKJDjaU99Q31lDkOU8NutzTOoliw',
        vapid_key: 'BCk-QqERU0q',
      },
    });
    server.routes['POST /oauth/token'] = () => ({
      json: {
        access_token: 'ZA-Yj3aBD8U8Cm7lKUp-lm9O9BmDgdhHzDeqsY8tlL0',
        token_type: 'Bearer',
        scope: 'read write:statuses write:favourites write:media',
        created_at: 1573979017,
      },
    });
    const app = await registerMastodonApp(`${server.url}/some/path`, 'https://chorus.example/cb', globalThis.fetch);
    expect(app).toEqual({
      instanceUrl: server.url,
      clientId: 'TWhM-tNSuncnqN7DBJmoyeLnk6K3iJJ71KKXxgL1hPM',
      clientSecret: 'ZEaFUFmF0umgBX1qKJDjaU99Q31lDkOU8NutzTOoliw',
    });
    expect(Object.fromEntries(server.sent('POST /api/v1/apps')[0]!.form!)).toEqual({
      client_name: 'Chorus',
      redirect_uris: 'https://chorus.example/cb',
      scopes: 'read write:statuses write:favourites write:media',
    });

    const { url, state } = mastodonAuthorizeUrl(app, 'https://chorus.example/cb');
    const authorize = new URL(url);
    expect(authorize.pathname).toBe('/oauth/authorize');
    expect(Object.fromEntries(authorize.searchParams)).toEqual({
      response_type: 'code',
      client_id: app.clientId,
      redirect_uri: 'https://chorus.example/cb',
      scope: 'read write:statuses write:favourites write:media',
      state,
    });

    expect(await exchangeMastodonCode(app, 'code-1', 'https://chorus.example/cb', globalThis.fetch)).toBe('ZA-Yj3aBD8U8Cm7lKUp-lm9O9BmDgdhHzDeqsY8tlL0');
    expect(Object.fromEntries(server.sent('POST /oauth/token')[0]!.form!)).toMatchObject({
      grant_type: 'authorization_code',
      code: 'code-1',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      redirect_uri: 'https://chorus.example/cb',
    });
  });

  it('reports a refused code with the server’s error', async () => {
    server.routes['POST /oauth/token'] = () => ({
      status: 400,
      json: { error: 'invalid_grant', error_description: 'The provided authorization grant is invalid, expired, revoked.' },
    });
    await expect(
      exchangeMastodonCode({ instanceUrl: server.url, clientId: 'c', clientSecret: 's' }, 'stale', 'https://chorus.example/cb', globalThis.fetch),
    ).rejects.toThrow(/authorization grant is invalid/);
  });
});

describe('Mastodon account, limits and publishing', () => {
  it('verifies the token, then counts against the instance’s own limit', async () => {
    const connector = connect();
    expect(connector.measureText('a'.repeat(501)).limit).toBe(500);
    expect(value(await connector.verify())).toEqual({
      remoteId: ME.id,
      handle: 'acme',
      displayName: 'Acme Bakery',
      avatarUrl: ME.avatar,
      profileUrl: 'https://mastodon.example/@acme',
    });
    expect(server.sent('GET /api/v1/accounts/verify_credentials')[0]!.headers.authorization).toBe('Bearer token-1');
    expect(connector.measureText('a'.repeat(1000))).toMatchObject({ length: 1000, limit: 1000, fits: true });
    expect(connector.capabilities.media).toMatchObject({ maxImages: 4, maxBytes: 16777216, mimeTypes: ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] });
  });

  it('publishes with the Idempotency-Key header and a JSON body; a repeated key returns the original, once', async () => {
    const byKey = new Map<string, unknown>();
    let created = 0;
    server.routes['POST /api/v1/statuses'] = (request) => {
      // Mastodon's documented behaviour: the same key returns the status made the first time.
      const key = String(request.headers['idempotency-key']);
      if (!byKey.has(key))
        byKey.set(
          key,
          statusOf(String(200 + ++created), `<p>${request.json.status}</p>`, {
            account: ME,
            created_at: clock.toISOString(),
            url: `https://mastodon.example/@acme/${200 + created}`,
          }),
        );
      return { json: byKey.get(key) };
    };
    const connector = connect();
    const request = { idempotencyKey: 'post-1', text: 'Fresh rye today', replyTo: { remoteId: '100' }, quote: { remoteId: '101' }, languages: ['en'] };
    expect(value(await connector.publish(request))).toEqual({ remoteId: '201', cid: null, url: 'https://mastodon.example/@acme/201', alreadyExisted: false });
    clock = new Date(NOW.getTime() + 10 * 60_000);
    expect(value(await connector.publish(request))).toEqual({ remoteId: '201', cid: null, url: 'https://mastodon.example/@acme/201', alreadyExisted: true });
    expect(created).toBe(1);
    const [first, second] = server.sent('POST /api/v1/statuses');
    expect(first!.headers['idempotency-key']).toBe('post-1');
    expect(second!.headers['idempotency-key']).toBe('post-1');
    expect(first!.headers.authorization).toBe('Bearer token-1');
    expect(first!.json).toEqual({ status: 'Fresh rye today', visibility: 'public', in_reply_to_id: '100', quoted_status_id: '101', language: 'en' });
  });

  it('answers a direct message with a direct status that names the person, so the reply stays private and still reaches them', async () => {
    let n = 0;
    server.routes['POST /api/v1/statuses'] = (request) => ({
      json: statusOf(String(400 + ++n), `<p>${request.json.status}</p>`, { account: ME, created_at: NOW.toISOString() }),
    });
    const connector = connect();
    const reply = (key: string, text: string) =>
      connector.publish({ idempotencyKey: key, text, replyTo: { remoteId: '100', privateTo: 'kaito@other.example' } });
    value(await reply('dm-1', 'Yes, Saturday too.'));
    value(await reply('dm-2', 'Thanks @kaito@other.example.'));
    value(await reply('dm-3', '@KAITO@other.example see you'));
    value(await connector.publish({ idempotencyKey: 'pub-1', text: 'In the open', replyTo: { remoteId: '100' } }));
    const sent = server.sent('POST /api/v1/statuses').map((r) => [r.json.visibility, r.json.status]);
    expect(sent).toEqual([
      ['direct', '@kaito@other.example Yes, Saturday too.'],
      ['direct', 'Thanks @kaito@other.example.'],
      ['direct', '@KAITO@other.example see you'],
      ['public', 'In the open'],
    ]);
  });

  it('uploads images with their description before attaching them', async () => {
    server.routes['POST /api/v2/media'] = () => ({
      json: {
        id: '22348641',
        type: 'image',
        url: 'https://files.mastodon.example/media/1.png',
        preview_url: 'https://files.mastodon.example/media/1s.png',
        remote_url: null,
        description: 'A red door',
        blurhash: 'UFBWY:8_0Jxv4mx]t8t64.%M-:IUWGWAt6M}',
      },
    });
    server.routes['POST /api/v1/statuses'] = () => ({ json: statusOf('300', '<p>Shop</p>', { account: ME, created_at: NOW.toISOString() }) });
    value(
      await connect().publish({
        idempotencyKey: 'post-2',
        text: 'Shop',
        images: [{ data: Uint8Array.from([137, 80, 78, 71]), mimeType: 'image/png', alt: 'A red door' }],
      }),
    );
    const upload = server.sent('POST /api/v2/media')[0]!;
    expect(upload.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(upload.body).toContain('name="file"; filename="image.png"');
    expect(upload.body).toMatch(/name="description"\r\n\r\nA red door/);
    expect(server.sent('POST /api/v1/statuses')[0]!.json.media_ids).toEqual(['22348641']);
  });

  it('refuses text over the limit, counting URLs as 23 and remote mentions by their local part', async () => {
    const connector = connect();
    const url = `https://example.com/${'very-long-path/'.repeat(20)}`;
    expect(connector.measureText(`Hi @bob@other.example ${url}`)).toMatchObject({ length: 3 + 4 + 1 + 23, limit: 500, fits: true });
    // A fresh connector (the publisher's) knows only the stock 500: past it, it asks the instance (1000 here) before refusing.
    expect(await connector.publish({ idempotencyKey: 'long', text: 'x'.repeat(1001) })).toMatchObject({
      ok: false,
      failure: { kind: 'permanent', code: 'text_too_long' },
    });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v2/instance']);
    expect(server.sent('POST /api/v1/statuses')).toEqual([]);
  });

  it('publishes text past the stock 500 when the instance allows more, asking the instance once', async () => {
    server.routes['POST /api/v1/statuses'] = () => ({ json: statusOf('301', '<p>long</p>', { account: ME, created_at: NOW.toISOString() }) });
    const connector = connect();
    value(await connector.publish({ idempotencyKey: 'long-ok', text: 'y'.repeat(800) }));
    value(await connector.publish({ idempotencyKey: 'long-ok-2', text: 'z'.repeat(900) }));
    expect(server.sent('GET /api/v2/instance')).toHaveLength(1);
    expect(server.sent('POST /api/v1/statuses').map((r) => r.json.status.length)).toEqual([800, 900]);
  });

  it('favourites, boosts, deletes, and reads post and account metrics', async () => {
    server.routes['POST /api/v1/statuses/:id/favourite'] = () => ({ json: statusOf('400', '<p>x</p>', { favourited: true }) });
    server.routes['POST /api/v1/statuses/:id/reblog'] = () => ({ json: statusOf('401', '', { reblog: statusOf('400', '<p>x</p>') }) });
    server.routes['DELETE /api/v1/statuses/:id'] = () => ({ json: statusOf('400', '', { text: 'x' }) });
    server.routes['GET /api/v1/statuses/:id'] = () => ({
      json: statusOf('400', '<p>x</p>', { favourites_count: 7, reblogs_count: 5, replies_count: 6, quotes_count: 2 }),
    });
    const connector = connect();
    value(await connector.like({ remoteId: '400' }));
    value(await connector.repost({ remoteId: '400' }));
    value(await connector.deletePost({ remoteId: '400' }));
    expect(value(await connector.postMetrics({ remoteId: '400' }))).toEqual({ likes: 7, reposts: 5, replies: 6, quotes: 2, views: null });
    expect(value(await connector.accountMetrics())).toEqual({ followers: 321, following: 45, posts: 678 });
    expect(server.requests.slice(0, 4).map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /api/v1/statuses/400/favourite',
      'POST /api/v1/statuses/400/reblog',
      'DELETE /api/v1/statuses/400',
      'GET /api/v1/statuses/400',
    ]);
  });
});

describe('Mastodon streams', () => {
  it('reads the home timeline with sanitized content, shows boosted statuses and pages with the Link header', async () => {
    const hostile =
      '<p>Rye &amp; spelt <a href="https://other.example/@acme" class="u-url mention">@<span>acme</span></a> <a href="https://bread.example/rye" rel="nofollow">bread.example/rye</a><script>alert(1)</script><img src="x" onerror="alert(2)"></p><p><a href="javascript:alert(3)">click</a></p>';
    server.routes['GET /api/v1/timelines/home'] = () => ({
      json: [
        statusOf('500', hostile, {
          media_attachments: [
            { id: '9', type: 'image', url: 'https://files.other.example/9.jpg', preview_url: 'https://files.other.example/9s.jpg', description: 'a loaf' },
          ],
          replies_count: 1,
          reblogs_count: 2,
          favourites_count: 3,
        }),
        statusOf('501', '', { account: ME, reblog: statusOf('480', '<p>boosted</p>') }),
        { id: '502', content: 'missing everything else' },
      ],
      headers: { link: `<${server.url}/api/v1/timelines/home?max_id=501>; rel="next", <${server.url}/api/v1/timelines/home?min_id=500>; rel="prev"` },
    });
    const connector = connect();
    const page = value(await connector.readStream({ kind: 'home', limit: 80 }));
    expect(page.olderCursor).toBe('501');
    expect(page.items.map((item) => item.remoteId)).toEqual(['500', '480']);
    const [first, boosted] = page.items;
    expect(first!.text).toBe('Rye & spelt @acme bread.example/rye click');
    expect(first!.html).not.toMatch(/script|onerror|javascript:/);
    expect(first!.links).toEqual(['https://bread.example/rye']);
    expect(first!).toMatchObject({
      network: 'mastodon',
      url: 'https://other.example/@bob/500',
      author: { remoteId: BOB.id, handle: 'bob@other.example', displayName: 'bob', profileUrl: 'https://other.example/@bob' },
      media: [{ url: 'https://files.other.example/9.jpg', alt: 'a loaf', mimeType: null }],
      metrics: { likes: 3, reposts: 2, replies: 1, quotes: 0, views: null },
    });
    expect(boosted!.text).toBe('boosted');
    expect(server.sent('GET /api/v1/timelines/home')[0]!.query.get('limit')).toBe('40');
    await connector.readStream({ kind: 'home', cursor: page.olderCursor });
    expect(server.sent('GET /api/v1/timelines/home')[1]!.query.get('max_id')).toBe('501');
  });

  it('reads mentions from notifications of type mention, and the other streams from their endpoints', async () => {
    server.routes['GET /api/v1/notifications'] = (request) => ({
      json: [
        {
          id: '34975861',
          type: 'mention',
          created_at: '2026-11-27T09:30:00.000Z',
          account: BOB,
          status: statusOf(
            '600',
            '<p><span class="h-card"><a href="https://mastodon.example/@acme" class="u-url mention">@<span>acme</span></a></span> open tomorrow?</p>',
          ),
        },
        { id: '34975535', type: 'favourite', created_at: '2026-11-27T09:20:00.000Z', account: BOB, status: statusOf('201', '<p>ours</p>', { account: ME }) },
      ].filter((n) => request.query.getAll('types[]').includes(n.type)),
      headers: { link: `<${server.url}/api/v1/notifications?max_id=34975861>; rel="next"` },
    });
    for (const path of [
      '/api/v1/accounts/lookup',
      '/api/v1/accounts/:id/statuses',
      '/api/v1/timelines/list/:id',
      '/api/v1/timelines/tag/:tag',
      '/api/v2/search',
    ]) {
      server.routes[`GET ${path}`] = () => ({
        json: path.endsWith('lookup') ? BOB : path.endsWith('search') ? { accounts: [], statuses: [], hashtags: [] } : [],
      });
    }
    const connector = connect();
    const mentions = value(await connector.readStream({ kind: 'mentions' }));
    expect(mentions.items.map((item) => [item.remoteId, item.text])).toEqual([['600', '@acme open tomorrow?']]);
    expect(mentions.olderCursor).toBe('34975861');
    expect(server.sent('GET /api/v1/notifications')[0]!.query.getAll('types[]')).toEqual(['mention']);
    value(await connector.readStream({ kind: 'notifications' }));
    expect(server.sent('GET /api/v1/notifications')[1]!.query.getAll('types[]')).toEqual(['mention', 'status', 'quote']);

    value(await connector.readStream({ kind: 'user_posts', target: '@bob@other.example' }));
    value(await connector.readStream({ kind: 'list', target: '13' }));
    value(await connector.readStream({ kind: 'search', target: '#sourdough' }));
    value(await connector.readStream({ kind: 'search', target: 'rye bread' }));
    expect(server.requests.slice(-5).map((r) => `${r.path}?${r.query}`)).toEqual([
      '/api/v1/accounts/lookup?acct=bob%40other.example',
      `/api/v1/accounts/${BOB.id}/statuses?limit=30`,
      '/api/v1/timelines/list/13?limit=30',
      '/api/v1/timelines/tag/sourdough?limit=30',
      '/api/v2/search?limit=30&q=rye+bread&type=statuses&resolve=false',
    ]);
  });
});

describe('Mastodon failures and rate limits', () => {
  it('maps 401, 422, 503 and an unreachable server to auth, permanent and transient', async () => {
    server.routes['GET /api/v1/accounts/verify_credentials'] = () => ({ status: 401, json: { error: 'The access token is invalid' } });
    server.routes['POST /api/v1/statuses'] = () => ({ status: 422, json: { error: 'Validation failed: Poll is invalid' } });
    server.routes['GET /api/v1/timelines/home'] = () => ({ status: 503, json: { error: 'Service Unavailable' } });
    const connector = connect();
    expect(await connector.verify()).toEqual({ ok: false, failure: { kind: 'auth', message: 'Mastodon answered 401: The access token is invalid' } });
    expect(await connector.health()).toMatchObject({ status: 'needs_reconnect' });
    expect(await connector.publish({ idempotencyKey: 'p', text: 'Vote!' })).toEqual({
      ok: false,
      failure: { kind: 'permanent', message: 'Mastodon answered 422: Validation failed: Poll is invalid', code: 'rejected' },
    });
    // A blank text without images is refused by the network's rules before anything is sent.
    const sent = server.requests.length;
    expect(await connector.publish({ idempotencyKey: 'q', text: ' ' })).toMatchObject({ ok: false, failure: { kind: 'permanent', code: 'empty_text' } });
    expect(server.requests.length).toBe(sent);
    expect(await connector.readStream({ kind: 'home' })).toMatchObject({ ok: false, failure: { kind: 'transient' } });
    await server.close();
    expect(await connect().verify()).toMatchObject({ ok: false, failure: { kind: 'transient' } });
    server = await startContractServer();
  });

  it('maps 429 to rate_limited until X-RateLimit-Reset and holds off while none remain', async () => {
    const reset = new Date(NOW.getTime() + 90_000).toISOString();
    server.routes['GET /api/v1/timelines/home'] = () => ({
      status: 429,
      json: { error: 'Too many requests' },
      headers: { 'x-ratelimit-limit': '300', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
    });
    const connector = connect();
    expect(await connector.readStream({ kind: 'home' })).toEqual({
      ok: false,
      failure: { kind: 'rate_limited', message: 'Mastodon answered 429: Too many requests', retryAfterMs: 90_000 },
    });
    clock = new Date(NOW.getTime() + 30_000);
    expect(await connector.verify()).toMatchObject({ ok: false, failure: { kind: 'rate_limited', retryAfterMs: 60_000 } });
    expect(server.requests).toHaveLength(1);
  });
});

describe('Mastodon text length', () => {
  it('follows the stock rules: graphemes, URLs as 23, remote mentions as their local part', () => {
    expect(measureMastodonText('日本語 🇯🇵', DEFAULT_LIMITS)).toMatchObject({ length: 5, limit: 500, fits: true });
    expect(measureMastodonText('see example.com', DEFAULT_LIMITS).length).toBe(15);
    expect(measureMastodonText('@alice@social.example.com hi', DEFAULT_LIMITS).length).toBe(9);
    expect(measureMastodonText(`${'a'.repeat(476)} https://shop.com/${'b'.repeat(100)}`, DEFAULT_LIMITS)).toMatchObject({
      length: 500,
      limit: 500,
      fits: true,
    });
  });
});
