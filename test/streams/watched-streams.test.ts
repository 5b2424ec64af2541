import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.js';
import { POLL_POLICIES } from '../../src/streams/budgets.js';
import { WATCH_MS, watchVisibleJobs } from '../../src/streams/watched-jobs.js';
import { OrgScope } from '../../src/teams/org-scope.js';
import { PASSWORD, invitePerson, setUpOwner, type Person } from '../support/api-client.js';
import { PRIVATE_NETWORK_ALLOWED } from '../support/private-network.js';
import { describeEachStore } from '../support/stores.js';
import { startLocalServer, type LocalServer } from '../channels/support/local-server.js';
import { openSse, signIn, type SseConnection } from './sse-client.js';
import { ingestRound, movableClock } from './support.js';

/**
 * Watched streams poll at their policy minimum. The team feed is the stream under test: it needs
 * no network, and an empty one is the quietest stream there is (start 10 s, min 5 s, max 1 min).
 */
describeEachStore('watched streams', (current) => {
  const policy = POLL_POLICIES.team;
  let clock: ReturnType<typeof movableClock>;
  let app: FastifyInstance;
  let url: string;
  let owner: Person;
  const connections: SseConnection[] = [];
  beforeEach(async () => {
    clock = movableClock();
    app = await buildServer({ store: current().store, webRoot: null, clock, addressPolicy: PRIVATE_NETWORK_ALLOWED });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    owner = await setUpOwner(app);
  });
  afterEach(async () => {
    for (const connection of connections.splice(0)) connection.close();
    await app.close();
  });

  async function teamColumn(person: Person, orgId = person.orgId) {
    const org = `/api/orgs/${orgId}`;
    const channels = (await owner.client.get(`${org}/channels`)).body.channels as { id: string; network: string }[];
    const channelAccountId =
      channels.find((c) => c.network === 'team')?.id ?? (await owner.client.post(`${org}/channels`, { network: 'team', credentials: {} })).body.channel.id;
    const board = await person.client.post(`${org}/boards`, { name: 'Team' });
    const column = await person.client.post(`${org}/boards/${board.body.board.id}/columns`, { kind: 'team', channelAccountId });
    expect(column.status).toBe(201);
    return { boardId: board.body.board.id as string };
  }
  const job = (orgId = owner.orgId) => app.store.db.selectFrom('ingest_jobs').selectAll().where('org_id', '=', orgId).executeTakeFirstOrThrow();
  const sinceLastPoll = (j: { next_poll_at: string; last_polled_at: string | null }) => Date.parse(j.next_poll_at) - Date.parse(j.last_polled_at!);
  async function pollWhenDue() {
    const due = Date.parse((await job()).next_poll_at);
    if (due > clock().getTime()) clock.advance(due - clock().getTime());
    expect(await ingestRound(app, clock)).toBe(1);
  }
  async function openDashboard(person: Person, orgId = person.orgId) {
    const connection = await openSse(`${url}/api/orgs/${orgId}/stream-events`, await signIn(url, person.email, PASSWORD));
    connections.push(connection);
  }
  const heartbeatOf =
    (person: Person, role = 'owner' as const) =>
    () =>
      watchVisibleJobs(new OrgScope(app.store.db, person.orgId, { userId: person.userId, role }, clock));

  it('a quiet stream backs off unwatched; an open dashboard brings it forward and polls it at the policy minimum', async () => {
    await teamColumn(owner);
    for (let i = 0; i < 8; i++) await pollWhenDue();
    const quiet = await job();
    expect([quiet.interval_ms, sinceLastPoll(quiet), quiet.watched_until]).toEqual([policy.maxMs, policy.maxMs, null]);

    await openDashboard(owner);
    const watched = await job();
    expect(watched.watched_until).toBe(new Date(clock().getTime() + WATCH_MS).toISOString());
    expect(sinceLastPoll(watched)).toBe(policy.minMs);
    for (let i = 0; i < 3; i++) {
      await pollWhenDue();
      const polled = await job();
      expect(sinceLastPoll(polled)).toBe(policy.minMs);
      // The adaptive state keeps backing off underneath, for when nobody watches.
      expect(polled.interval_ms).toBe(policy.maxMs);
    }

    // A reload right after a poll does not poll again before the policy minimum.
    clock.advance(1000);
    await openDashboard(owner);
    expect(sinceLastPoll(await job())).toBe(policy.minMs);
  });

  it('only a member who can see a column marks its stream, and only in that org', async () => {
    const editor = await invitePerson(owner, 'Eddie Editor', 'editor');
    const { boardId } = await teamColumn(editor);
    await pollWhenDue();
    const other = (await owner.client.post('/api/orgs', { name: 'Other' })).body.org.id as string;
    await teamColumn(owner, other);

    // The owner cannot see the editor's private board; the owner's other org has a stream of its own.
    await openDashboard(owner);
    await openDashboard(owner, other);
    expect((await job()).watched_until).toBeNull();
    expect((await job(other)).watched_until).not.toBeNull();

    await editor.client.request('PATCH', `/api/orgs/${owner.orgId}/boards/${boardId}`, { shared: true });
    await openDashboard(owner);
    expect((await job()).watched_until).not.toBeNull();
  });

  it('each heartbeat extends the watch; without one it lapses and the stream backs off again', async () => {
    await teamColumn(owner);
    await pollWhenDue();
    const heartbeat = heartbeatOf(owner);
    await heartbeat();
    const start = clock().getTime();
    await pollWhenDue();
    expect(sinceLastPoll(await job())).toBe(policy.minMs);

    clock.advance(start + WATCH_MS - 1000 - clock().getTime());
    await heartbeat();
    expect((await job()).watched_until).toBe(new Date(clock().getTime() + WATCH_MS).toISOString());
    clock.advance(2000);
    await pollWhenDue();
    expect(clock().getTime() - start).toBeGreaterThan(WATCH_MS);
    expect(sinceLastPoll(await job())).toBe(policy.minMs);

    clock.advance(WATCH_MS);
    await pollWhenDue();
    const lapsed = await job();
    expect(lapsed.interval_ms).toBeGreaterThan(policy.minMs);
    expect(sinceLastPoll(lapsed)).toBe(lapsed.interval_ms);
  });

  it('a watched stream stays within its budget, and a spent budget still waits for its window', async () => {
    // Every policy's minimum fits its budget, so watching never runs a job out of requests.
    for (const [network, { minMs, budget }] of Object.entries(POLL_POLICIES)) {
      // Bluesky's budget is twice what watching spends: the other half is for polls a push brings forward (bluesky-push.ts).
      if (network === 'bluesky') expect(minMs * budget.requests).toBe(2 * budget.windowMs);
      else expect(minMs * budget.requests).toBeLessThanOrEqual(budget.windowMs);
    }
    await teamColumn(owner);
    const heartbeat = heartbeatOf(owner);
    for (let i = 0; i < 3 * policy.budget.requests; i++) {
      await heartbeat();
      await pollWhenDue();
      expect(sinceLastPoll(await job())).toBe(policy.minMs);
    }

    // Polls forced faster than the minimum spend the budget; watching does not pull the job before the window ends.
    clock.advance(policy.budget.windowMs);
    await heartbeat();
    for (let i = 0; i < policy.budget.requests + 2; i++) {
      await app.store.db.updateTable('ingest_jobs').set({ next_poll_at: clock().toISOString() }).execute();
      await ingestRound(app, clock);
      clock.advance(1000);
    }
    await heartbeat();
    const spent = await job();
    expect(spent.budget_used).toBe(policy.budget.requests);
    expect(spent.next_poll_at).toBe(new Date(Date.parse(spent.budget_window_start) + policy.budget.windowMs).toISOString());
  });

  it('a failing watched stream keeps its backoff', async () => {
    // The feed answers while it is connected (connecting checks it is a feed), then fails.
    let failing = false;
    const feed: LocalServer = await startLocalServer((_req, res) =>
      failing
        ? res.writeHead(503, { 'retry-after': '3600' }).end('down')
        : res.writeHead(200, { 'content-type': 'application/rss+xml' }).end('<rss version="2.0"><channel><title>F</title></channel></rss>'),
    );
    try {
      const board = await owner.client.post(`/api/orgs/${owner.orgId}/boards`, { name: 'Feeds' });
      expect(
        (await owner.client.post(`/api/orgs/${owner.orgId}/boards/${board.body.board.id}/columns`, { kind: 'feed', target: `${feed.url}/feed.xml` })).status,
      ).toBe(201);
      failing = true;
      const heartbeat = heartbeatOf(owner);
      await heartbeat();
      await pollWhenDue();
      const failed = await job();
      expect(failed.failures).toBe(1);
      expect(sinceLastPoll(failed)).toBe(3_600_000);
      await heartbeat();
      expect((await job()).next_poll_at).toBe(failed.next_poll_at);
    } finally {
      await feed.close();
    }
  });
});
