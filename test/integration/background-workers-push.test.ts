/**
 * The Bluesky push reader is loaded on use (src/app/workers.ts): its module and WebSocket client are
 * imported only when CHORUS_BLUESKY_FIREHOSE_URL is set. This checks that the workers, started the
 * way `serve` and `chorus worker` start them, still open the configured stream.
 */
import net from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import { afterEach, expect, it } from 'vitest';
import { startBackgroundWorkers } from '../../src/app/workers.js';
import { PRIVATE_NETWORK_ALLOWED } from '../support/private-network.js';
import { openTestStore, type TestStore } from '../support/stores.js';
import { until } from '../support/until.js';

const SECRET_KEY = 'background-workers-push-test-secret-0123';
const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
let test: TestStore | undefined;
let relay: net.Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => (relay ? relay.close(resolve) : resolve(null)));
  await test?.dispose();
  relay = test = undefined;
});

/** A TCP server standing in for a relay: it records the first line of every request and answers nothing. */
async function recordingRelay(): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  relay = net.createServer((socket) => {
    socket.once('data', (chunk) => requests.push(chunk.toString('latin1').split('\r\n')[0]!));
    socket.on('error', () => {});
    socket.setTimeout(5_000, () => socket.destroy());
  });
  await new Promise<void>((resolve) => relay!.listen(0, '127.0.0.1', resolve));
  const { port } = relay.address() as net.AddressInfo;
  return { url: `ws://127.0.0.1:${port}/xrpc/com.atproto.sync.subscribeRepos`, requests };
}

it('opens the configured firehose once its module has loaded', async () => {
  test = await openTestStore('sqlite');
  const firehose = await recordingRelay();
  const workers = startBackgroundWorkers(
    test.store,
    { secretKey: SECRET_KEY, addressPolicy: PRIVATE_NETWORK_ALLOWED, publishLeaseMs: 60_000, blueskyFirehoseUrl: firehose.url, mastodonStreaming: false },
    logger,
  );
  try {
    await until(() => firehose.requests.length > 0, 10_000, 'the workers to open the configured firehose');
    expect(firehose.requests[0]).toMatch(/^GET \/xrpc\/com\.atproto\.sync\.subscribeRepos\b.* HTTP\/1\.1$/);
  } finally {
    await workers.stop();
  }
});
