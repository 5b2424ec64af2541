/**
 * Contract tests for the Threads connector. No Threads server can run here: a local server
 * asserts what Chorus sends and answers with the shapes the Threads API reference documents
 * (GET /me, container create then threads_publish, /me/threads, /{id}/replies, insights,
 * publishing limit, token refresh, Graph error bodies and usage headers). For image posts the
 * fake server fetches the container's `image_url` from a running Chorus, as Threads does.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { threadsRules } from '../../core/networks/threads.js';
import type { ConnectorResult } from '../../src/channels/connector.js';
import type { PublicImageHost } from '../../src/channels/public-images.js';
import { createThreadsConnector } from '../../src/channels/threads/connector.js';
import type { ThreadsCredentials } from '../../src/channels/threads/credentials.js';
import { exchangeThreadsCode, THREADS_SCOPES, threadsAuthorizeUrl, ThreadsTokenRejected } from '../../src/channels/threads/oauth.js';
import { fetchImage, startChorusMediaHost, type ChorusMediaHost } from '../support/chorus-media-host.js';
import { startContractServer, type ContractServer } from '../support/contract-server.js';
import { describeEachStore } from '../support/stores.js';

const NOW = new Date('2026-12-05T01:30:00Z');
const TOKEN = 'THQWJ'.padEnd(40, 'x');
const ME = {
  id: '17841400000000001',
  username: 'acme_bakery',
  name: 'ACME ベーカリー',
  threads_profile_picture_url: 'https://scontent.cdninstagram.com/acme.jpg',
};

let server: ContractServer;
let saved: unknown[];

beforeEach(async () => {
  saved = [];
  server = await startContractServer({ 'GET /v1.0/me': () => ({ json: ME }) });
});
afterEach(() => server.close());

function connect(extra: Partial<ThreadsCredentials> = {}, now = NOW, publicImages: PublicImageHost | null = null) {
  return createThreadsConnector(
    { accessToken: TOKEN, apiBase: server.url, ...extra },
    { fetch: globalThis.fetch, now: () => now, saveCredentials: async (c) => void saved.push(c), publicImages },
  );
}

function value<T>(result: ConnectorResult<T>): T {
  if (!result.ok) throw new Error(`connector failed: ${JSON.stringify(result.failure)}`);
  return result.value;
}

/** Threads: a container id from POST /me/threads, a media id from POST /me/threads_publish. */
function publishing() {
  let containers = 0;
  server.routes['POST /v1.0/me/threads'] = () => ({ json: { id: `container-${++containers}` } });
  server.routes['POST /v1.0/me/threads_publish'] = (request) => ({ json: { id: `media-of-${request.query.get('creation_id')}` } });
  server.routes['GET /v1.0/:id'] = (_request, params) => ({
    json: { id: params.id, permalink: `https://www.threads.net/@acme_bakery/post/${params.id}`, timestamp: '2026-12-05T01:30:00+0000' },
  });
}

describe('Threads connector', () => {
  it('verifies the token with GET /me and names the account by its username', async () => {
    expect(value(await connect().verify())).toEqual({
      remoteId: ME.id,
      handle: 'acme_bakery',
      displayName: 'ACME ベーカリー',
      avatarUrl: ME.threads_profile_picture_url,
      profileUrl: 'https://www.threads.net/@acme_bakery',
    });
    const sent = server.sent('GET /v1.0/me')[0]!;
    expect(sent.query.get('access_token')).toBe(TOKEN);
    expect(sent.query.get('fields')).toBe('id,username,name,threads_profile_picture_url');
  });

  it('exchanges a short-lived token for a long-lived one when the app secret is given, and stores it', async () => {
    server.routes['GET /access_token'] = () => ({ json: { access_token: 'long-lived'.padEnd(40, 'y'), token_type: 'bearer', expires_in: 5_183_944 } });
    value(await connect({ appSecret: 'app-secret' }).verify());
    const exchange = server.sent('GET /access_token')[0]!;
    expect(Object.fromEntries(exchange.query)).toEqual({ grant_type: 'th_exchange_token', client_secret: 'app-secret', access_token: TOKEN });
    expect(saved).toEqual([
      expect.objectContaining({ accessToken: 'long-lived'.padEnd(40, 'y'), expiresAt: new Date(NOW.getTime() + 5_183_944_000).toISOString() }),
    ]);
    expect(server.sent('GET /v1.0/me')[0]!.query.get('access_token')).toBe('long-lived'.padEnd(40, 'y'));
  });

  it('refreshes a long-lived token a week before it ends, then uses the new one', async () => {
    server.routes['GET /refresh_access_token'] = () => ({ json: { access_token: 'refreshed'.padEnd(40, 'z'), token_type: 'bearer', expires_in: 5_184_000 } });
    const soon = new Date(NOW.getTime() + 3 * 24 * 3600_000).toISOString();
    value(await connect({ expiresAt: soon }).verify());
    expect(server.sent('GET /refresh_access_token')[0]!.query.get('grant_type')).toBe('th_refresh_token');
    expect(server.sent('GET /v1.0/me')[0]!.query.get('access_token')).toBe('refreshed'.padEnd(40, 'z'));
    expect(saved).toHaveLength(1);
    // A refresh Threads refuses while the token still works: the token is used as it is.
    server.routes['GET /refresh_access_token'] = () => ({
      status: 400,
      json: { error: { message: 'Token is too young to be refreshed', type: 'OAuthException', code: 100 } },
    });
    expect(value(await connect({ expiresAt: soon }).verify())).toMatchObject({ handle: 'acme_bakery' });
    expect(server.sent('GET /v1.0/me').at(-1)!.query.get('access_token')).toBe(TOKEN);
    // Already ended and not refreshed: the refusal is what the caller sees.
    expect(await connect({ expiresAt: new Date(NOW.getTime() - 1000).toISOString() }).verify()).toMatchObject({ ok: false, failure: { kind: 'permanent' } });
    server.routes['GET /refresh_access_token'] = () => ({ json: { access_token: 'refreshed'.padEnd(40, 'z'), token_type: 'bearer', expires_in: 5_184_000 } });
    // Far from its end: no refresh.
    value(await connect({ expiresAt: new Date(NOW.getTime() + 30 * 24 * 3600_000).toISOString() }).verify());
    expect(server.sent('GET /refresh_access_token')).toHaveLength(3);
  });

  it('learns when a pasted token ends by refreshing it once at connection', async () => {
    server.routes['GET /refresh_access_token'] = () => ({ json: { access_token: 'refreshed'.padEnd(40, 'z'), token_type: 'bearer', expires_in: 5_184_000 } });
    value(await connect().verify());
    expect(saved).toEqual([expect.objectContaining({ expiresAt: new Date(NOW.getTime() + 5_184_000_000).toISOString() })]);
  });

  it('publishes text by creating a container then publishing it; the first link becomes the link card', async () => {
    publishing();
    const text = '新しいパンが焼けました https://acme.example/pan と https://acme.example/menu';
    const published = value(await connect().publish({ idempotencyKey: 'k1', text, attempt: 1 }));
    expect(published).toEqual({
      remoteId: 'media-of-container-1',
      cid: null,
      url: 'https://www.threads.net/@acme_bakery/post/media-of-container-1',
      alreadyExisted: false,
    });
    const container = server.sent('POST /v1.0/me/threads')[0]!;
    expect(container.query.get('media_type')).toBe('TEXT');
    expect(container.query.get('text')).toBe(text);
    expect(container.query.get('link_attachment')).toBe('https://acme.example/pan');
    expect(container.query.has('reply_to_id')).toBe(false);
    expect(server.sent('POST /v1.0/me/threads_publish')[0]!.query.get('creation_id')).toBe('container-1');
    // attempt 1: nobody can have published it before, so no lookup.
    expect(server.sent('GET /v1.0/me/threads')).toHaveLength(0);
  });

  it('replies with reply_to_id', async () => {
    publishing();
    server.routes['GET /v1.0/me/replies'] = () => ({ json: { data: [] } });
    value(await connect().publish({ idempotencyKey: 'k2', text: 'ありがとうございます！', replyTo: { remoteId: '1790000000000042' } }));
    expect(server.sent('POST /v1.0/me/threads')[0]!.query.get('reply_to_id')).toBe('1790000000000042');
    expect(server.sent('GET /v1.0/me/replies')).toHaveLength(1);
  });

  it('a retry finds the post an earlier attempt published and creates nothing', async () => {
    publishing();
    server.routes['GET /v1.0/me/threads'] = () => ({
      json: {
        data: [
          { id: '111', text: 'something else', timestamp: '2026-12-05T01:00:00+0000', permalink: 'https://www.threads.net/@acme_bakery/post/111' },
          { id: '222', text: '本日のパンは売り切れました', timestamp: '2026-12-05T01:20:00+0000', permalink: 'https://www.threads.net/@acme_bakery/post/222' },
        ],
        paging: { cursors: { before: 'b', after: 'a' } },
      },
    });
    const retried = value(await connect().publish({ idempotencyKey: 'k3', text: ' 本日のパンは売り切れました ', attempt: 2 }));
    expect(retried).toEqual({ remoteId: '222', cid: null, url: 'https://www.threads.net/@acme_bakery/post/222', alreadyExisted: true });
    expect(server.sent('POST /v1.0/me/threads')).toHaveLength(0);
    expect(Number(server.sent('GET /v1.0/me/threads')[0]!.query.get('since'))).toBe(Math.floor(NOW.getTime() / 1000) - 24 * 3600);
    // Not found: it is published once.
    expect(value(await connect().publish({ idempotencyKey: 'k4', text: 'まだ無い投稿', attempt: 2 }))).toMatchObject({ alreadyExisted: false });
    expect(server.sent('POST /v1.0/me/threads_publish')).toHaveLength(1);
  });

  it('refuses what Threads would refuse before sending: empty, over 500 characters, more than 5 links, images it cannot take', async () => {
    const connector = connect();
    expect(await connector.publish({ idempotencyKey: 'a', text: '  ' })).toMatchObject({ ok: false, failure: { code: 'empty_text' } });
    expect(await connector.publish({ idempotencyKey: 'b', text: 'あ'.repeat(501) })).toMatchObject({ ok: false, failure: { code: 'text_too_long' } });
    expect(await connector.publish({ idempotencyKey: 'c', text: Array.from({ length: 6 }, (_, i) => `https://e.example/${i}`).join(' ') })).toMatchObject({
      ok: false,
      failure: { code: 'text_refused' },
    });
    const png = { data: new Uint8Array([0x89, 0x50, 0x4e, 0x47]), mimeType: 'image/png', alt: '' };
    expect(await connector.publish({ idempotencyKey: 'd', text: 'hi', images: [{ ...png, mimeType: 'image/gif' }] })).toMatchObject({
      ok: false,
      failure: { code: 'media_unsupported' },
    });
    expect(await connector.publish({ idempotencyKey: 'e', text: 'hi', images: Array.from({ length: 21 }, () => png) })).toMatchObject({
      ok: false,
      failure: { code: 'too_many_images', message: expect.stringContaining('20') },
    });
    expect(await connector.publish({ idempotencyKey: 'e2', text: 'hi', images: [png, { ...png, mimeType: 'image/webp' }] })).toMatchObject({
      ok: false,
      failure: { code: 'media_unsupported' },
    });
    // Without CHORUS_PUBLIC_URL there is no address for Threads to fetch the image from.
    expect(await connector.publish({ idempotencyKey: 'f', text: 'hi', images: [png] })).toMatchObject({
      ok: false,
      failure: { code: 'media_host_missing', message: expect.stringContaining('set CHORUS_PUBLIC_URL') },
    });
    expect(connector.measureText('あ'.repeat(500))).toMatchObject({ length: 500, limit: 500, fits: true });
    expect(connector.measureText('👍'.repeat(500))).toMatchObject({ length: 500, fits: true });
    expect(server.requests).toHaveLength(0);
  });

  it("reads the account's posts with paging, and the replies to its latest posts newest first", async () => {
    server.routes['GET /v1.0/me/threads'] = (request) =>
      request.query.get('fields') === 'id,timestamp'
        ? {
            json: {
              data: [
                { id: 'p1', timestamp: '2026-12-04T10:00:00+0000' },
                { id: 'p2', timestamp: '2026-12-03T10:00:00+0000' },
              ],
            },
          }
        : {
            json: {
              data: [
                {
                  id: 'p1',
                  media_type: 'TEXT_POST',
                  text: '営業時間のお知らせ https://acme.example',
                  username: 'acme_bakery',
                  timestamp: '2026-12-04T10:00:00+0000',
                  permalink: 'https://www.threads.net/@acme_bakery/post/p1',
                  is_reply: false,
                },
                { broken: true },
              ],
              paging: { cursors: { before: 'B', after: 'AFTER1' }, next: 'https://graph.threads.net/v1.0/me/threads?after=AFTER1' },
            },
          };
    server.routes['GET /v1.0/:id/replies'] = (_request, params) => ({
      json: {
        data:
          params.id === 'p1'
            ? [
                {
                  id: 'r1',
                  text: '何時までですか？',
                  username: 'Hanako.t',
                  timestamp: '2026-12-04T11:00:00+0000',
                  permalink: 'https://www.threads.net/@hanako.t/post/r1',
                  is_reply: true,
                  replied_to: { id: 'p1' },
                  root_post: { id: 'p1' },
                },
              ]
            : [{ id: 'r2', text: 'おいしかった', username: 'taro', timestamp: '2026-12-05T00:00:00+0000', replied_to: { id: 'p2' } }],
      },
    });
    const posts = value(await connect().readStream({ kind: 'user_posts', limit: 10 }));
    expect(posts.olderCursor).toBe('AFTER1');
    expect(posts.items).toHaveLength(1);
    expect(posts.items[0]).toMatchObject({
      network: 'threads',
      remoteId: 'p1',
      text: '営業時間のお知らせ https://acme.example',
      links: ['https://acme.example'],
      createdAt: '2026-12-04T10:00:00.000Z',
    });
    const replies = value(await connect().readStream({ kind: 'mentions' }));
    expect(replies.items.map((i) => [i.remoteId, i.replyToRemoteId, i.author.handle])).toEqual([
      ['r2', 'p2', 'taro'],
      ['r1', 'p1', 'Hanako.t'],
    ]);
    expect(replies.items[1]!.author.profileUrl).toBe('https://www.threads.net/@Hanako.t');
    expect(await connect().readStream({ kind: 'home' })).toMatchObject({ ok: false, failure: { code: 'unsupported_stream' } });
  });

  it('reads post insights, followers and the 24-hour publishing limit', async () => {
    server.routes['GET /v1.0/:id/insights'] = () => ({
      json: {
        data: ['views', 'likes', 'replies', 'reposts', 'quotes'].map((name, i) => ({
          name,
          period: 'lifetime',
          values: [{ value: [1200, 40, 7, 3, 1][i] }],
          title: name,
          id: `p1/insights/${name}/lifetime`,
        })),
      },
    });
    server.routes['GET /v1.0/me/threads_insights'] = () => ({
      json: { data: [{ name: 'followers_count', period: 'day', title: 'followers_count', total_value: { value: 3456 }, id: 'x' }] },
    });
    server.routes['GET /v1.0/me/threads_publishing_limit'] = () => ({
      json: { data: [{ quota_usage: 4, config: { quota_total: 250, quota_duration: 86400 } }] },
    });
    const connector = connect();
    expect(value(await connector.postMetrics({ remoteId: 'p1' }))).toEqual({ views: 1200, likes: 40, replies: 7, reposts: 3, quotes: 1 });
    expect(server.sent('GET /v1.0/:id/insights')[0]!.query.get('metric')).toBe('views,likes,replies,reposts,quotes');
    expect(value(await connector.accountMetrics())).toEqual({ followers: 3456, following: null, posts: null });
    expect(value(await connector.quota!())).toEqual({ unit: 'posts', period: 'day', limit: 250, used: 4 });
  });

  it('turns Graph errors into the failure kinds the publisher acts on', async () => {
    const cases: [number, unknown, Record<string, string>, unknown][] = [
      [
        400,
        { error: { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190, fbtrace_id: 'A' } },
        {},
        { kind: 'auth' },
      ],
      [
        400,
        { error: { message: 'The parameter text is too long', type: 'THApiException', code: 100, error_subcode: 4279009 } },
        {},
        { kind: 'permanent', code: 'rejected' },
      ],
      [
        403,
        { error: { message: 'Application does not have permission for this action', type: 'OAuthException', code: 10 } },
        {},
        { kind: 'permanent', code: 'permission_missing' },
      ],
      [500, { error: { message: 'An unknown error has occurred.', type: 'OAuthException', code: 1 } }, {}, { kind: 'transient' }],
    ];
    for (const [status, json, headers, failure] of cases) {
      server.routes['POST /v1.0/me/threads'] = () => ({ status, json, headers });
      expect(await connect().publish({ idempotencyKey: 'e', text: 'hello', attempt: 1 })).toMatchObject({ ok: false, failure });
    }
  });

  it('backs off for the time the usage header names after a throttled answer, without calling again', async () => {
    const usage = JSON.stringify({
      '17841400000000001': [{ type: 'threads', call_count: 100, total_cputime: 20, total_time: 30, estimated_time_to_regain_access: 17 }],
    });
    server.routes['GET /v1.0/me/threads_insights'] = () => ({
      status: 400,
      json: { error: { message: 'Application request limit reached', type: 'OAuthException', code: 4 } },
      headers: { 'x-business-use-case-usage': usage },
    });
    const connector = connect();
    expect(await connector.accountMetrics()).toMatchObject({ ok: false, failure: { kind: 'rate_limited', retryAfterMs: 17 * 60_000 } });
    expect(await connector.accountMetrics()).toMatchObject({ ok: false, failure: { kind: 'rate_limited' } });
    expect(server.sent('GET /v1.0/me/threads_insights')).toHaveLength(1);
    server.routes['GET /v1.0/me'] = () => ({ status: 429, json: { error: { message: 'Too many calls', code: 17 } } });
    expect(await connect().verify()).toMatchObject({ ok: false, failure: { kind: 'rate_limited', retryAfterMs: 60 * 60_000 } });
  });

  it('answers a malformed reply as transient, never a crash', async () => {
    server.routes['GET /v1.0/me'] = () => ({ json: { id: 42 } });
    expect(await connect().verify()).toMatchObject({ ok: false, failure: { kind: 'transient' } });
  });
});

describeEachStore('Threads image posts', (current) => {
  /** PNG's signature, then bytes that are not UTF-8: only a byte-exact copy compares equal. */
  const PNG = {
    data: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Array.from({ length: 300 }, (_, i) => (i * 53) % 256)]),
    mimeType: 'image/png',
    alt: '焼きたてのメロンパン',
  };
  let chorus: ChorusMediaHost;
  let fetched: Awaited<ReturnType<typeof fetchImage>>[];
  let containerStatus: string;

  beforeEach(async () => {
    fetched = [];
    containerStatus = 'FINISHED';
    chorus = await startChorusMediaHost(current().store);
    publishing();
    const makeContainer = server.routes['POST /v1.0/me/threads']!;
    server.routes['POST /v1.0/me/threads'] = async (request, params) => {
      const address = request.query.get('image_url');
      if (address) fetched.push(await fetchImage(address));
      return makeContainer(request, params);
    };
    const readPost = server.routes['GET /v1.0/:id']!;
    server.routes['GET /v1.0/:id'] = (request, params) =>
      request.query.get('fields') === 'status,error_message' ? { json: { id: params.id, status: containerStatus } } : readPost(request, params);
  });
  afterEach(() => chorus.close());

  it('makes an IMAGE container with the address Chorus serves the image at, checks it is ready, then publishes it', async () => {
    const published = value(await connect({}, NOW, chorus.images).publish({ idempotencyKey: 'i1', text: '本日のパン', images: [PNG], attempt: 1 }));
    expect(published).toMatchObject({ remoteId: 'media-of-container-1', alreadyExisted: false });
    const container = server.sent('POST /v1.0/me/threads')[0]!.query;
    expect(Object.fromEntries(['media_type', 'text', 'alt_text'].map((k) => [k, container.get(k)]))).toEqual({
      media_type: 'IMAGE',
      text: '本日のパン',
      alt_text: '焼きたてのメロンパン',
    });
    expect(container.get('image_url')).toMatch(new RegExp(`^${chorus.url}/m/[A-Za-z0-9_-]{43}$`));
    expect(container.has('link_attachment')).toBe(false);
    expect(fetched).toEqual([{ status: 200, contentType: 'image/png', bytes: PNG.data }]);
    expect(server.sent('GET /v1.0/container-1').map((r) => r.query.get('fields'))).toEqual(['status,error_message']);
    expect(server.sent('POST /v1.0/me/threads_publish')[0]!.query.get('creation_id')).toBe('container-1');
  });

  it('publishes several images as a carousel: an IMAGE item container per image with its alt text, each checked ready, then the CAROUSEL container', async () => {
    server.routes['GET /v1.0/me/replies'] = () => ({ json: { data: [] } });
    const photos = [1, 2, 3].map((n) => ({ ...PNG, data: new Uint8Array([...PNG.data, n]), alt: `メロンパン ${n}` }));
    const published = value(
      await connect({}, NOW, chorus.images).publish({
        idempotencyKey: 'c1',
        text: '3種のパン',
        images: photos,
        replyTo: { remoteId: '1790000000000042' },
        attempt: 2,
      }),
    );
    expect(published).toMatchObject({ remoteId: 'media-of-container-4', alreadyExisted: false });
    const containers = server.sent('POST /v1.0/me/threads').map((r) => Object.fromEntries(r.query));
    for (const [i, item] of containers.slice(0, 3).entries()) {
      expect(item).toMatchObject({ media_type: 'IMAGE', is_carousel_item: 'true', alt_text: `メロンパン ${i + 1}`, image_url: expect.stringMatching(/\/m\//) });
      expect(item).not.toHaveProperty('text');
      expect(item).not.toHaveProperty('reply_to_id');
    }
    expect(containers[3]).toMatchObject({
      media_type: 'CAROUSEL',
      children: 'container-1,container-2,container-3',
      text: '3種のパン',
      reply_to_id: '1790000000000042',
    });
    expect(containers[3]).not.toHaveProperty('image_url');
    expect(fetched).toEqual(photos.map((p) => ({ status: 200, contentType: 'image/png', bytes: p.data })));
    for (const id of ['container-1', 'container-2', 'container-3', 'container-4'])
      expect(server.sent(`GET /v1.0/${id}`).map((r) => r.query.get('fields'))).toEqual(['status,error_message']);
    expect(server.sent('POST /v1.0/me/threads_publish').map((r) => r.query.get('creation_id'))).toEqual(['container-4']);
    // attempt 2 looked for an earlier copy among the replies first.
    expect(server.sent('GET /v1.0/me/replies')).toHaveLength(1);
  });

  it('publishes nothing while Threads still processes the image (a retry comes later), nor an image Threads could not take', async () => {
    containerStatus = 'IN_PROGRESS';
    expect(await connect({}, NOW, chorus.images).publish({ idempotencyKey: 'i2', text: '', images: [PNG], attempt: 1 })).toMatchObject({
      ok: false,
      failure: { kind: 'transient' },
    });
    containerStatus = 'ERROR';
    expect(await connect({}, NOW, chorus.images).publish({ idempotencyKey: 'i3', text: '', images: [PNG], attempt: 1 })).toMatchObject({
      ok: false,
      failure: { kind: 'permanent', code: 'media_refused' },
    });
    expect(server.sent('POST /v1.0/me/threads_publish')).toHaveLength(0);
    // No text: the parameter is left out, not sent empty.
    expect(server.sent('POST /v1.0/me/threads')[0]!.query.has('text')).toBe(false);
    // The same image keeps one address.
    expect(new Set(server.sent('POST /v1.0/me/threads').map((r) => r.query.get('image_url'))).size).toBe(1);
  });
});

describe('Threads rules', () => {
  it('reads usernames and profile addresses, refuses others', () => {
    expect(threadsRules.parseIdentity('@Acme_Bakery')).toEqual({ ok: true, handle: 'acme_bakery', profileUrl: 'https://www.threads.net/@acme_bakery' });
    expect(threadsRules.parseIdentity('https://www.threads.com/@hanako.t')).toEqual({
      ok: true,
      handle: 'hanako.t',
      profileUrl: 'https://www.threads.net/@hanako.t',
    });
    expect(threadsRules.parseIdentity('https://www.threads.net/hanako')).toMatchObject({ ok: false });
    expect(threadsRules.parseIdentity('not a name!')).toMatchObject({ ok: false });
    expect(threadsRules.recognizesIdentity('https://threads.net/@a')).toBe(true);
    expect(threadsRules.recognizesIdentity('https://x.com/a')).toBe(false);
  });
});

describe('Threads OAuth code flow', () => {
  const app = () => ({ appId: '990001', appSecret: 'app-secret', apiBase: server.url });

  it('sends the user to threads.net with the scopes and a fresh state', () => {
    const first = threadsAuthorizeUrl(app(), 'https://chorus.example/api/channels/oauth/callback');
    const url = new URL(first.url);
    expect(url.origin + url.pathname).toBe('https://threads.net/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: '990001',
      redirect_uri: 'https://chorus.example/api/channels/oauth/callback',
      scope: THREADS_SCOPES.join(','),
      response_type: 'code',
      state: first.state,
    });
    expect(threadsAuthorizeUrl(app(), 'https://a.example/cb').state).not.toBe(first.state);
  });

  it('trades the code (without its "#_") for a short-lived token, then a long-lived one', async () => {
    server.routes['POST /oauth/access_token'] = () => ({ json: { access_token: 'short', user_id: 17841400000000001 } });
    server.routes['GET /access_token'] = () => ({ json: { access_token: 'long', token_type: 'bearer', expires_in: 5_184_000 } });
    const tokens = await exchangeThreadsCode(app(), { code: 'AQBx#_', redirectUri: 'https://chorus.example/cb' }, globalThis.fetch, NOW);
    // user_id is a JSON number too long for a double: not used (the id comes from GET /me).
    expect(tokens).toEqual({ accessToken: 'long', expiresAt: new Date(NOW.getTime() + 5_184_000_000).toISOString() });
    expect(Object.fromEntries(server.sent('POST /oauth/access_token')[0]!.form!)).toEqual({
      client_id: '990001',
      client_secret: 'app-secret',
      grant_type: 'authorization_code',
      redirect_uri: 'https://chorus.example/cb',
      code: 'AQBx',
    });
    expect(Object.fromEntries(server.sent('GET /access_token')[0]!.query)).toEqual({
      grant_type: 'th_exchange_token',
      client_secret: 'app-secret',
      access_token: 'short',
    });
    server.routes['POST /oauth/access_token'] = () => ({
      status: 400,
      json: { error: { message: 'Error validating verification code', type: 'OAuthException', code: 100 } },
    });
    await expect(exchangeThreadsCode(app(), { code: 'used', redirectUri: 'https://chorus.example/cb' }, globalThis.fetch, NOW)).rejects.toBeInstanceOf(
      ThreadsTokenRejected,
    );
  });
});
