/**
 * Contract tests for the Instagram connector against a local server answering with the Instagram
 * Graph API's documented shapes: IG User, content_publishing_limit, media container then
 * media_publish, container status_code, media and comments reads, replies, insights, errors.
 * The fake Graph server fetches the container's `image_url` from a running Chorus, as Instagram does.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { instagramRules } from '../../core/networks/instagram.js';
import type { ConnectorResult } from '../../src/channels/connector.js';
import { appSecretProof } from '../../src/channels/facebook/api.js';
import { createInstagramConnector } from '../../src/channels/instagram/connector.js';
import type { ChannelContext } from '../../src/channels/channel-context.js';
import type { PublicImageHost } from '../../src/channels/public-images.js';
import type { OrgScope } from '../../src/teams/org-scope.js';
import { fetchImage, startChorusMediaHost, type ChorusMediaHost } from '../support/chorus-media-host.js';
import { startContractServer, type ContractServer } from '../support/contract-server.js';
import { describeEachStore } from '../support/stores.js';

const NOW = new Date('2026-12-05T01:30:00Z');
const IG = '17841400000000001';
const TOKEN = 'EAAB'.padEnd(60, 'y');
const SECRET = 'abcdef0123456789abcdef0123456789';
const V = '/v21.0';
/** A JPEG's start and end markers around bytes that are not UTF-8: only a byte-exact copy compares equal. */
const JPEG = {
  data: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...Array.from({ length: 300 }, (_, i) => (i * 37) % 256), 0xff, 0xd9]),
  mimeType: 'image/jpeg',
  alt: '焼きたてのクロワッサン',
};

const value = <T>(result: ConnectorResult<T>): T => {
  if (!result.ok) throw new Error(`connector failed: ${JSON.stringify(result.failure)}`);
  return result.value;
};

describeEachStore('Instagram connector', (current) => {
  let server: ContractServer;
  let chorus: ChorusMediaHost;
  /** What the fake Graph server got when it fetched each container's image_url. */
  let fetched: Awaited<ReturnType<typeof fetchImage>>[];

  beforeEach(async () => {
    fetched = [];
    chorus = await startChorusMediaHost(current().store);
    server = await startContractServer({
      [`GET ${V}/${IG}`]: () => ({ json: { id: IG, username: 'acme.bakery', name: 'ACME ベーカリー', profile_picture_url: 'https://cdn/p.jpg' } }),
      [`GET ${V}/${IG}/content_publishing_limit`]: () => ({ json: { data: [{ quota_usage: 3, config: { quota_total: 50, quota_duration: 86400 } }] } }),
      [`POST ${V}/${IG}/media`]: async (request) => {
        fetched.push(await fetchImage(request.form!.get('image_url')!));
        return { json: { id: 'container-1' } };
      },
      [`GET ${V}/container-1`]: () => ({ json: { status_code: 'FINISHED', id: 'container-1' } }),
      [`POST ${V}/${IG}/media_publish`]: () => ({ json: { id: '17900000000000001' } }),
      [`GET ${V}/${IG}/media`]: () => ({ json: { data: [], paging: {} } }),
    });
  });
  afterEach(async () => {
    await server.close();
    await chorus.close();
  });

  const connect = (publicImages: PublicImageHost | null = chorus.images) => {
    const context: ChannelContext = {
      fetch: globalThis.fetch,
      now: () => NOW,
      saveCredentials: async () => {},
      org: {} as OrgScope,
      channelId: null,
      publicImages,
    };
    return createInstagramConnector({ igUserId: IG, accessToken: TOKEN, appSecret: SECRET, apiBase: server.url }, context);
  };

  it('verifies the account', async () => {
    expect(value(await connect().verify())).toEqual({
      remoteId: IG,
      handle: 'acme.bakery',
      displayName: 'ACME ベーカリー',
      avatarUrl: 'https://cdn/p.jpg',
      profileUrl: 'https://www.instagram.com/acme.bakery',
    });
    expect(server.requests[0]!.query.get('appsecret_proof')).toBe(appSecretProof(TOKEN, SECRET));
  });

  it('checks the 24-hour limit, makes a container with the image address Chorus serves, caption and alt text, then publishes it', async () => {
    const post = value(await connect().publish({ idempotencyKey: 'k', text: '本日のパン #パン', images: [JPEG], attempt: 1 }));
    expect(post).toEqual({ remoteId: '17900000000000001', url: null, alreadyExisted: false });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET ${V}/${IG}/content_publishing_limit`,
      `POST ${V}/${IG}/media`,
      `GET ${V}/container-1`,
      `POST ${V}/${IG}/media_publish`,
    ]);
    const container = server.sent(`POST ${V}/${IG}/media`)[0]!.form!;
    expect(Object.fromEntries(['image_url', 'caption', 'alt_text'].map((k) => [k, container.get(k)]))).toEqual({
      image_url: expect.stringMatching(new RegExp(`^${chorus.url}/m/[A-Za-z0-9_-]{43}$`)),
      caption: '本日のパン #パン',
      alt_text: '焼きたてのクロワッサン',
    });
    expect(fetched).toEqual([{ status: 200, contentType: 'image/jpeg', bytes: JPEG.data }]);
    expect(server.sent(`POST ${V}/${IG}/media_publish`)[0]!.form!.get('creation_id')).toBe('container-1');
  });

  it('publishes several images as a carousel: an item container per image with its alt text, then the carousel container with the caption', async () => {
    let containers = 0;
    const states: Record<string, string> = {};
    server.routes[`POST ${V}/${IG}/media`] = async (request) => {
      const address = request.form!.get('image_url');
      if (address) fetched.push(await fetchImage(address));
      return { json: { id: `container-${++containers}` } };
    };
    server.routes[`GET ${V}/:id`] = (_request, params) => ({ json: { id: params.id, status_code: states[params.id!] ?? 'FINISHED' } });
    const photos = [1, 2, 3].map((n) => ({ data: new Uint8Array([...JPEG.data.slice(0, -2), n, 0xff, 0xd9]), mimeType: 'image/jpeg', alt: `パン ${n}` }));
    const post = value(await connect().publish({ idempotencyKey: 'k', text: '今週のパン3種 #パン', images: photos, attempt: 1 }));
    expect(post).toEqual({ remoteId: '17900000000000001', url: null, alreadyExisted: false });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET ${V}/${IG}/content_publishing_limit`,
      `POST ${V}/${IG}/media`,
      `GET ${V}/container-1`,
      `POST ${V}/${IG}/media`,
      `GET ${V}/container-2`,
      `POST ${V}/${IG}/media`,
      `GET ${V}/container-3`,
      `POST ${V}/${IG}/media`,
      `GET ${V}/container-4`,
      `POST ${V}/${IG}/media_publish`,
    ]);
    const forms = server.sent(`POST ${V}/${IG}/media`).map((r) => Object.fromEntries(r.form!));
    for (const [i, form] of forms.slice(0, 3).entries()) {
      expect(form).toMatchObject({ is_carousel_item: 'true', alt_text: `パン ${i + 1}`, image_url: expect.stringMatching(new RegExp(`^${chorus.url}/m/`)) });
      expect(form).not.toHaveProperty('caption');
    }
    expect(forms[3]).toMatchObject({ media_type: 'CAROUSEL', children: 'container-1,container-2,container-3', caption: '今週のパン3種 #パン' });
    expect(forms[3]).not.toHaveProperty('image_url');
    // Each image is served at its own address, byte for byte, in the post's order.
    expect(new Set(forms.slice(0, 3).map((f) => f.image_url)).size).toBe(3);
    expect(fetched).toEqual(photos.map((p) => ({ status: 200, contentType: 'image/jpeg', bytes: p.data })));
    expect(server.sent(`POST ${V}/${IG}/media_publish`)[0]!.form!.get('creation_id')).toBe('container-4');

    // An item Instagram could not take: no carousel is made and nothing is published.
    server.requests.length = 0;
    states['container-6'] = 'ERROR';
    expect(await connect().publish({ idempotencyKey: 'k2', text: 'もう一度', images: photos, attempt: 1 })).toMatchObject({
      ok: false,
      failure: { kind: 'transient', message: expect.stringContaining('container-6 is ERROR') },
    });
    expect(server.sent(`POST ${V}/${IG}/media`).map((r) => r.form!.get('media_type'))).toEqual([null, null]);
    expect(server.sent(`POST ${V}/${IG}/media_publish`)).toHaveLength(0);
  });

  it('refuses a carousel Instagram would refuse before calling it: more than 10 images, or one that is not a JPEG', async () => {
    const c = connect();
    expect(await c.publish({ idempotencyKey: 'a', text: 'x', images: Array.from({ length: 11 }, () => JPEG) })).toMatchObject({
      ok: false,
      failure: { code: 'too_many_images', message: expect.stringContaining('10') },
    });
    expect(await c.publish({ idempotencyKey: 'b', text: 'x', images: [JPEG, { ...JPEG, mimeType: 'image/png' }] })).toMatchObject({
      ok: false,
      failure: { code: 'media_unsupported' },
    });
    expect(server.requests).toHaveLength(0);
  });

  it('reports the 24-hour publishing limit as a sending quota for the composer', async () => {
    expect(value(await connect().quota!())).toEqual({ unit: 'posts', period: 'day', limit: 50, used: 3 });
    expect(server.sent(`GET ${V}/${IG}/content_publishing_limit`)[0]!.query.get('fields')).toBe('config,quota_usage');
  });

  it('does not publish past the limit, and finds an earlier copy before a retry', async () => {
    server.routes[`GET ${V}/${IG}/content_publishing_limit`] = () => ({
      json: { data: [{ quota_usage: 50, config: { quota_total: 50, quota_duration: 86400 } }] },
    });
    expect(await connect().publish({ idempotencyKey: 'k', text: 'x', images: [JPEG], attempt: 1 })).toMatchObject({
      ok: false,
      failure: { kind: 'rate_limited' },
    });
    expect(server.sent(`POST ${V}/${IG}/media`)).toHaveLength(0);
    server.routes[`GET ${V}/${IG}/media`] = () => ({
      json: { data: [{ id: '179_old', caption: 'x', timestamp: '2026-12-05T01:00:00+0000', permalink: 'https://www.instagram.com/p/abc/' }] },
    });
    expect(value(await connect().publish({ idempotencyKey: 'k', text: 'x', images: [JPEG], attempt: 2 }))).toEqual({
      remoteId: '179_old',
      url: 'https://www.instagram.com/p/abc/',
      alreadyExisted: true,
    });
  });

  it('refuses what Instagram would refuse before calling it', async () => {
    const c = connect();
    expect(await c.publish({ idempotencyKey: 'a', text: 'no image' })).toMatchObject({ ok: false, failure: { code: 'image_required' } });
    expect(await c.publish({ idempotencyKey: 'b', text: 'あ'.repeat(2201), images: [JPEG] })).toMatchObject({ ok: false, failure: { code: 'text_too_long' } });
    expect(await c.publish({ idempotencyKey: 'c', text: Array.from({ length: 31 }, (_, i) => `#t${i}`).join(' '), images: [JPEG] })).toMatchObject({
      ok: false,
      failure: { code: 'text_refused' },
    });
    expect(await c.publish({ idempotencyKey: 'd', text: 'png', images: [{ ...JPEG, mimeType: 'image/png' }] })).toMatchObject({
      ok: false,
      failure: { code: 'media_unsupported' },
    });
    expect(await connect(null).publish({ idempotencyKey: 'e', text: 'x', images: [JPEG] })).toMatchObject({
      ok: false,
      failure: { code: 'media_host_missing', message: expect.stringContaining('set CHORUS_PUBLIC_URL') },
    });
    expect(server.requests).toHaveLength(0);
    expect(instagramRules.measureText('#a '.repeat(30), { mediaCount: 1 }).fits).toBe(true);
  });

  it('reads comments as mentions, replies once, and maps code 190 to reconnect', async () => {
    server.routes[`GET ${V}/${IG}/media`] = () => ({
      json: {
        data: [
          {
            id: 'm1',
            comments: {
              data: [
                { id: 'c1', text: 'かわいい', timestamp: '2026-12-04T10:00:00+0000', username: 'hanako', from: { id: '555', username: 'hanako' } },
                { id: 'c2', text: 'thanks', timestamp: '2026-12-04T11:00:00+0000', from: { id: IG, username: 'acme.bakery' } },
              ],
            },
          },
        ],
      },
    });
    const page = value(await connect().readStream({ kind: 'mentions' }));
    expect(page.items.map((i) => [i.remoteId, i.author.handle, i.replyToRemoteId])).toEqual([['c1', 'hanako', 'm1']]);
    server.routes[`POST ${V}/c1/replies`] = () => ({ json: { id: 'r1' } });
    expect(value(await connect().publish({ idempotencyKey: 'r', text: 'ありがとう', replyTo: { remoteId: 'c1' }, attempt: 1 }))).toEqual({
      remoteId: 'r1',
      url: null,
      alreadyExisted: false,
    });
    server.routes[`GET ${V}/${IG}`] = () => ({
      status: 400,
      json: { error: { message: 'Error validating access token', type: 'OAuthException', code: 190, fbtrace_id: 'x' } },
    });
    expect(await connect().health()).toMatchObject({ status: 'needs_reconnect' });
  });

  it('reads post and account insights', async () => {
    server.routes[`GET ${V}/179`] = () => ({ json: { id: '179', timestamp: '2026-12-04T10:00:00+0000', like_count: 8, comments_count: 2 } });
    server.routes[`GET ${V}/179/insights`] = () => ({
      json: {
        data: [
          { name: 'views', period: 'lifetime', values: [{ value: 420 }] },
          { name: 'shares', period: 'lifetime', values: [{ value: 1 }] },
        ],
      },
    });
    expect(value(await connect().postMetrics({ remoteId: '179' }))).toEqual({ likes: 8, reposts: 1, replies: 2, quotes: 0, views: 420 });
    server.routes[`GET ${V}/${IG}`] = () => ({ json: { id: IG, followers_count: 900, follows_count: 12, media_count: 40 } });
    expect(value(await connect().accountMetrics())).toEqual({ followers: 900, following: 12, posts: 40 });
  });
});
