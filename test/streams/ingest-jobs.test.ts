import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { POLL_POLICIES } from '../../src/streams/budgets.js';
import { streamNotifier } from '../../src/streams/live.js';
import { claimDueJobs, pollJob } from '../../src/streams/poller.js';
import { pruneExpiredItems } from '../../src/streams/retention.js';
import { buildTestServer, setUpOwner, type Person } from '../support/api-client.js';
import { PRIVATE_NETWORK_ALLOWED } from '../support/private-network.js';
import { describeEachStore } from '../support/stores.js';
import { startLocalServer, type LocalServer } from '../channels/support/local-server.js';
import { ingestRound, movableClock } from './support.js';

const rss = (
  count: number,
  from = 0,
) => `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Busy</title><link>https://busy.example/</link>
${Array.from({ length: count }, (_, i) => `<item><title>Entry ${from + i}</title><link>https://busy.example/${from + i}</link><guid>busy-${from + i}</guid><pubDate>${new Date(Date.UTC(2026, 0, 1, 0, from + i)).toUTCString()}</pubDate></item>`).join('')}
</channel></rss>`;

describeEachStore('ingest jobs', (current) => {
  let app: FastifyInstance;
  let owner: Person;
  let feed: LocalServer;
  let answer: { status: number; body: string; headers?: Record<string, string> };
  beforeEach(async () => {
    app = await buildTestServer(current().store, { addressPolicy: PRIVATE_NETWORK_ALLOWED });
    owner = await setUpOwner(app);
    answer = { status: 200, body: rss(3) };
    feed = await startLocalServer((_req, res) => res.writeHead(answer.status, { 'content-type': 'application/rss+xml', ...answer.headers }).end(answer.body));
  });
  afterEach(async () => {
    await app.close();
    await feed.close();
  });

  async function feedColumn() {
    const board = await owner.client.post(`/api/orgs/${owner.orgId}/boards`, { name: 'Feeds' });
    const column = await owner.client.post(`/api/orgs/${owner.orgId}/boards/${board.body.board.id}/columns`, { kind: 'feed', target: `${feed.url}/feed.xml` });
    expect(column.status).toBe(201);
    return column.body.column;
  }
  const job = () => app.store.db.selectFrom('ingest_jobs').selectAll().executeTakeFirstOrThrow();
  const options = (clock: () => Date, workerId: string) => ({ store: app.store, clock, env: app.channels, notifier: streamNotifier(app.store), workerId });

  it('busy streams poll more often, quiet ones less, within the network policy', async () => {
    await feedColumn();
    const policy = POLL_POLICIES.feed;
    const clock = movableClock();
    answer = { status: 200, body: rss(40) };
    await ingestRound(app, clock);
    expect((await job()).interval_ms).toBe(Math.max(policy.minMs, policy.startMs / 2));
    for (let i = 0; i < 8; i++) {
      clock.advance(policy.maxMs);
      await ingestRound(app, clock);
    }
    const quiet = await job();
    expect(quiet.interval_ms).toBe(policy.maxMs);
    expect(Date.parse(quiet.next_poll_at) - clock().getTime()).toBe(policy.maxMs);
  });

  it('a rate limit is honoured to its Retry-After and recorded on the job and the channel', async () => {
    const column = await feedColumn();
    answer = { status: 429, body: 'slow down', headers: { 'retry-after': '7200' } };
    const clock = movableClock();
    await ingestRound(app, clock);
    const limited = await job();
    expect(Date.parse(limited.next_poll_at) - clock().getTime()).toBe(7_200_000);
    expect(limited).toMatchObject({ failures: 1, last_error: 'The feed server asks Chorus to slow down', lease_owner: null });
    const channel = (await owner.client.get(`/api/orgs/${owner.orgId}/channels`)).body.channels.find((c: { id: string }) => c.id === column.channelAccountId);
    expect(channel.health.status).toBe('degraded');
    clock.advance(3_600_000);
    expect(await ingestRound(app, clock)).toBe(0);
    answer = { status: 200, body: rss(2) };
    clock.advance(3_600_000);
    expect(await ingestRound(app, clock)).toBe(1);
    expect(await job()).toMatchObject({ failures: 0, last_error: null });
  });

  it('spends at most the budget per window, then waits for the next window', async () => {
    await feedColumn();
    const { budget, minMs } = POLL_POLICIES.feed;
    const clock = movableClock();
    const start = clock().getTime();
    for (let i = 0; i < budget.requests + 3; i++) {
      answer = { status: 200, body: rss(40, i * 40) };
      await app.store.db.updateTable('ingest_jobs').set({ next_poll_at: clock().toISOString() }).execute();
      await ingestRound(app, clock);
      clock.advance(1000);
    }
    const spent = await job();
    expect(spent.budget_used).toBe(budget.requests);
    expect(Date.parse(spent.budget_window_start)).toBeLessThanOrEqual(start);
    expect(spent.next_poll_at).toBe(new Date(Date.parse(spent.budget_window_start) + budget.windowMs).toISOString());
    expect(feed.requests.length).toBe(1 + budget.requests);
    expect(minMs).toBeLessThan(budget.windowMs);
  });

  it('two workers never hold one job; a dead worker’s lease expires; a late finish is fenced off', async () => {
    await feedColumn();
    const clock = movableClock();
    const [first, second] = await Promise.all([claimDueJobs(options(clock, 'w1')), claimDueJobs(options(clock, 'w2'))]);
    expect(first.length + second.length).toBe(1);
    const claimed = (first[0] ?? second[0])!;
    clock.advance(121_000);
    const [taken] = await claimDueJobs(options(clock, 'w3'));
    expect(taken?.id).toBe(claimed.id);
    // The first worker wakes up and finishes: its write is ignored because it lost the lease.
    await pollJob(options(clock, claimed.lease_owner!), claimed);
    expect((await job()).lease_owner).toBe('w3');
  });

  it('retention prunes items fetched before the org’s window, with their column entries', async () => {
    const column = await feedColumn();
    await owner.client.request('PUT', `/api/orgs/${owner.orgId}/stream-settings`, { retentionDays: 1 });
    const clock = movableClock();
    await ingestRound(app, clock);
    expect(await pruneExpiredItems(app.store.db, clock)).toBe(0);
    clock.advance(2 * 86_400_000);
    expect(await pruneExpiredItems(app.store.db, clock)).toBe(3);
    expect((await owner.client.get(`/api/orgs/${owner.orgId}/columns/${column.id}/items`)).body.items).toEqual([]);
    expect((await owner.client.get(`/api/orgs/${owner.orgId}/search?q=entry`)).body.items).toEqual([]);
  });
});
