/**
 * Contract tests for the LINE connector. No LINE server can run here: a local server asserts
 * what Chorus sends and answers with the shapes the Messaging API reference documents (bot info,
 * push and broadcast with X-Line-Retry-Key, quota, insight followers, profile, error bodies).
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectorResult } from '../../src/channels/connector.js';
import { createLineConnector, retryKeyFor } from '../../src/channels/line/connector.js';
import { isLineSignatureValid, lineSignature } from '../../src/channels/line/signature.js';
import type { ChannelContext } from '../../src/channels/channel-context.js';
import type { PublicImageHost } from '../../src/channels/public-images.js';
import type { OrgScope } from '../../src/teams/org-scope.js';
import { startContractServer, type ContractServer, type Reply } from '../support/contract-server.js';

const NOW = new Date('2026-12-05T01:30:00Z'); // 10:30 in Tokyo
const SECRET = '0123456789abcdef0123456789abcdef';
const BOT = {
  userId: 'Ub0000000000000000000000000000001',
  basicId: '@123abcde',
  displayName: 'ACME ベーカリー',
  pictureUrl: 'https://profile.line-scdn.net/acme',
  chatMode: 'chat',
  markAsReadMode: 'auto',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let server: ContractServer;

/** LINE runs a request with a given retry key once; the repeat answers 409 naming the accepted request. */
function retryKeyMemory(answer: () => unknown) {
  const accepted = new Map<string, string>();
  return (request: { headers: Record<string, string | string[] | undefined> }): Reply => {
    const key = String(request.headers['x-line-retry-key'] ?? '');
    const earlier = accepted.get(key);
    if (key && earlier) return { status: 409, json: { message: 'The retry key is already accepted' }, headers: { 'x-line-accepted-request-id': earlier } };
    const requestId = `req-${accepted.size + 1}`;
    if (key) accepted.set(key, requestId);
    return { json: answer(), headers: { 'x-line-request-id': requestId } };
  };
}

beforeEach(async () => {
  server = await startContractServer({ 'GET /v2/bot/info': () => ({ json: BOT }) });
});
afterEach(() => server.close());

function connect(publicImages: PublicImageHost | null = null) {
  const context: ChannelContext = {
    fetch: globalThis.fetch,
    now: () => NOW,
    saveCredentials: async () => {},
    org: {} as OrgScope,
    channelId: null,
    publicImages,
  };
  return createLineConnector({ channelAccessToken: 'token-'.padEnd(40, 'x'), channelSecret: SECRET, apiBase: server.url }, context);
}

function value<T>(result: ConnectorResult<T>): T {
  if (!result.ok) throw new Error(`connector failed: ${JSON.stringify(result.failure)}`);
  return result.value;
}

describe('LINE connector', () => {
  it('verifies the token by reading the bot and names the account by its LINE ID', async () => {
    expect(value(await connect().verify())).toEqual({
      remoteId: BOT.userId,
      handle: '@123abcde',
      displayName: 'ACME ベーカリー',
      avatarUrl: BOT.pictureUrl,
      profileUrl: 'https://line.me/R/ti/p/%40123abcde',
    });
    expect(server.sent('GET /v2/bot/info')[0]!.headers.authorization).toBe(`Bearer ${'token-'.padEnd(40, 'x')}`);
  });

  it('broadcasts a post once: a retry with the same publish key is recognised by LINE and creates nothing', async () => {
    server.routes['POST /v2/bot/message/broadcast'] = retryKeyMemory(() => ({}));
    const first = value(await connect().publish({ idempotencyKey: 'target-1', text: '  本日のパンは売り切れました  ' }));
    const retried = value(await connect().publish({ idempotencyKey: 'target-1', text: '本日のパンは売り切れました', attempt: 2 }));
    expect(first).toEqual({ remoteId: 'req-1', url: null, alreadyExisted: false });
    expect(retried).toEqual({ remoteId: 'req-1', url: null, alreadyExisted: true });
    const sent = server.sent('POST /v2/bot/message/broadcast');
    expect(sent).toHaveLength(2);
    expect(sent[0]!.json).toEqual({ messages: [{ type: 'text', text: '本日のパンは売り切れました' }] });
    expect(sent[0]!.headers['x-line-retry-key']).toBe(retryKeyFor('target-1'));
    expect(sent[1]!.headers['x-line-retry-key']).toBe(sent[0]!.headers['x-line-retry-key']);
  });

  it('refuses what LINE would refuse before sending: nothing to send, more than 5 000 characters, images it cannot take', async () => {
    const host: PublicImageHost = { publicUrlFor: async () => 'https://chorus.example/m/key' };
    const connector = connect(host);
    const image = (mimeType: string, bytes = 100) => ({ data: new Uint8Array(bytes), mimeType, alt: 'パン' });
    const refusals: [Parameters<typeof connector.publish>[0], string][] = [
      [{ idempotencyKey: 'k1', text: '   ' }, 'empty'],
      [{ idempotencyKey: 'k2', text: 'あ'.repeat(5001) }, 'too_long'],
      [{ idempotencyKey: 'k3', text: 'hi', images: [image('image/gif')] }, 'media_unsupported'],
      [{ idempotencyKey: 'k4', text: 'hi', images: [image('image/webp')] }, 'media_unsupported'],
      [{ idempotencyKey: 'k5', text: 'hi', images: [image('image/jpeg'), image('image/png')] }, 'too_many_images'],
      // The same image is the preview, which LINE takes up to 1 MB.
      [{ idempotencyKey: 'k6', text: 'hi', images: [image('image/jpeg', 1_000_001)] }, 'image_too_large'],
    ];
    for (const [request, code] of refusals) expect(await connector.publish(request)).toMatchObject({ ok: false, failure: { kind: 'permanent', code } });
    expect(await connect(null).publish({ idempotencyKey: 'k7', text: 'hi', images: [image('image/png')] })).toMatchObject({
      ok: false,
      failure: { kind: 'permanent', code: 'media_host_missing', message: expect.stringContaining('set CHORUS_PUBLIC_URL') },
    });
    expect(connector.measureText('あ'.repeat(5000))).toMatchObject({ length: 5000, limit: 5000, fits: true });
    expect(connector.measureText('')).toMatchObject({ fits: false });
    expect(connector.measureText('', 1)).toMatchObject({ fits: true });
    expect(server.requests).toHaveLength(0);
  });

  it('turns LINE errors into the failure kinds the publisher acts on', async () => {
    const answers: Record<number, unknown> = {
      400: { message: 'The request body has 1 error(s)', details: [{ message: 'May not be empty', property: 'messages[0].text' }] },
      401: { message: 'Authentication failed. Confirm that the access token in the authorization header is valid.' },
      429: { message: 'You have reached your monthly limit.' },
      500: { message: 'Internal error' },
    };
    const kinds: Record<number, unknown> = {
      400: { kind: 'permanent', code: 'rejected', message: 'LINE answered 400: The request body has 1 error(s) (messages[0].text: May not be empty)' },
      401: { kind: 'auth' },
      429: { kind: 'rate_limited', retryAfterMs: 60_000 },
      500: { kind: 'transient' },
    };
    for (const status of [400, 401, 429, 500]) {
      server.routes['POST /v2/bot/message/broadcast'] = () => ({ status, json: answers[status] });
      expect(await connect().publish({ idempotencyKey: `k${status}`, text: 'hello' })).toMatchObject({ ok: false, failure: kinds[status] });
    }
  });

  it("reads yesterday's friend count in Japan's date, and the month's message quota", async () => {
    server.routes['GET /v2/bot/insight/followers'] = () => ({ json: { status: 'ready', followers: 1520, targetedReaches: 1400, blocks: 12 } });
    server.routes['GET /v2/bot/message/quota'] = () => ({ json: { type: 'limited', value: 1000 } });
    server.routes['GET /v2/bot/message/quota/consumption'] = () => ({ json: { totalUsage: 740 } });
    const connector = connect();
    expect(value(await connector.accountMetrics())).toEqual({ followers: 1520, following: null, posts: null });
    expect(server.sent('GET /v2/bot/insight/followers')[0]!.query.get('date')).toBe('20261204');
    expect(value(await connector.quota!())).toEqual({ unit: 'messages', period: 'month', limit: 1000, used: 740 });
    server.routes['GET /v2/bot/message/quota'] = () => ({ json: { type: 'none' } });
    expect(value(await connector.quota!())).toMatchObject({ limit: null });
    server.routes['GET /v2/bot/insight/followers'] = () => ({ json: { status: 'unready' } });
    expect(await connector.accountMetrics()).toMatchObject({ ok: false, failure: { kind: 'transient' } });
  });
});

describe('LINE retry keys and signatures', () => {
  it('derives one UUID per publish key, the same every time, and different keys never share one', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(retryKeyFor(a)).toMatch(UUID);
        expect(retryKeyFor(a)).toBe(retryKeyFor(a));
        if (a !== b) expect(retryKeyFor(a)).not.toBe(retryKeyFor(b));
      }),
    );
  });

  it('accepts the signature of the exact bytes and nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (body, at, flip) => {
        const signature = lineSignature(SECRET, body);
        expect(isLineSignatureValid(SECRET, body, signature)).toBe(true);
        const changed = Uint8Array.from(body);
        changed[at % body.length]! ^= flip;
        expect(isLineSignatureValid(SECRET, changed, signature)).toBe(false);
        expect(isLineSignatureValid('f'.repeat(32), body, signature)).toBe(false);
      }),
    );
    expect(isLineSignatureValid(SECRET, Buffer.from('{}'), undefined)).toBe(false);
    expect(isLineSignatureValid(SECRET, Buffer.from('{}'), 'not base64 at all')).toBe(false);
  });
});
