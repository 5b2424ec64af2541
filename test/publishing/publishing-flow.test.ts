import type { FastifyInstance } from 'fastify';
import { CompiledQuery, sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.js';
import {
  claimDueTargets,
  publishDueTargets,
  publishTarget,
  queuedTargetIds,
  ResultWriter,
  type ClaimQueue,
  type PublisherOptions,
} from '../../src/publishing/publisher.js';
import type { Store } from '../../src/store/store.js';
import { ApiClient, invitePerson, setUpOwner, type Person } from '../support/api-client.js';
import { ScriptedNetwork, scriptedDirectory } from '../support/scripted-network.js';
import { describeEachStore } from '../support/stores.js';

const CHANNELS = [
  { id: 'bsky-1', network: 'bluesky' as const, displayName: 'Shop on Bluesky' },
  { id: 'x-1', network: 'x' as const, displayName: 'Shop on X' },
  { id: 'masto-1', network: 'mastodon' as const, displayName: 'Shop on Mastodon', textLimit: 500 },
];

describeEachStore('publishing', (current) => {
  let app: FastifyInstance;
  let network: ScriptedNetwork;
  let owner: Person;
  let now: Date;
  let publisher: (workerId?: string) => PublisherOptions;

  beforeEach(async () => {
    now = new Date('2027-03-26T07:00:00Z');
    network = new ScriptedNetwork();
    let orgId = '';
    const directory = scriptedDirectory(network, () => orgId, CHANNELS);
    app = await buildServer({ store: current().store, webRoot: null, clock: () => now, channelDirectory: directory });
    owner = await setUpOwner(app);
    orgId = owner.orgId;
    publisher = (workerId = 'worker-a') => ({ store: current().store, clock: () => now, directory, workerId, leaseMs: 60_000 });
  });
  afterEach(() => app.close());

  const posts = (person: Person) => `/api/orgs/${person.orgId}/posts`;

  it('schedules 09:00 Europe/Berlin at 08:00Z before the DST change and 07:00Z after it', async () => {
    const before = await owner.client.post(posts(owner), {
      text: 'Friday',
      channelAccountIds: ['bsky-1'],
      action: 'schedule',
      scheduledAt: { local: '2027-03-26T09:00', timeZone: 'Europe/Berlin' },
    });
    const after = await owner.client.post(posts(owner), {
      text: 'Monday',
      channelAccountIds: ['bsky-1'],
      action: 'schedule',
      scheduledAt: { local: '2027-03-29T09:00', timeZone: 'Europe/Berlin' },
    });
    expect(before.status).toBe(201);
    expect(before.body.post.dueAt).toBe('2027-03-26T08:00:00.000Z');
    expect(after.body.post.dueAt).toBe('2027-03-29T07:00:00.000Z');
    expect(after.body.post.scheduledLocal).toBe('2027-03-29T09:00');
    expect(after.body.post.targets[0]).toMatchObject({ state: 'scheduled', dueAt: '2027-03-29T07:00:00.000Z' });

    now = new Date('2027-03-26T07:59:59Z');
    expect(await publishDueTargets(publisher())).toBe(0);
    now = new Date('2027-03-26T08:00:00Z');
    expect(await publishDueTargets(publisher())).toBe(1);
    expect([...network.posts.values()].map((p) => p.text)).toEqual(['Friday']);
  });

  it('refuses text that does not fit a network, naming each one, and accepts a per-network override', async () => {
    const japanese = 'ご来店ありがとうございます。'.repeat(11); // 154 characters: fits Bluesky (300), not X (weighted 308 > 280)
    const tooLong = await owner.client.post(posts(owner), { text: japanese, channelAccountIds: ['bsky-1', 'x-1'], action: 'publish_now' });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.error.code).toBe('text_does_not_fit');
    expect(tooLong.body.error.details).toEqual([{ channelAccountId: 'x-1', network: 'x', problem: 'too_long', length: 308, limit: 280 }]);
    expect(await current().store.db.selectFrom('posts').selectAll().execute()).toEqual([]);

    const fixed = await owner.client.post(posts(owner), {
      text: japanese,
      overrides: { x: 'ご来店ありがとうございます。' },
      channelAccountIds: ['bsky-1', 'x-1'],
      action: 'publish_now',
    });
    expect(fixed.status).toBe(201);
    expect(fixed.body.post.targets.map((t: any) => [t.network, t.body.length])).toEqual([
      ['bluesky', 154],
      ['x', 14],
    ]);
    // A draft may be too long for now: it is not going anywhere yet.
    expect((await owner.client.post(posts(owner), { text: japanese, channelAccountIds: ['x-1'], action: 'draft' })).status).toBe(201);
  });

  it('makes editors ask for approval; admins approve or reject with a comment', async () => {
    const editor = await invitePerson(owner, 'Ed Editor', 'editor');
    const direct = await editor.client.post(posts(owner), { text: 'Sale!', channelAccountIds: ['bsky-1'], action: 'publish_now' });
    expect(direct.status).toBe(403);
    expect(direct.body.error.code).toBe('approval_required');

    const submitted = await editor.client.post(posts(owner), { text: 'Sale!', channelAccountIds: ['bsky-1'], action: 'submit' });
    expect(submitted.body.post).toMatchObject({ status: 'pending_approval', targets: [expect.objectContaining({ state: 'draft' })] });
    const id = submitted.body.post.id;
    expect((await editor.client.post(`${posts(owner)}/${id}/approve`, {})).status).toBe(403);
    expect(await publishDueTargets(publisher())).toBe(0);

    const rejected = await owner.client.post(`${posts(owner)}/${id}/reject`, { comment: 'Say which sale' });
    expect(rejected.body.post).toMatchObject({ status: 'rejected', reviewComment: 'Say which sale' });
    await editor.client.patch(`${posts(owner)}/${id}`, { text: 'Spring sale!' });
    expect((await editor.client.post(`${posts(owner)}/${id}/submit`)).body.post.status).toBe('pending_approval');
    const approved = await owner.client.post(`${posts(owner)}/${id}/approve`, {});
    expect(approved.body.post.status).toBe('scheduled');
    expect(approved.body.post.dueAt).toBe(now.toISOString());
    expect(await publishDueTargets(publisher())).toBe(1);
    const published = await owner.client.get(`${posts(owner)}/${id}`);
    expect(published.body.post).toMatchObject({ status: 'published', targets: [expect.objectContaining({ state: 'published', remoteId: 'bluesky-1' })] });
    expect([...network.posts.values()].map((p) => p.text)).toEqual(['Spring sale!']);
  });

  it('shows partial success as partial, and a retry touches only the failed target', async () => {
    network.failNext('x-1', { kind: 'auth', message: 'token revoked' });
    const created = await owner.client.post(posts(owner), { text: 'Hello everyone', channelAccountIds: ['bsky-1', 'x-1', 'masto-1'], action: 'publish_now' });
    await publishDueTargets(publisher());
    const partial = (await owner.client.get(`${posts(owner)}/${created.body.post.id}`)).body.post;
    expect(partial.status).toBe('partially_published');
    expect(partial.targets.find((t: any) => t.network === 'x')).toMatchObject({
      state: 'failed',
      failureKind: 'auth',
      failureReason: 'The account needs reconnecting: token revoked',
    });
    expect(network.posts.size).toBe(2);

    const retried = await owner.client.post(`${posts(owner)}/${created.body.post.id}/retry`);
    expect(retried.body.post.targets.filter((t: any) => t.state === 'retrying').map((t: any) => t.network)).toEqual(['x']);
    await publishDueTargets(publisher());
    const done = (await owner.client.get(`${posts(owner)}/${created.body.post.id}`)).body.post;
    expect(done.status).toBe('published');
    expect(network.posts.size).toBe(3);
    expect(network.calls.filter((c) => c.channelId === 'bsky-1')).toHaveLength(1);
    // The manual retry is not a certain first attempt: X must look for an earlier copy before posting.
    expect(network.calls.filter((c) => c.channelId === 'x-1').map((c) => c.attempt)).toEqual([1, 2]);
  });

  it("links a published target to its live post only when the network's answer is an https page", async () => {
    const AT_URI = 'at://did:plc:abcdefghijklmnopqrstuvwx/app.bsky.feed.post/3kabcdefghij2';
    // A Bluesky account outside the main network answers its at-uri; a hostile Mastodon server, a script.
    network.postUrl = (name, remoteId) =>
      ({ bluesky: AT_URI, mastodon: 'javascript:alert(document.cookie)' })[name as string] ?? `https://x.com/shop/status/${remoteId}`;
    const created = await owner.client.post(posts(owner), { text: 'Hello everyone', channelAccountIds: ['bsky-1', 'x-1', 'masto-1'], action: 'publish_now' });
    expect(created.body.post.targets.map((t: any) => t.url)).toEqual([null, null, null]);
    expect(await publishDueTargets(publisher())).toBe(3);
    const listed = (await owner.client.get(posts(owner))).body.posts.find((p: any) => p.id === created.body.post.id);
    const byNetwork = Object.fromEntries(listed.targets.map((t: any) => [t.network, { remoteUrl: t.remoteUrl, url: t.url }]));
    expect(byNetwork).toEqual({
      bluesky: { remoteUrl: AT_URI, url: null },
      mastodon: { remoteUrl: 'javascript:alert(document.cookie)', url: null },
      x: { remoteUrl: expect.stringMatching(/^https:\/\/x\.com\/shop\/status\/x-\d$/), url: byNetwork.x.remoteUrl },
    });
  });

  it('backs off on transient errors, honours rate limits, and gives up after the attempt budget', async () => {
    network.failNext('bsky-1', { kind: 'transient', message: 'PDS unavailable' }, { kind: 'rate_limited', message: 'slow down', retryAfterMs: 120_000 });
    const created = await owner.client.post(posts(owner), { text: 'Persistent', channelAccountIds: ['bsky-1'], action: 'publish_now' });
    await publishDueTargets(publisher());
    let target = (await owner.client.get(`${posts(owner)}/${created.body.post.id}`)).body.post.targets[0];
    expect(target).toMatchObject({ state: 'retrying', attempts: 1, failureKind: 'transient' });
    const delay = Date.parse(target.nextAttemptAt) - now.getTime();
    expect(delay).toBeGreaterThanOrEqual(2_500);
    expect(delay).toBeLessThanOrEqual(5_000);
    expect(await publishDueTargets(publisher())).toBe(0);

    now = new Date(Date.parse(target.nextAttemptAt));
    await publishDueTargets(publisher());
    target = (await owner.client.get(`${posts(owner)}/${created.body.post.id}`)).body.post.targets[0];
    expect(target).toMatchObject({ state: 'retrying', attempts: 2, failureKind: 'rate_limited' });
    expect(Date.parse(target.nextAttemptAt) - now.getTime()).toBe(120_000);
    now = new Date(Date.parse(target.nextAttemptAt));
    await publishDueTargets(publisher());
    expect((await owner.client.get(`${posts(owner)}/${created.body.post.id}`)).body.post.status).toBe('published');

    network.failNext('x-1', ...Array.from({ length: 20 }, () => ({ kind: 'transient' as const, message: 'down' })));
    const doomed = await owner.client.post(posts(owner), { text: 'Never', channelAccountIds: ['x-1'], action: 'publish_now' });
    for (let i = 0; i < 20; i++) {
      now = new Date(now.getTime() + 16 * 60_000);
      await publishDueTargets(publisher());
    }
    const failed = (await owner.client.get(`${posts(owner)}/${doomed.body.post.id}`)).body.post;
    expect(failed.status).toBe('failed');
    expect(failed.targets[0]).toMatchObject({ attempts: 8, failureReason: 'down (gave up after 8 attempts)' });
    expect(network.calls.filter((c) => c.channelId === 'x-1')).toHaveLength(8);
  });

  it("takes over a dead worker's target after its lease and fences the dead worker's late answer", async () => {
    const created = await owner.client.post(posts(owner), { text: 'Once only', channelAccountIds: ['bsky-1'], action: 'publish_now' });
    const [claimedByA] = await claimDueTargets(publisher('worker-a'));
    expect(claimedByA).toBeDefined();
    expect(await claimDueTargets(publisher('worker-b'))).toEqual([]);

    now = new Date(now.getTime() + 61_000);
    const [claimedByB] = await claimDueTargets(publisher('worker-b'));
    expect(claimedByB?.id).toBe(claimedByA!.id);
    await publishTarget(publisher('worker-b'), claimedByB!);
    // Worker A wakes up with its stale claim: it no longer holds the lease, so it does not even
    // send (a network without idempotency keys would otherwise see the post twice).
    await publishTarget(publisher('worker-a'), claimedByA!);
    expect(network.calls).toHaveLength(1);
    expect(network.posts.size).toBe(1);
    const target = (await owner.client.get(`${posts(owner)}/${created.body.post.id}`)).body.post.targets[0];
    expect(target).toMatchObject({ state: 'published', attempts: 2 });
    expect(new Set(network.calls.map((c) => c.key))).toEqual(new Set([target.id]));
  });

  it('renews a lease that is running out before sending, so a slow batch is not taken over mid-way', async () => {
    await owner.client.post(posts(owner), { text: 'Late in the batch', channelAccountIds: ['bsky-1'], action: 'publish_now' });
    const [claimed] = await claimDueTargets(publisher('worker-a'));
    now = new Date(now.getTime() + 45_000);
    // While worker A waits on the network, its original lease (60 s) runs out; worker B must still find nothing to take.
    let takenByB: unknown[] = [];
    network.duringPublish = async () => {
      now = new Date(now.getTime() + 20_000);
      takenByB = await claimDueTargets(publisher('worker-b'));
    };
    await publishTarget(publisher('worker-a'), claimed!);
    expect(takenByB).toEqual([]);
    expect(network.posts.size).toBe(1);
    const row = await current().store.db.selectFrom('post_targets').selectAll().executeTakeFirstOrThrow();
    expect(row.state).toBe('published');
  });

  it("claims a dead worker's expired targets before due ones, filling one batch from both queues", async () => {
    for (let i = 0; i < 3; i++) await owner.client.post(posts(owner), { text: `Queued ${i}`, channelAccountIds: ['bsky-1'], action: 'publish_now' });
    const [abandoned] = await claimDueTargets({ ...publisher('worker-a'), batchSize: 1 });
    now = new Date(now.getTime() + 61_000);
    const batch = await claimDueTargets({ ...publisher('worker-b'), batchSize: 2 });
    expect(batch.map((t) => t.id)[0]).toBe(abandoned!.id);
    expect(batch).toHaveLength(2);
    expect(batch.every((t) => t.lease_owner === 'worker-b' && t.state === 'publishing')).toBe(true);
    const rest = await claimDueTargets(publisher('worker-b'));
    expect(rest).toHaveLength(1);
    expect(new Set([...batch, ...rest].map((t) => t.id)).size).toBe(3);
  });

  it('walks each claim queue through its own index (a 10 000-target burst must not read every row per claim)', async () => {
    const planOf = async (store: Store, queue: ClaimQueue) => {
      const query = queuedTargetIds(store, queue, now.toISOString(), 50).compile();
      const explain = (prefix: string) => CompiledQuery.raw(`${prefix} ${query.sql}`, [...query.parameters]);
      if (store.dialect === 'sqlite') return JSON.stringify((await store.db.executeQuery(explain('explain query plan'))).rows);
      // A handful of rows make a sequential scan cheapest; what matters is which index a claim can use.
      return store.db.transaction().execute(async (tx) => {
        await sql`set local enable_seqscan = off`.execute(tx);
        return JSON.stringify((await tx.executeQuery(explain('explain'))).rows);
      });
    };
    expect(await planOf(current().store, 'due')).toContain('post_targets_due');
    expect(await planOf(current().store, 'expired_leases')).toContain('post_targets_leases');
  });

  it('hands a reply to a direct message on as private, and refuses a blank private addressee', async () => {
    const created = await owner.client.post(posts(owner), {
      text: 'Saturday too',
      channelAccountIds: ['masto-1'],
      action: 'publish_now',
      replyTo: { remoteId: '100', privateTo: 'kaito@other.example' },
    });
    expect(created.status).toBe(201);
    expect(await publishDueTargets(publisher())).toBe(1);
    expect(network.calls.map((c) => c.privateTo)).toEqual(['kaito@other.example']);
    const blank = await owner.client.post(posts(owner), {
      text: 'x',
      channelAccountIds: ['masto-1'],
      action: 'publish_now',
      replyTo: { remoteId: '100', privateTo: ' ' },
    });
    expect(blank.status).toBe(400);
  });

  it('counts a private reply with the mention Mastodon puts in front: text that fits alone but not with it is refused before any send', async () => {
    const mention = '@kaito@other.example ';
    // Mastodon counts a remote mention as its local part: "@kaito " is 7 of the 500.
    const reply = (text: string) =>
      owner.client.post(posts(owner), {
        text,
        channelAccountIds: ['masto-1'],
        action: 'publish_now',
        replyTo: { remoteId: '100', privateTo: 'kaito@other.example' },
      });
    const tooLong = await reply('a'.repeat(494));
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.error.details).toEqual([{ channelAccountId: 'masto-1', network: 'mastodon', problem: 'too_long', length: 501, limit: 500 }]);
    expect((await reply('a'.repeat(493))).status).toBe(201);
    // Naming the person already adds nothing.
    expect((await reply(`${mention}${'a'.repeat(493)}`)).status).toBe(201);
    expect(await publishDueTargets(publisher())).toBe(2);
    expect(network.calls.map((c) => c.privateTo)).toEqual(['kaito@other.example', 'kaito@other.example']);
  });

  it('gives concurrent workers disjoint targets', async () => {
    for (let i = 0; i < 30; i++) await owner.client.post(posts(owner), { text: `Post ${i}`, channelAccountIds: ['bsky-1'], action: 'publish_now' });
    const batches = await Promise.all(['w1', 'w2', 'w3'].map((w) => claimDueTargets({ ...publisher(w), batchSize: 12 })));
    const ids = batches.flat().map((t) => t.id);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
  });

  it('publishes a burst larger than one batch in one round, each target once, claiming the next batch before lanes run dry', async () => {
    for (let i = 0; i < 30; i++) await owner.client.post(posts(owner), { text: `Burst ${i}`, channelAccountIds: ['bsky-1'], action: 'publish_now' });
    expect(await publishDueTargets({ ...publisher(), batchSize: 4, concurrency: 3 })).toBe(30);
    expect([...network.posts.values()].map((p) => p.text).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `Burst ${i}`).sort());
    const states = await current().store.db.selectFrom('post_targets').select(['state', 'lease_owner']).execute();
    expect(states.every((t) => t.state === 'published' && t.lease_owner === null)).toBe(true);
    expect(await publishDueTargets(publisher())).toBe(0);
  });

  it('writes results finished together in one commit, each still fenced by its own lease', async () => {
    for (let i = 0; i < 3; i++) await owner.client.post(posts(owner), { text: `Fenced ${i}`, channelAccountIds: ['bsky-1'], action: 'publish_now' });
    const [kept, lost, third] = await claimDueTargets(publisher('worker-a'));
    // Another worker took one over (worker-a was paused past its lease).
    await current().store.db.updateTable('post_targets').set({ lease_owner: 'worker-b' }).where('id', '=', lost!.id).execute();
    const writer = new ResultWriter(current().store.db, 'worker-a');
    const done = { state: 'published' as const, remote_id: 'r', updated_at: now.toISOString() };
    expect(await Promise.all([writer.write(kept!, done), writer.write(lost!, done), writer.write(third!, done)])).toEqual([true, false, true]);
    const rows = await current().store.db.selectFrom('post_targets').select(['id', 'state', 'lease_owner']).execute();
    expect(rows.find((r) => r.id === lost!.id)).toMatchObject({ state: 'publishing', lease_owner: 'worker-b' });
    expect(rows.filter((r) => r.state === 'published' && r.lease_owner === null)).toHaveLength(2);
  });

  it('queues into the next free weekly slot in the account zone, and reschedules and cancels', async () => {
    const queue = await owner.client.request('PUT', `/api/orgs/${owner.orgId}/queues/bsky-1`, {
      timeZone: 'Asia/Tokyo',
      slots: [
        { weekday: 1, time: '09:00' },
        { weekday: 1, time: '12:30' },
      ],
    });
    expect(queue.status).toBe(200);
    const first = await owner.client.post(posts(owner), { text: 'Queued 1', channelAccountIds: ['bsky-1'], action: 'queue' });
    const second = await owner.client.post(posts(owner), { text: 'Queued 2', channelAccountIds: ['bsky-1'], action: 'queue' });
    // Friday 2027-03-26 16:00 in Tokyo → next Monday 09:00 JST = 00:00Z, then 12:30 JST = 03:30Z.
    expect(first.body.post.dueAt).toBe('2027-03-29T00:00:00.000Z');
    expect(second.body.post.dueAt).toBe('2027-03-29T03:30:00.000Z');
    const noSlots = await owner.client.post(posts(owner), { text: 'x', channelAccountIds: ['x-1'], action: 'queue' });
    expect(noSlots.status).toBe(422);
    expect(noSlots.body.error.code).toBe('no_queue_slots');

    const moved = await owner.client.patch(`${posts(owner)}/${first.body.post.id}`, { scheduledAt: { local: '2027-03-30T10:00', timeZone: 'Asia/Tokyo' } });
    expect(moved.body.post.dueAt).toBe('2027-03-30T01:00:00.000Z');
    expect(moved.body.post.targets[0].dueAt).toBe('2027-03-30T01:00:00.000Z');
    const calendar = await owner.client.get(`${posts(owner)}?from=2027-03-29T00:00:00Z&to=2027-03-30T00:00:00Z`);
    expect(calendar.body.posts.map((p: any) => p.text)).toEqual(['Queued 2']);

    const cancelled = await owner.client.post(`${posts(owner)}/${second.body.post.id}/cancel`);
    expect(cancelled.body.post).toMatchObject({ status: 'cancelled', workflow: 'cancelled' });
    now = new Date('2027-04-01T00:00:00Z');
    expect(await publishDueTargets(publisher())).toBe(1);
    expect([...network.posts.values()].map((p) => p.text)).toEqual(['Queued 1']);
    const edit = await owner.client.patch(`${posts(owner)}/${first.body.post.id}`, { text: 'too late' });
    expect(edit.status).toBe(409);
    expect(edit.body.error.code).toBe('post_not_editable');
  });

  it('rejects unknown accounts, bad zones and impossible times with clear errors', async () => {
    const unknown = await owner.client.post(posts(owner), { text: 'x', channelAccountIds: ['nope'], action: 'draft' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('channel_not_found');
    const zone = await owner.client.post(posts(owner), {
      text: 'x',
      channelAccountIds: ['bsky-1'],
      action: 'schedule',
      scheduledAt: { local: '2027-03-29T09:00', timeZone: 'Mars/Olympus' },
    });
    expect(zone.status).toBe(400);
    expect(zone.body.error.message).toContain('IANA time zone');
    const missing = await owner.client.post(posts(owner), { text: 'x', channelAccountIds: ['bsky-1'], action: 'schedule' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('scheduledAt');
    const impossible = await owner.client.post(posts(owner), {
      text: 'x',
      channelAccountIds: ['bsky-1'],
      action: 'schedule',
      scheduledAt: { local: '2027-02-30T09:00', timeZone: 'UTC' },
    });
    expect(impossible.status).toBe(400);
    expect(impossible.body.error.code).toBe('invalid_time');
    const viewer = await invitePerson(owner, 'Vera Viewer', 'viewer');
    expect((await viewer.client.post(posts(owner), { text: 'x', channelAccountIds: ['bsky-1'], action: 'draft' })).status).toBe(403);
    expect((await viewer.client.get(posts(owner))).status).toBe(200);
    expect((await new ApiClient(app).get(posts(owner))).status).toBe(401);
  });
});
