import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { openMastodonStream, readStreamingFrame, streamingBase, streamKindsOf } from '../../src/channels/mastodon/streaming.js';
import { startContractServer, type ContractServer } from '../support/contract-server.js';
import { startFakeStreaming } from '../support/fake-mastodon-streaming.js';

const frame = (event: string, payload: unknown) =>
  JSON.stringify({ stream: ['user:notification'], event, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });

describe('Mastodon streaming frames', () => {
  it('reads a notification event down to its id and type', () => {
    expect(readStreamingFrame(frame('notification', { id: '34975861', type: 'mention', status: { id: '1' } }))).toEqual({ id: '34975861', type: 'mention' });
    expect(readStreamingFrame(frame('notification', { id: '2', type: 'follow', account: {} }))).toEqual({ id: '2', type: 'follow' });
  });

  it('skips other events and damaged frames', () => {
    expect(readStreamingFrame(frame('update', { id: '1', type: 'mention' }))).toBeNull();
    expect(readStreamingFrame(frame('delete', '103270'))).toBeNull();
    expect(readStreamingFrame(JSON.stringify({ event: 'filters_changed' }))).toBeNull();
    expect(readStreamingFrame(frame('notification', '{"id":'))).toBeNull();
    expect(readStreamingFrame(frame('notification', { id: 5, type: 'mention' }))).toBeNull();
    expect(readStreamingFrame(frame('notification', { id: '', type: 'mention' }))).toBeNull();
    expect(readStreamingFrame(JSON.stringify({ event: 'notification', payload: { id: '1', type: 'mention' } }))).toBeNull();
    expect(readStreamingFrame('not json')).toBeNull();
    expect(readStreamingFrame(new ArrayBuffer(4))).toBeNull();
  });

  it('never throws, and answers a notification only for a well-formed one (fuzzed)', () => {
    const payload = fc.oneof(
      fc.string(),
      fc.json(),
      fc
        .record({ id: fc.oneof(fc.string(), fc.integer()), type: fc.oneof(fc.string(), fc.constant(null)) }, { requiredKeys: [] })
        .map((p) => JSON.stringify(p)),
    );
    const text = fc.oneof(
      fc.string(),
      fc.json(),
      fc
        .record(
          { event: fc.oneof(fc.constantFrom('notification', 'update', 'delete'), fc.string(), fc.integer()), payload: fc.oneof(payload, fc.jsonValue()) },
          { requiredKeys: [] },
        )
        .map((f) => JSON.stringify(f)),
    );
    fc.assert(
      fc.property(fc.oneof(text, fc.anything()), (data) => {
        const read = readStreamingFrame(data);
        if (read === null) return;
        // Whatever it answered came from a notification frame whose payload had these very strings.
        const parsed = JSON.parse(data as string) as { event: string; payload: string };
        expect(parsed.event).toBe('notification');
        expect(JSON.parse(parsed.payload)).toMatchObject(read);
        expect(read.id.length * read.type.length).toBeGreaterThan(0);
      }),
      { numRuns: 3000 },
    );
  });

  it('brings mentions to both streams, other posts to notifications, and reactions to none', () => {
    expect(streamKindsOf('mention')).toEqual(['mentions', 'notifications']);
    expect(streamKindsOf('status')).toEqual(['notifications']);
    expect(streamKindsOf('quote')).toEqual(['notifications']);
    expect(streamKindsOf('favourite')).toEqual([]);
    expect(streamKindsOf('follow')).toEqual([]);
  });
});

describe('where an instance streams', () => {
  let server: ContractServer;
  afterEach(async () => server?.close());

  it('takes v2 configuration.urls.streaming, then v1 urls.streaming_api, then the instance itself', async () => {
    server = await startContractServer({
      'GET /api/v2/instance': () => ({ json: { configuration: { urls: { streaming: 'wss://streaming.mastodon.example' } } } }),
    });
    expect((await streamingBase(server.url, fetch)).href).toBe('wss://streaming.mastodon.example/');
    server.routes = {
      'GET /api/v2/instance': () => ({ status: 404 }),
      'GET /api/v1/instance': () => ({ json: { urls: { streaming_api: 'https://streaming.old.example' } } }),
    };
    expect((await streamingBase(server.url, fetch)).href).toBe('wss://streaming.old.example/');
    // A v2 answer without the URL (a server that implements v2 in part) still asks v1.
    server.routes = {
      'GET /api/v2/instance': () => ({ json: { configuration: {} } }),
      'GET /api/v1/instance': () => ({ json: { urls: { streaming_api: 'wss://streaming.partial.example' } } }),
    };
    expect((await streamingBase(server.url, fetch)).href).toBe('wss://streaming.partial.example/');
    server.routes = { 'GET /api/v2/instance': () => ({ json: { configuration: { urls: { streaming: 'javascript:alert(1)' } } } }) };
    expect((await streamingBase(server.url, fetch)).href).toBe(`${server.url.replace('http:', 'ws:')}/`);
    server.routes = {};
    expect((await streamingBase(server.url, fetch)).href).toBe(`${server.url.replace('http:', 'ws:')}/`);
  });

  it('refuses a streaming host on a private address unless the operator allows private networks', async () => {
    const reason = await new Promise<string>((resolve) => {
      openMastodonStream(
        new URL('ws://127.0.0.1:9'),
        { instanceUrl: 'https://mastodon.example', accessToken: 't' },
        { allowPrivateNetwork: false },
        { onOpen: () => resolve('opened'), onNotification: () => {}, onClose: resolve },
      );
    });
    expect(reason).toMatch(/127\.0\.0\.1 is not reachable from Chorus/);
    const metadata = await new Promise<string>((resolve) => {
      openMastodonStream(
        new URL('ws://169.254.169.254'),
        { instanceUrl: 'https://mastodon.example', accessToken: 't' },
        { allowPrivateNetwork: true },
        { onOpen: () => resolve('opened'), onNotification: () => {}, onClose: resolve },
      );
    });
    expect(metadata).toMatch(/metadata/);
  });

  it('refuses a streaming host name that resolves to a private address, before any request reaches it', async () => {
    const streaming = await startFakeStreaming(['t']);
    try {
      const url = new URL(streaming.url.replace('127.0.0.1', 'localhost'));
      const outcome = await new Promise<string>((resolve) => {
        openMastodonStream(
          url,
          { instanceUrl: 'https://mastodon.example', accessToken: 't' },
          { allowPrivateNetwork: false },
          { onOpen: () => resolve('opened'), onNotification: () => {}, onClose: () => resolve('closed') },
        );
      });
      expect(outcome).toBe('closed');
      expect(streaming.upgrades).toEqual([]);
      // The same host, allowed: the upgrade arrives, with the token in the header.
      const allowed = await new Promise<string>((resolve) => {
        const connection = openMastodonStream(
          url,
          { instanceUrl: 'https://mastodon.example', accessToken: 't' },
          { allowPrivateNetwork: true },
          { onOpen: () => (connection.close(), resolve('opened')), onNotification: () => {}, onClose: () => resolve('closed') },
        );
      });
      expect(allowed).toBe('opened');
      expect(streaming.upgrades).toEqual([{ stream: 'user:notification', authorization: 'Bearer t' }]);
    } finally {
      await streaming.close();
    }
  });
});
