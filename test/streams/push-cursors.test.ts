import { expect, it } from 'vitest';
import { forgetPushCursor, readPushCursor, savePushCursor } from '../../src/streams/push-cursors.js';
import { describeEachStore } from '../support/stores.js';

describeEachStore('saved push cursors', (current) => {
  it('keeps one cursor per stream URL, past 2^31, and resumes only from one saved recently enough', async () => {
    const { db } = current().store;
    const relay = 'wss://relay.example/xrpc/com.atproto.sync.subscribeRepos';
    const jetstream = 'wss://jetstream.example/subscribe';
    expect(await readPushCursor(db, relay)).toBeNull();
    await savePushCursor(db, relay, 41, '2026-12-05T10:00:00.000Z');
    await savePushCursor(db, relay, 42, '2026-12-05T10:00:01.000Z');
    await savePushCursor(db, jetstream, 1_733_390_000_000_001, '2026-12-05T10:00:01.000Z');
    expect(await readPushCursor(db, relay)).toBe(42);
    expect(await readPushCursor(db, jetstream)).toBe(1_733_390_000_000_001);
    expect(await readPushCursor(db, relay, '2026-12-05T10:00:01.000Z')).toBe(42);
    expect(await readPushCursor(db, relay, '2026-12-05T11:00:00.000Z')).toBeNull();
    await forgetPushCursor(db, relay);
    expect(await readPushCursor(db, relay)).toBeNull();
    expect(await readPushCursor(db, jetstream)).toBe(1_733_390_000_000_001);
  });
});
