/**
 * Live mentions: from a post on the PDS (createRecord answered) to the item in an open board's live
 * stream (the SSE `item` event), on a real local Bluesky network (PLC, PDS, AppView from
 * @atproto/dev-env; needs CHORUS_TEST_PG_URL for the AppView). Two phases in the same run, same
 * server, same column: polling only (the baseline: a watched board polls every 20 s), then the push
 * (the PDS's subscribeRepos stream). Prints p50/p95 of each, the ratio, and the load average.
 *
 *   node .tmp/bench/bench/live-mentions.js [--poll-samples 6] [--push-samples 20]
 */
// The schema's tables, as the assembly declares them (a bench compiled alone does not see them otherwise).
import type {} from '../src/app/database.js';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createBlueskyConnector } from '../src/channels/bluesky/connector.js';
import { migrateToLatest } from '../src/app/migrations.js';
import { systemClock } from '../src/lib/clock.js';
import { openStore } from '../src/store/open.js';
import { startBlueskyPush } from '../src/streams/bluesky-push.js';
import { streamNotifier } from '../src/streams/live.js';
import { startIngestWorker } from '../src/streams/worker.js';
import { PASSWORD, buildTestServer, setUpOwner } from '../test/support/api-client.js';
import { startBlueskyNetwork } from '../test/support/bluesky-network.js';
import { PRIVATE_NETWORK_ALLOWED } from '../test/support/private-network.js';
import { openSse, signIn } from '../test/streams/sse-client.js';

const { values } = parseArgs({ options: { 'poll-samples': { type: 'string', default: '6' }, 'push-samples': { type: 'string', default: '20' } } });
const pollSamples = Number(values['poll-samples']);
const pushSamples = Number(values['push-samples']);

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
const summary = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return { n: sorted.length, p50: Math.round(quantile(sorted, 0.5)), p95: Math.round(quantile(sorted, 0.95)), max: Math.round(sorted.at(-1)!) };
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const network = await startBlueskyNetwork();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-live-bench-'));
const store = openStore(`sqlite:${path.join(dataDir, 'chorus.db')}`);
await migrateToLatest(store);
const app = await buildTestServer(store, { addressPolicy: PRIVATE_NETWORK_ALLOWED });
const url = await app.listen({ port: 0, host: '127.0.0.1' });
try {
  const alice = await network.createAccount('alice');
  const bob = await network.createAccount('bob');
  const owner = await setUpOwner(app);
  const org = `/api/orgs/${owner.orgId}`;
  const channel = await owner.client.post(`${org}/channels`, {
    network: 'bluesky',
    credentials: { service: network.pdsUrl, identifier: alice.handle, appPassword: alice.password },
  });
  const board = await owner.client.post(`${org}/boards`, { name: 'Social' });
  await owner.client.post(`${org}/boards/${board.body.board.id}/columns`, { kind: 'mentions', channelAccountId: channel.body.channel.id });
  const events = await openSse(`${url}${org}/stream-events`, await signIn(url, owner.email, PASSWORD));
  const bobConnector = createBlueskyConnector(
    { service: network.pdsUrl, identifier: bob.handle, appPassword: bob.password },
    { fetch: globalThis.fetch, now: () => new Date(), saveCredentials: async () => {} },
  );

  const ingest = startIngestWorker({ store, clock: systemClock, env: app.channels, notifier: streamNotifier(store), workerId: 'bench' });
  await sleep(2_000);

  async function sample(label: string, i: number): Promise<number> {
    const text = `@${alice.handle} ${label} ${i} ${Date.now()}`;
    const result = await bobConnector.publish({ idempotencyKey: `${label}-${i}`, text });
    if (!result.ok) throw new Error(JSON.stringify(result.failure));
    const onPds = performance.now();
    await events.next((e) => e.event === 'item' && e.data.item.text === text, 120_000);
    return performance.now() - onPds;
  }

  const load = [os.loadavg()[0]!];
  const polling: number[] = [];
  for (let i = 0; i < pollSamples; i++) {
    polling.push(await sample('poll', i));
    // Mentions land at random points of the poll cycle.
    await sleep(Math.random() * 5_000);
  }
  load.push(os.loadavg()[0]!);

  const push = startBlueskyPush({
    store,
    clock: systemClock,
    url: `${network.pdsUrl.replace(/^http/, 'ws')}/xrpc/com.atproto.sync.subscribeRepos`,
    wake: () => ingest.wake(),
  });
  while (!push.connected) await sleep(20);
  await sleep(2_000);
  const pushed: number[] = [];
  for (let i = 0; i < pushSamples; i++) {
    pushed.push(await sample('push', i));
    await sleep(200 + Math.random() * 1_000);
  }
  load.push(os.loadavg()[0]!);
  await push.stop();
  await ingest.stop();
  events.close();

  const poll = summary(polling);
  const pushSummary = summary(pushed);
  console.log(
    JSON.stringify(
      {
        polling: poll,
        push: pushSummary,
        p95Ratio: Number((pushSummary.p95 / poll.p95).toFixed(3)),
        loadAverage1m: load.map((l) => Number(l.toFixed(2))),
        cpus: os.cpus().length,
        node: process.version,
      },
      null,
      2,
    ),
  );
} finally {
  await app.close();
  await store.close();
  await network.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
