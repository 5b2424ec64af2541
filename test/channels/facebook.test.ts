/**
 * Contract tests for the Facebook Page connector. No Meta server can run here: a local server
 * asserts what Chorus sends and answers with the shapes the Graph API reference documents (Page
 * node, /feed and /photos publishing, /posts and comments reads, insights, error bodies with codes
 * 190 and 4/32, X-App-Usage and X-Business-Use-Case-Usage headers).
 */
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectorResult } from '../../src/channels/connector.js';
import { appSecretProof } from '../../src/channels/facebook/api.js';
import { createFacebookConnector } from '../../src/channels/facebook/connector.js';
import type { FacebookCredentials } from '../../src/channels/facebook/credentials.js';
import { isMetaSignatureValid, metaSignature } from '../../src/channels/facebook/signature.js';
import type { ChannelContext } from '../../src/channels/channel-context.js';
import type { OrgScope } from '../../src/teams/org-scope.js';
import { startContractServer, type ContractServer } from '../support/contract-server.js';
import { facebookRules } from '../../core/networks/facebook.js';

const NOW = new Date('2026-12-05T01:30:00Z');
const PAGE_ID = '104857600123456';
const TOKEN = 'EAAB'.padEnd(60, 'x');
const SECRET = 'abcdef0123456789abcdef0123456789';
const PAGE = {
  id: PAGE_ID,
  name: 'ACME ベーカリー',
  username: 'acmebakery',
  link: 'https://www.facebook.com/acmebakery',
  picture: { data: { url: 'https://scontent.xx.fbcdn.net/acme.jpg' } },
};
const V = '/v21.0';

let server: ContractServer;

beforeEach(async () => {
  server = await startContractServer({ [`GET ${V}/${PAGE_ID}`]: () => ({ json: PAGE }) });
});
afterEach(() => server.close());

function connect(extra: Partial<FacebookCredentials> = {}) {
  const context: ChannelContext = {
    fetch: globalThis.fetch,
    now: () => NOW,
    saveCredentials: async () => {},
    org: {} as OrgScope,
    channelId: null,
    publicImages: null,
  };
  return createFacebookConnector({ pageId: PAGE_ID, pageAccessToken: TOKEN, appSecret: SECRET, apiBase: server.url, ...extra }, context);
}

function value<T>(result: ConnectorResult<T>): T {
  if (!result.ok) throw new Error(`connector failed: ${JSON.stringify(result.failure)}`);
  return result.value;
}

const graphError = (code: number, message: string, subcode?: number) => ({
  error: {
    message,
    type: code === 190 ? 'OAuthException' : 'GraphMethodException',
    code,
    ...(subcode ? { error_subcode: subcode } : {}),
    fbtrace_id: 'AbCdEf',
  },
});

describe('Facebook Page connector', () => {
  it('verifies the Page token with appsecret_proof and names the Page by its username', async () => {
    expect(value(await connect().verify())).toEqual({
      remoteId: PAGE_ID,
      handle: 'acmebakery',
      displayName: 'ACME ベーカリー',
      avatarUrl: PAGE.picture.data.url,
      profileUrl: PAGE.link,
    });
    const sent = server.sent(`GET ${V}/${PAGE_ID}`)[0]!;
    expect(sent.query.get('access_token')).toBe(TOKEN);
    expect(sent.query.get('appsecret_proof')).toBe(createHmac('sha256', SECRET).update(TOKEN).digest('hex'));
    expect(appSecretProof(TOKEN, SECRET)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('publishes text with its link to /feed, and a photo with alt text to /photos', async () => {
    server.routes[`POST ${V}/${PAGE_ID}/feed`] = () => ({ json: { id: `${PAGE_ID}_111` } });
    server.routes[`POST ${V}/${PAGE_ID}/photos`] = () => ({ json: { id: '222', post_id: `${PAGE_ID}_333` } });
    const text = value(await connect().publish({ idempotencyKey: 'k1', text: '新メニュー https://acme.example/menu', attempt: 1 }));
    expect(text).toEqual({ remoteId: `${PAGE_ID}_111`, url: `https://www.facebook.com/${PAGE_ID}_111`, alreadyExisted: false });
    const form = server.sent(`POST ${V}/${PAGE_ID}/feed`)[0]!.form!;
    expect(form.get('message')).toBe('新メニュー https://acme.example/menu');
    expect(form.get('link')).toBe('https://acme.example/menu');
    expect(form.get('appsecret_proof')).toBe(appSecretProof(TOKEN, SECRET));
    const photo = value(
      await connect().publish({
        idempotencyKey: 'k2',
        text: '焼きたて',
        images: [{ data: new Uint8Array([0xff, 0xd8, 0xff]), mimeType: 'image/jpeg', alt: 'クロワッサン' }],
        attempt: 1,
      }),
    );
    expect(photo.remoteId).toBe(`${PAGE_ID}_333`);
    const body = server.sent(`POST ${V}/${PAGE_ID}/photos`)[0]!;
    expect(body.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(body.body).toContain('name="alt_text_custom"');
    expect(body.body).toContain('クロワッサン');
    expect(body.body).toContain('name="source"');
  });

  it('publishes several photos as one post: each uploaded unpublished with its alt text, then attached to a /feed post in order', async () => {
    let photos = 0;
    server.routes[`POST ${V}/${PAGE_ID}/photos`] = () => ({ json: { id: `photo-${++photos}` } });
    server.routes[`POST ${V}/${PAGE_ID}/feed`] = () => ({ json: { id: `${PAGE_ID}_444` } });
    const images = [1, 2, 3].map((n) => ({ data: new Uint8Array([0xff, 0xd8, 0xff, n]), mimeType: 'image/jpeg', alt: `パン ${n}` }));
    const post = value(await connect().publish({ idempotencyKey: 'k3', text: '今日のパン https://acme.example/menu', images, attempt: 1 }));
    expect(post).toEqual({ remoteId: `${PAGE_ID}_444`, url: `https://www.facebook.com/${PAGE_ID}_444`, alreadyExisted: false });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST ${V}/${PAGE_ID}/photos`,
      `POST ${V}/${PAGE_ID}/photos`,
      `POST ${V}/${PAGE_ID}/photos`,
      `POST ${V}/${PAGE_ID}/feed`,
    ]);
    for (const [i, upload] of server.sent(`POST ${V}/${PAGE_ID}/photos`).entries()) {
      expect(upload.body).toMatch(/name="published"\r\n\r\nfalse\r\n/);
      expect(upload.body).toContain(`name="alt_text_custom"\r\n\r\nパン ${i + 1}\r\n`);
      expect(upload.body).toContain('name="source"');
      expect(upload.body).not.toContain('name="message"');
    }
    const feed = server.sent(`POST ${V}/${PAGE_ID}/feed`)[0]!.form!;
    expect(feed.get('message')).toBe('今日のパン https://acme.example/menu');
    // The photos are the post's attachment: no link preview competes with them.
    expect(feed.has('link')).toBe(false);
    expect([0, 1, 2].map((i) => JSON.parse(feed.get(`attached_media[${i}]`)!))).toEqual([
      { media_fbid: 'photo-1' },
      { media_fbid: 'photo-2' },
      { media_fbid: 'photo-3' },
    ]);
    expect(feed.get('appsecret_proof')).toBe(appSecretProof(TOKEN, SECRET));
  });

  it('looks for the post before retrying a publish whose outcome is unknown, and finds it', async () => {
    server.routes[`GET ${V}/${PAGE_ID}/posts`] = () => ({
      json: {
        data: [{ id: `${PAGE_ID}_900`, message: '本日休業です', created_time: '2026-12-05T01:00:00+0000' }],
        paging: { cursors: { before: 'b', after: 'a' } },
      },
    });
    server.routes[`POST ${V}/${PAGE_ID}/feed`] = () => ({ json: { id: `${PAGE_ID}_901` } });
    const retried = value(await connect().publish({ idempotencyKey: 'k', text: '本日休業です', attempt: 2 }));
    expect(retried).toEqual({ remoteId: `${PAGE_ID}_900`, url: `https://www.facebook.com/${PAGE_ID}_900`, alreadyExisted: true });
    expect(server.sent(`POST ${V}/${PAGE_ID}/feed`)).toHaveLength(0);
    expect(Number(server.sent(`GET ${V}/${PAGE_ID}/posts`)[0]!.query.get('since'))).toBe(Math.floor(NOW.getTime() / 1000) - 86_400);
    // Not found: the retry posts.
    expect(value(await connect().publish({ idempotencyKey: 'k', text: '明日は営業します', attempt: 2 })).alreadyExisted).toBe(false);
    expect(server.sent(`POST ${V}/${PAGE_ID}/feed`)).toHaveLength(1);
  });

  it('replies to a comment, finds an earlier reply by the Page on retry, and likes comments', async () => {
    server.routes[`POST ${V}/:id/comments`] = () => ({ json: { id: '555_777' } });
    server.routes[`GET ${V}/:id/comments`] = () => ({
      json: { data: [{ id: '555_700', message: 'ありがとうございます', created_time: '2026-12-05T01:00:00+0000', from: { id: PAGE_ID, name: 'ACME' } }] },
    });
    server.routes[`POST ${V}/:id/likes`] = () => ({ json: { success: true } });
    const reply = value(await connect().publish({ idempotencyKey: 'r', text: 'またどうぞ', replyTo: { remoteId: '555_666' }, attempt: 1 }));
    expect(reply).toEqual({ remoteId: '555_777', url: null, alreadyExisted: false });
    expect(server.sent(`POST ${V}/555_666/comments`)[0]!.form!.get('message')).toBe('またどうぞ');
    expect(value(await connect().publish({ idempotencyKey: 'r2', text: 'ありがとうございます', replyTo: { remoteId: '555_666' }, attempt: 2 }))).toEqual({
      remoteId: '555_700',
      url: null,
      alreadyExisted: true,
    });
    expect(value(await connect().like({ remoteId: '555_666' }))).toEqual({ recordId: null });
    expect(server.sent(`POST ${V}/555_666/likes`)).toHaveLength(1);
    server.routes[`DELETE ${V}/:id/likes`] = () => ({ json: { success: true } });
    expect(value(await connect().unlike({ remoteId: '555_666' }, null))).toBeUndefined();
    expect(server.sent(`DELETE ${V}/555_666/likes`)).toHaveLength(1);
  });

  it('reads the Page posts with their counts, and comments by others as mentions (newest first)', async () => {
    server.routes[`GET ${V}/${PAGE_ID}/posts`] = () => ({
      json: {
        data: [
          {
            id: `${PAGE_ID}_1`,
            message: 'パンの日 https://acme.example',
            created_time: '2026-12-04T09:00:00+0000',
            permalink_url: 'https://www.facebook.com/acmebakery/posts/1',
            from: { id: PAGE_ID, name: 'ACME' },
            attachments: { data: [{ media_type: 'photo', description: 'パン', media: { image: { src: 'https://scontent/1.jpg', height: 1, width: 1 } } }] },
            shares: { count: 3 },
            reactions: { data: [], summary: { total_count: 12 } },
            comments: { data: [], summary: { total_count: 2 } },
          },
          { bogus: true },
        ],
        paging: { cursors: { before: 'B', after: 'AFTER1' }, next: 'https://graph.facebook.com/next' },
      },
    });
    server.routes[`GET ${V}/${PAGE_ID}/feed`] = () => ({
      json: {
        data: [
          {
            id: `${PAGE_ID}_1`,
            comments: {
              data: [
                { id: '1_10', message: '美味しそう', created_time: '2026-12-04T10:00:00+0000', from: { id: '9001', name: '山田' } },
                { id: '1_11', message: 'Thanks', created_time: '2026-12-04T11:00:00+0000', from: { id: PAGE_ID, name: 'ACME' } },
                { id: '1_12', message: '予約できますか', created_time: '2026-12-04T12:00:00+0000', parent: { id: '1_10' } },
              ],
            },
          },
        ],
        paging: { cursors: { after: 'X' } },
      },
    });
    const posts = value(await connect().readStream({ kind: 'user_posts', limit: 10 }));
    expect(posts.olderCursor).toBe('AFTER1');
    expect(posts.items).toHaveLength(1);
    expect(posts.items[0]).toMatchObject({
      remoteId: `${PAGE_ID}_1`,
      url: 'https://www.facebook.com/acmebakery/posts/1',
      links: ['https://acme.example'],
      media: [{ url: 'https://scontent/1.jpg', alt: 'パン' }],
      metrics: { likes: 12, reposts: 3, replies: 2 },
      createdAt: '2026-12-04T09:00:00.000Z',
    });
    const comments = value(await connect().readStream({ kind: 'mentions' }));
    expect(comments.olderCursor).toBeNull();
    expect(comments.items.map((i) => [i.remoteId, i.replyToRemoteId, i.author.displayName])).toEqual([
      ['1_12', '1_10', 'Facebook user'],
      ['1_10', `${PAGE_ID}_1`, '山田'],
    ]);
    expect(await connect().readStream({ kind: 'home' })).toMatchObject({ ok: false, failure: { code: 'unsupported_stream' } });
  });

  it('reads post metrics with impressions, and the Page followers', async () => {
    server.routes[`GET ${V}/${PAGE_ID}_1`] = () => ({
      json: {
        id: `${PAGE_ID}_1`,
        created_time: '2026-12-04T09:00:00+0000',
        shares: { count: 1 },
        reactions: { data: [], summary: { total_count: 5 } },
        comments: { data: [], summary: { total_count: 4 } },
      },
    });
    server.routes[`GET ${V}/${PAGE_ID}_1/insights`] = () => ({
      json: { data: [{ name: 'post_impressions', period: 'lifetime', values: [{ value: 321 }], id: 'x' }] },
    });
    expect(value(await connect().postMetrics({ remoteId: `${PAGE_ID}_1` }))).toEqual({ likes: 5, reposts: 1, replies: 4, quotes: 0, views: 321 });
    server.routes[`GET ${V}/${PAGE_ID}`] = () => ({ json: { id: PAGE_ID, followers_count: 1234, fan_count: 1200 } });
    expect(value(await connect().accountMetrics())).toEqual({ followers: 1234, following: null, posts: null });
  });

  it('turns code 190 into reconnect, codes 4 and 32 into a rate-limit wait, and refuses what Facebook would refuse', async () => {
    server.routes[`GET ${V}/${PAGE_ID}`] = () => ({ status: 400, json: graphError(190, 'Error validating access token: Session has expired', 463) });
    expect(await connect().verify()).toMatchObject({ ok: false, failure: { kind: 'auth' } });
    expect(await connect().health()).toMatchObject({ status: 'needs_reconnect' });
    server.routes[`GET ${V}/${PAGE_ID}`] = () => ({ status: 400, json: graphError(4, 'Application request limit reached') });
    expect(await connect().verify()).toMatchObject({ ok: false, failure: { kind: 'rate_limited', retryAfterMs: 3_600_000 } });
    server.routes[`GET ${V}/${PAGE_ID}`] = () => ({
      status: 400,
      json: graphError(32, 'Page request limit reached'),
      headers: {
        'x-business-use-case-usage': JSON.stringify({
          [PAGE_ID]: [{ type: 'pages', call_count: 100, total_cputime: 10, total_time: 10, estimated_time_to_regain_access: 7 }],
        }),
      },
    });
    expect(await connect().verify()).toMatchObject({ ok: false, failure: { kind: 'rate_limited', retryAfterMs: 7 * 60_000 } });
    server.routes[`GET ${V}/${PAGE_ID}`] = () => ({ status: 400, json: graphError(100, 'Unsupported get request', 33) });
    expect(await connect().verify()).toMatchObject({ ok: false, failure: { kind: 'permanent', code: 'not_found' } });
    server.routes[`GET ${V}/${PAGE_ID}`] = () => ({ status: 500, json: graphError(2, 'Service temporarily unavailable') });
    expect(await connect().verify()).toMatchObject({ ok: false, failure: { kind: 'transient' } });
    const connector = connect();
    const before = server.requests.length;
    expect(await connector.publish({ idempotencyKey: 'a', text: 'x'.repeat(63_207) })).toMatchObject({ ok: false, failure: { code: 'text_too_long' } });
    expect(await connector.publish({ idempotencyKey: 'b', text: '  ' })).toMatchObject({ ok: false, failure: { code: 'empty_text' } });
    const img = { data: new Uint8Array(1), mimeType: 'image/png', alt: '' };
    expect(await connector.publish({ idempotencyKey: 'c', text: 'hi', images: Array.from({ length: 11 }, () => img) })).toMatchObject({
      ok: false,
      failure: { code: 'too_many_images' },
    });
    expect(server.requests.length).toBe(before);
  });

  it('stops calling once X-App-Usage says the budget is spent, until the hour has passed', async () => {
    server.routes[`GET ${V}/${PAGE_ID}`] = () => ({
      json: PAGE,
      headers: { 'x-app-usage': JSON.stringify({ call_count: 96, total_cputime: 20, total_time: 30 }) },
    });
    const connector = connect();
    expect((await connector.verify()).ok).toBe(true);
    const calls = server.requests.length;
    expect(await connector.verify()).toMatchObject({ ok: false, failure: { kind: 'rate_limited' } });
    expect(server.requests.length).toBe(calls);
  });

  it('asks for a reconnect once the token has expired, without asking Facebook; before that, Facebook answers', async () => {
    expect(await connect({ tokenExpiresAt: '2026-12-01T00:00:00Z' }).health()).toEqual({
      status: 'needs_reconnect',
      reason: 'The access token expired at 2026-12-01T00:00:00Z: reconnect the channel',
    });
    expect(server.sent(`GET ${V}/${PAGE_ID}`)).toHaveLength(0);
    // Its last days are the token expiry badge's to tell (tokenExpiresAt), not a health verdict.
    expect(await connect({ tokenExpiresAt: '2026-12-08T00:00:00Z' }).health()).toEqual({ status: 'ok' });
    expect(server.sent(`GET ${V}/${PAGE_ID}`)).toHaveLength(1);
  });
});

describe('Facebook rules and webhook signatures', () => {
  it('counts up to 63 206 characters and reads Page addresses', () => {
    expect(facebookRules.measureText('あ'.repeat(63_206))).toMatchObject({ fits: true, limit: 63_206 });
    expect(facebookRules.measureText('あ'.repeat(63_207))).toMatchObject({ tooLong: true });
    expect(facebookRules.parseIdentity('https://www.facebook.com/acmebakery/')).toEqual({
      ok: true,
      handle: 'acmebakery',
      profileUrl: 'https://www.facebook.com/acmebakery',
    });
    expect(facebookRules.parseIdentity('https://www.facebook.com/profile.php?id=100012345678')).toMatchObject({ ok: true, handle: '100012345678' });
    expect(facebookRules.parseIdentity('https://example.com/acme')).toMatchObject({ ok: false });
    expect(facebookRules.recognizesIdentity('https://m.facebook.com/acme')).toBe(true);
  });

  it('accepts X-Hub-Signature-256 of the exact bytes and nothing else', () => {
    const body = Buffer.from(JSON.stringify({ object: 'page', entry: [] }));
    const header = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    expect(metaSignature(SECRET, body)).toBe(header);
    expect(isMetaSignatureValid(SECRET, body, header)).toBe(true);
    expect(isMetaSignatureValid(SECRET, Buffer.from(`${body.toString()} `), header)).toBe(false);
    expect(isMetaSignatureValid('0'.repeat(32), body, header)).toBe(false);
    expect(isMetaSignatureValid(SECRET, body, undefined)).toBe(false);
    expect(isMetaSignatureValid(SECRET, body, 'sha1=abc')).toBe(false);
  });
});
