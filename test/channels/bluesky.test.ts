/**
 * The Bluesky connector against a real local network (PLC, PDS and AppView from the official
 * @atproto/dev-env): what the server stores and returns, not what we think it does.
 */
import { AtpAgent } from '@atproto/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelConnector, ConnectorResult, NormalizedItem, StreamPage } from '../../src/channels/connector.js';
import { createBlueskyConnector } from '../../src/channels/bluesky/connector.js';
import type { BlueskyCredentials } from '../../src/channels/bluesky/credentials.js';
import { expiredAccessToken, startBlueskyNetwork, type BlueskyTestNetwork, type TestAccount } from '../support/bluesky-network.js';

// A 1×1 transparent PNG.
const PIXEL_PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'));

let network: BlueskyTestNetwork;
let alice: TestAccount;
let bob: TestAccount;
let reader: AtpAgent;

beforeAll(async () => {
  network = await startBlueskyNetwork();
  console.info(`Bluesky dev network (PLC + PDS + AppView) started in ${Math.round(network.startedInMs)} ms`);
  alice = await network.createAccount('alice');
  bob = await network.createAccount('bob');
  reader = new AtpAgent({ service: network.pdsUrl });
});

afterAll(async () => {
  await network?.close();
});

function connect(account: TestAccount, overrides: Partial<BlueskyCredentials> = {}) {
  const saved: BlueskyCredentials[] = [];
  const connector = createBlueskyConnector(
    { service: network.pdsUrl, identifier: account.handle, appPassword: account.password, ...overrides },
    { fetch: globalThis.fetch, now: () => new Date(), saveCredentials: async (credentials) => void saved.push(credentials as BlueskyCredentials) },
  );
  return { connector, saved };
}

function value<T>(result: ConnectorResult<T>): T {
  if (!result.ok) throw new Error(`connector failed: ${JSON.stringify(result.failure)}`);
  return result.value;
}

async function storedPost(uri: string) {
  const [, , repo, collection, rkey] = uri.split('/');
  return (await reader.com.atproto.repo.getRecord({ repo: repo!, collection: collection!, rkey: rkey! })).data.value as any;
}

async function postCount(did: string): Promise<number> {
  const records = await reader.com.atproto.repo.listRecords({ repo: did, collection: 'app.bsky.feed.post', limit: 100 });
  return records.data.records.length;
}

async function readAll(connector: ChannelConnector, kind: 'user_posts' | 'mentions', limit: number): Promise<{ items: NormalizedItem[]; pages: number }> {
  const items: NormalizedItem[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: StreamPage = value(await connector.readStream({ kind, cursor, limit }));
    items.push(...page.items);
    cursor = page.olderCursor;
    pages++;
  } while (cursor && pages < 20);
  return { items, pages };
}

describe('Bluesky connector on a real local network', () => {
  it('verifies the app password, returns the profile and persists the session', async () => {
    const { connector, saved } = connect(alice);
    const profile = value(await connector.verify());
    expect(profile).toMatchObject({ remoteId: alice.did, handle: 'alice.test', profileUrl: 'https://bsky.app/profile/alice.test' });
    expect(saved).toHaveLength(1);
    expect(saved[0]!.session).toMatchObject({ did: alice.did, handle: 'alice.test' });
    expect(saved[0]!.appPassword).toBe(alice.password);
    expect(await connector.health()).toEqual({ status: 'ok' });
  });

  it('publishes links, mentions and hashtags as facets with UTF-8 byte ranges', async () => {
    const { connector } = connect(alice);
    const text = '新作 🎉 Read https://example.com/launch with @bob.test and @nobody.test #launch';
    const post = value(await connector.publish({ idempotencyKey: 'facets-1', text, languages: ['ja'] }));
    expect(post.alreadyExisted).toBe(false);
    const record = await storedPost(post.remoteId);
    expect(record.text).toBe(text);
    expect(record.langs).toEqual(['ja']);
    const byteRange = (part: string) => {
      const start = Buffer.byteLength(text.slice(0, text.indexOf(part)));
      return { byteStart: start, byteEnd: start + Buffer.byteLength(part) };
    };
    expect(record.facets).toMatchObject([
      { index: byteRange('https://example.com/launch'), features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://example.com/launch' }] },
      { index: byteRange('@bob.test'), features: [{ $type: 'app.bsky.richtext.facet#mention', did: bob.did }] },
      { index: byteRange('#launch'), features: [{ $type: 'app.bsky.richtext.facet#tag', tag: 'launch' }] },
    ]);
  });

  it('uploads images as blobs with their alt text', async () => {
    const { connector } = connect(alice);
    const post = value(
      await connector.publish({
        idempotencyKey: 'image-1',
        text: 'Our new shop front',
        images: [{ data: PIXEL_PNG, mimeType: 'image/png', alt: 'A red door under a striped awning' }],
      }),
    );
    const record = await storedPost(post.remoteId);
    expect(record.embed.$type).toBe('app.bsky.embed.images');
    expect(record.embed.images).toHaveLength(1);
    expect(record.embed.images[0].alt).toBe('A red door under a striped awning');
    const cid = record.embed.images[0].image.ref.toString();
    const blob = await reader.com.atproto.sync.getBlob({ did: alice.did, cid });
    expect(Buffer.from(blob.data)).toEqual(Buffer.from(PIXEL_PNG));
  });

  it('replies with root and parent refs, and quotes with and without media', async () => {
    const a = connect(alice).connector;
    const b = connect(bob).connector;
    const root = value(await a.publish({ idempotencyKey: 'thread-root', text: 'Opening hours change on Monday' }));
    const reply = value(await b.publish({ idempotencyKey: 'thread-reply', text: 'Until when?', replyTo: { remoteId: root.remoteId } }));
    const answer = value(await a.publish({ idempotencyKey: 'thread-answer', text: 'Until 20:00', replyTo: { remoteId: reply.remoteId, cid: reply.cid } }));
    expect((await storedPost(reply.remoteId)).reply).toEqual({ root: { uri: root.remoteId, cid: root.cid }, parent: { uri: root.remoteId, cid: root.cid } });
    expect((await storedPost(answer.remoteId)).reply).toEqual({ root: { uri: root.remoteId, cid: root.cid }, parent: { uri: reply.remoteId, cid: reply.cid } });

    const quote = value(await b.publish({ idempotencyKey: 'quote-1', text: 'Good to know', quote: { remoteId: root.remoteId } }));
    expect((await storedPost(quote.remoteId)).embed).toEqual({ $type: 'app.bsky.embed.record', record: { uri: root.remoteId, cid: root.cid } });
    const withMedia = value(
      await b.publish({
        idempotencyKey: 'quote-2',
        text: 'See you there',
        quote: { remoteId: root.remoteId, cid: root.cid },
        images: [{ data: PIXEL_PNG, mimeType: 'image/png', alt: 'a map' }],
      }),
    );
    const embed = (await storedPost(withMedia.remoteId)).embed;
    expect(embed.$type).toBe('app.bsky.embed.recordWithMedia');
    expect(embed.record.record).toEqual({ uri: root.remoteId, cid: root.cid });
    expect(embed.media.images[0].alt).toBe('a map');

    const missing = await b.publish({
      idempotencyKey: 'reply-to-nothing',
      text: 'hello?',
      replyTo: { remoteId: `at://${alice.did}/app.bsky.feed.post/2222222222222` },
    });
    expect(missing).toEqual({ ok: false, failure: expect.objectContaining({ kind: 'permanent', code: 'post_not_found' }) });
  });

  it('publishes once per idempotency key, across retries and concurrent attempts', async () => {
    const before = await postCount(alice.did);
    const first = value(await connect(alice).connector.publish({ idempotencyKey: 'once-1', text: 'Exactly once' }));
    // A retry after a crash comes from a fresh connector, with a new createdAt.
    const retry = value(await connect(alice).connector.publish({ idempotencyKey: 'once-1', text: 'Exactly once' }));
    expect(retry).toEqual({ ...first, alreadyExisted: true });
    const racing = await Promise.all([1, 2, 3].map(() => connect(alice).connector.publish({ idempotencyKey: 'once-2', text: 'Raced' })));
    const raced = racing.map(value);
    expect(new Set(raced.map((post) => post.remoteId)).size).toBe(1);
    expect(raced.filter((post) => !post.alreadyExisted)).toHaveLength(1);
    expect(await postCount(alice.did)).toBe(before + 2);
  });

  it('refuses text over 300 graphemes without calling the network', async () => {
    const { connector } = connect(alice);
    expect(connector.measureText('👨‍👩‍👧‍👦'.repeat(300))).toMatchObject({ length: 300, limit: 300, fits: true });
    const result = await connector.publish({ idempotencyKey: 'too-long', text: 'a'.repeat(301) });
    expect(result).toEqual({ ok: false, failure: expect.objectContaining({ kind: 'permanent', code: 'text_too_long' }) });
  });

  it("shows B's mention, reply and quote in A's mentions stream, and pages with cursors", async () => {
    const a = connect(alice).connector;
    const b = connect(bob).connector;
    const mention = value(await b.publish({ idempotencyKey: 'mention-a', text: 'Hey @alice.test, is the shop open today?' }));
    await network.processAll();
    const first = value(await a.readStream({ kind: 'mentions', limit: 50 }));
    const item = first.items.find((entry) => entry.remoteId === mention.remoteId);
    expect(item).toMatchObject({
      network: 'bluesky',
      text: 'Hey @alice.test, is the shop open today?',
      author: { remoteId: bob.did, handle: 'bob.test' },
      replyToRemoteId: null,
    });
    // The local PDS is not on the main network, so bsky.app cannot show its posts: they open by at-uri.
    expect(mention.url).toBe(mention.remoteId);
    expect(first.items.every((entry) => entry.url === entry.remoteId)).toBe(true);
    // Earlier tests left B's reply and quotes of A's posts: everything here addresses Alice.
    expect(first.items.every((entry) => entry.author.remoteId === bob.did)).toBe(true);
    expect(first.items.some((entry) => entry.replyToRemoteId !== null)).toBe(true);
    expect(first.items.some((entry) => entry.quoteOfRemoteId !== null)).toBe(true);

    const paged = await readAll(a, 'mentions', 2);
    expect(paged.pages).toBeGreaterThan(1);
    expect(paged.items.map((entry) => entry.remoteId)).toEqual(first.items.map((entry) => entry.remoteId));
  });

  it("pages through a user's posts, the home timeline and search", async () => {
    const a = connect(alice).connector;
    const own = await readAll(a, 'user_posts', 3);
    expect(own.pages).toBeGreaterThan(2);
    expect(new Set(own.items.map((entry) => entry.remoteId)).size).toBe(own.items.length);
    expect(own.items.length).toBe(await postCount(alice.did));
    const withImage = own.items.find((entry) => entry.text === 'Our new shop front');
    expect(withImage?.media).toEqual([{ url: expect.stringContaining(alice.did), alt: 'A red door under a striped awning' }]);
    const withLink = own.items.find((entry) => entry.text.startsWith('新作'));
    expect(withLink).toMatchObject({ links: ['https://example.com/launch'], language: 'ja' });

    const follower = new AtpAgent({ service: network.pdsUrl });
    await follower.login({ identifier: alice.handle, password: alice.password });
    await follower.follow(bob.did);
    await network.processAll();
    const home = value(await a.readStream({ kind: 'home', limit: 100 }));
    expect(home.items.some((entry) => entry.author.remoteId === bob.did)).toBe(true);

    const shop = value(await a.readStream({ kind: 'search', target: 'shop', limit: 25 }));
    expect(shop.items.map((entry) => entry.text)).toContain('Our new shop front');
    expect(await a.readStream({ kind: 'list' })).toEqual({ ok: false, failure: expect.objectContaining({ kind: 'permanent', code: 'stream_target_missing' }) });
  });

  it('likes, reposts and deletes; metrics and follower counts follow', async () => {
    const a = connect(alice).connector;
    const b = connect(bob).connector;
    const post = value(await a.publish({ idempotencyKey: 'metrics-1', text: 'Like me' }));
    await network.processAll();
    expect(value(await a.postMetrics(post))).toEqual({ likes: 0, reposts: 0, replies: 0, quotes: 0, views: null });
    value(await b.like({ remoteId: post.remoteId }));
    value(await b.repost(post));
    value(await b.publish({ idempotencyKey: 'metrics-reply', text: 'Done', replyTo: post }));
    await network.processAll();
    expect(value(await a.postMetrics(post))).toEqual({ likes: 1, reposts: 1, replies: 1, quotes: 0, views: null });

    expect(value(await b.accountMetrics()).followers).toBe(1);
    expect(value(await a.accountMetrics())).toMatchObject({ followers: 0, following: 1 });

    value(await a.deletePost(post));
    await expect(storedPost(post.remoteId)).rejects.toThrow();
    await network.processAll();
    expect(await a.postMetrics(post)).toEqual({ ok: false, failure: expect.objectContaining({ kind: 'permanent', code: 'post_not_found' }) });
  });
});

describe('Bluesky sessions and failures on a real local network', () => {
  it('reports a wrong app password as an auth failure and saves nothing', async () => {
    const { connector, saved } = connect(alice, { appPassword: 'not-the-password' });
    const result = await connector.verify();
    expect(result).toEqual({ ok: false, failure: expect.objectContaining({ kind: 'auth' }) });
    expect(await connector.health()).toMatchObject({ status: 'needs_reconnect' });
    expect(saved).toEqual([]);
  });

  it('refreshes an expired access token and persists the rotated session', async () => {
    const first = connect(alice);
    value(await first.connector.verify());
    const session = first.saved[0]!.session!;
    const expired = expiredAccessToken(session.accessJwt);
    const { connector, saved } = connect(alice, { appPassword: 'not-needed-for-a-refresh', session: { ...session, accessJwt: expired } });
    value(await connector.verify());
    expect(saved).toHaveLength(1);
    expect(saved[0]!.session!.refreshJwt).not.toBe(session.refreshJwt);
    expect(saved[0]!.session!.accessJwt).not.toBe(expired);
  });

  it('keeps the stored credentials when both the refresh and the app password are rejected', async () => {
    const { connector, saved } = connect(alice, {
      appPassword: 'revoked-app-password',
      session: { did: alice.did, handle: alice.handle, accessJwt: 'expired-token', refreshJwt: 'revoked-refresh-token' },
    });
    expect(await connector.readStream({ kind: 'home' })).toEqual({ ok: false, failure: expect.objectContaining({ kind: 'auth' }) });
    expect(saved).toEqual([]);
  });

  it('logs in again with the app password when the stored refresh token is rejected', async () => {
    const { connector, saved } = connect(alice, {
      session: { did: alice.did, handle: alice.handle, accessJwt: 'expired-token', refreshJwt: 'revoked-refresh-token' },
    });
    value(await connector.readStream({ kind: 'home' }));
    expect(saved).toHaveLength(1);
    expect(saved[0]!.session!.refreshJwt).not.toBe('revoked-refresh-token');
  });

  it('reports a stopped PDS as a transient failure', async () => {
    const small = await startBlueskyNetwork({ appView: false });
    const carol = await small.createAccount('carol');
    let stopped = false;
    const saved: unknown[] = [];
    const credentials = { service: small.pdsUrl, identifier: carol.handle, appPassword: carol.password };
    const ctx = { fetch: globalThis.fetch, now: () => new Date(), saveCredentials: async (c: unknown) => void saved.push(c) };
    try {
      const connector = createBlueskyConnector(credentials, ctx);
      const post = value(await connector.publish({ idempotencyKey: 'before-stop', text: 'still here' }));
      expect(post.alreadyExisted).toBe(false);
      await small.close();
      stopped = true;
      const result = await connector.publish({ idempotencyKey: 'after-stop', text: 'anyone?' });
      expect(result).toEqual({ ok: false, failure: expect.objectContaining({ kind: 'transient' }) });
      expect(await connector.health()).toMatchObject({ status: 'degraded' });
    } finally {
      if (!stopped) await small.close();
    }
  });
});
