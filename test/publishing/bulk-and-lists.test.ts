import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.js';
import { publishDueTargets } from '../../src/publishing/publisher.js';
import { invitePerson, setUpOwner, type Person } from '../support/api-client.js';
import { ScriptedNetwork, scriptedDirectory } from '../support/scripted-network.js';
import { describeEachStore } from '../support/stores.js';

const CHANNELS = [
  { id: 'bsky-1', network: 'bluesky' as const, displayName: 'Shop on Bluesky', handle: 'shop.bsky.social' },
  { id: 'x-1', network: 'x' as const, displayName: 'Shop on X', handle: 'shop' },
];

describeEachStore('bulk CSV, scheduling drafts, post lists', (current) => {
  let app: FastifyInstance;
  let network: ScriptedNetwork;
  let owner: Person;
  let now: Date;
  let directory: ReturnType<typeof scriptedDirectory>;
  beforeEach(async () => {
    now = new Date('2027-05-10T00:00:00Z');
    network = new ScriptedNetwork();
    let orgId = '';
    directory = scriptedDirectory(network, () => orgId, CHANNELS);
    app = await buildServer({ store: current().store, webRoot: null, clock: () => now, channelDirectory: directory });
    owner = await setUpOwner(app);
    orgId = owner.orgId;
  });
  afterEach(() => app.close());
  const bulk = (body: object) => owner.client.post(`/api/orgs/${owner.orgId}/posts/bulk`, { timeZone: 'Asia/Tokyo', ...body });

  it('reports every bad row with its line number and imports nothing until the file is valid or the user confirms', async () => {
    const csv = [
      'account,time,text,campaign',
      'bsky-1,2027-05-11 09:00,Good morning,spring',
      '@shop.bsky.social,2027-05-11 12:30,"Lunch, with a comma",spring',
      'nobody,2027-05-11 09:00,Who?,',
      'x-1,yesterday,Bad time,',
      `x-1,2027-05-12 09:00,${'日本語'.repeat(50)},`,
      'Shop on X,2027-05-09 09:00,In the past,',
    ].join('\n');
    const dry = await bulk({ csv, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body.report).toMatchObject({ rows: 6, valid: 2, imported: 0 });
    expect(dry.body.report.invalid).toEqual([
      { line: 4, errors: ['no connected account "nobody"'] },
      { line: 5, errors: ['time "yesterday" is not YYYY-MM-DD HH:mm'] },
      { line: 6, errors: ['text is 300/280 on x'] },
      { line: 7, errors: ['time 2027-05-09 09:00 is in the past'] },
    ]);

    const refused = await bulk({ csv });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('csv_has_errors');
    expect(refused.body.error.details.invalid).toHaveLength(4);
    expect(await current().store.db.selectFrom('posts').selectAll().execute()).toEqual([]);

    const confirmed = await bulk({ csv, importValidOnly: true });
    expect(confirmed.body.report).toMatchObject({ valid: 2, imported: 2 });
    const posts = (await owner.client.get(`/api/orgs/${owner.orgId}/posts?campaign=spring`)).body.posts;
    expect(posts.map((p: any) => [p.text, p.dueAt, p.status])).toEqual([
      ['Good morning', '2027-05-11T00:00:00.000Z', 'scheduled'],
      ['Lunch, with a comma', '2027-05-11T03:30:00.000Z', 'scheduled'],
    ]);
  });

  it('refuses unreadable files, bad headers, media URLs, and editors', async () => {
    expect((await bulk({ csv: 'account,time,text\n"unterminated,2027-05-11 09:00,x' })).body.error.code).toBe('csv_unreadable');
    const header = await bulk({ csv: 'who,when,text\nx,y,z' });
    expect(header.body.error.code).toBe('csv_bad_header');
    expect(header.body.error.message).toContain('missing column(s): account, time');
    const media = await bulk({ csv: 'account,time,text,media_url\nbsky-1,2027-05-11 09:00,Pic,https://example.com/a.png', dryRun: true });
    expect(media.body.report.invalid[0].errors).toEqual(['media from a URL is not supported yet: attach images in the composer']);
    const editor = await invitePerson(owner, 'Ed Editor', 'editor');
    expect(
      (await editor.client.post(`/api/orgs/${owner.orgId}/posts/bulk`, { csv: 'account,time,text\nbsky-1,2027-05-11 09:00,x', timeZone: 'UTC' })).status,
    ).toBe(403);
  });

  it('never answers 5xx to arbitrary CSV text (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (tail) => {
        const res = await bulk({ csv: `account,time,text\n${tail}`, dryRun: true });
        expect([200, 422]).toContain(res.status);
      }),
      { numRuns: 60 },
    );
  });

  it('schedules a draft in place, and lists by derived status newest first', async () => {
    const draft = await owner.client.post(`/api/orgs/${owner.orgId}/posts`, { text: 'Draft first', channelAccountIds: ['bsky-1', 'x-1'], action: 'draft' });
    const scheduled = await owner.client.post(`/api/orgs/${owner.orgId}/posts/${draft.body.post.id}/schedule`, {
      action: 'schedule',
      scheduledAt: { local: '2027-05-10T10:00', timeZone: 'Europe/Berlin' },
    });
    expect(scheduled.body.post).toMatchObject({ id: draft.body.post.id, status: 'scheduled', dueAt: '2027-05-10T08:00:00.000Z' });
    expect(scheduled.body.post.targets.map((t: any) => t.state)).toEqual(['scheduled', 'scheduled']);
    const again = await owner.client.post(`/api/orgs/${owner.orgId}/posts/${draft.body.post.id}/schedule`, { action: 'publish_now' });
    expect(again.status).toBe(409);

    await owner.client.post(`/api/orgs/${owner.orgId}/posts`, { text: 'Goes out fine', channelAccountIds: ['bsky-1'], action: 'publish_now' });
    network.failNext('x-1', { kind: 'permanent', message: 'duplicate content' });
    now = new Date('2027-05-10T09:00:00Z');
    await publishDueTargets({ store: current().store, clock: () => now, directory, workerId: 'w' });
    const partial = await owner.client.get(`/api/orgs/${owner.orgId}/posts?status=failed,partially_published`);
    expect(partial.body.posts.map((p: any) => [p.text, p.status])).toEqual([['Draft first', 'partially_published']]);
    const newest = await owner.client.get(`/api/orgs/${owner.orgId}/posts?status=published,partially_published&order=due_desc`);
    expect(newest.body.posts.map((p: any) => p.text)).toEqual(['Draft first', 'Goes out fine']);
    expect((await owner.client.get(`/api/orgs/${owner.orgId}/posts?status=exploded`)).status).toBe(400);
  });
});
