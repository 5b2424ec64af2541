import { encode } from '@atproto/lex-cbor';
import { describe, expect, it } from 'vitest';
import { addressedDids, carRecords, readJetstreamMessage, readRepoFrame } from '../../src/channels/bluesky/firehose.js';

const alice = 'did:plc:alice';
const bob = 'did:plc:bob';
const post = (extra: object) => ({ $type: 'app.bsky.feed.post', text: 'hi', createdAt: '2026-12-05T09:00:00.000Z', ...extra });

describe('Bluesky event stream parsing', () => {
  it('finds the accounts a post addresses: mentions, replies, quotes', () => {
    expect(
      addressedDids(
        post({
          facets: [
            {
              index: { byteStart: 0, byteEnd: 6 },
              features: [
                { $type: 'app.bsky.richtext.facet#mention', did: alice },
                { $type: 'app.bsky.richtext.facet#link', uri: 'https://x.example' },
              ],
            },
          ],
        }),
      ),
    ).toEqual([alice]);
    expect(
      addressedDids(
        post({ reply: { parent: { uri: `at://${alice}/app.bsky.feed.post/1`, cid: 'x' }, root: { uri: `at://${bob}/app.bsky.feed.post/0`, cid: 'y' } } }),
      ).sort(),
    ).toEqual([alice, bob]);
    expect(addressedDids(post({ embed: { $type: 'app.bsky.embed.record', record: { uri: `at://${alice}/app.bsky.feed.post/1`, cid: 'x' } } }))).toEqual([
      alice,
    ]);
    expect(
      addressedDids(post({ embed: { $type: 'app.bsky.embed.recordWithMedia', record: { record: { uri: `at://${bob}/app.bsky.feed.post/1` } } } })),
    ).toEqual([bob]);
    expect(addressedDids(post({}))).toEqual([]);
    expect(addressedDids({ $type: 'app.bsky.feed.like', subject: { uri: `at://${alice}/app.bsky.feed.post/1` } })).toEqual([]);
    expect(addressedDids(post({ facets: 'nonsense', reply: 7 }))).toEqual([]);
  });

  it('reads Jetstream commits, moves the cursor on every event, and leaves out the author', () => {
    const message = (record: object, did = bob, collection = 'app.bsky.feed.post') =>
      JSON.stringify({ did, time_us: 1733390000000001, kind: 'commit', commit: { rev: 'r', operation: 'create', collection, rkey: 'k1', record, cid: 'c' } });
    const mention = post({ facets: [{ index: { byteStart: 0, byteEnd: 6 }, features: [{ $type: 'app.bsky.richtext.facet#mention', did: alice }] }] });
    expect(readJetstreamMessage(message(mention))).toEqual({
      posts: [{ uri: `at://${bob}/app.bsky.feed.post/k1`, author: bob, addressed: [alice], cursor: 1733390000000001 }],
      cursor: 1733390000000001,
    });
    expect(readJetstreamMessage(message(mention, alice))).toEqual({ posts: [], cursor: 1733390000000001 });
    expect(readJetstreamMessage(message({ subject: alice }, bob, 'app.bsky.graph.follow'))).toEqual({ posts: [], cursor: 1733390000000001 });
    expect(readJetstreamMessage(JSON.stringify({ did: bob, time_us: 5, kind: 'identity', identity: {} }))).toEqual({ posts: [], cursor: 5 });
    expect(readJetstreamMessage('not json')).toBeNull();
    expect(readJetstreamMessage('{"did":1}')).toBeNull();
  });

  it('skips frames and CAR files that do not parse instead of throwing', () => {
    expect(readRepoFrame(new Uint8Array([0xff, 0x00, 0x13]))).toBeNull();
    expect(readRepoFrame(new Uint8Array())).toBeNull();
    expect(carRecords(new Uint8Array([0x3a, 0xa2]))).toEqual([]);
    expect(carRecords(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))).toEqual([]);
  });

  it('reads an error frame, and an outdated-cursor notice, as the stream refusing the cursor', () => {
    const frame = (header: object, body: object) => new Uint8Array([...encode(header as never), ...encode(body as never)]);
    expect(readRepoFrame(frame({ op: -1 }, { error: 'FutureCursor', message: 'Cursor in the future.' }))).toEqual({
      error: 'the stream refused: {"error":"FutureCursor","message":"Cursor in the future."}',
    });
    expect(
      readRepoFrame(frame({ op: 1, t: '#info' }, { name: 'OutdatedCursor', message: 'Requested cursor exceeded limit. Possibly missing events' })),
    ).toEqual({ error: 'the stream says the cursor is outdated' });
    // Other notices neither refuse nor move the cursor.
    expect(readRepoFrame(frame({ op: 1, t: '#info' }, { name: 'Something' }))).toBeNull();
    expect(readRepoFrame(frame({ op: 1, t: '#identity' }, { seq: 42, did: 'did:plc:bob' }))).toEqual({ posts: [], cursor: 42 });
  });
});
