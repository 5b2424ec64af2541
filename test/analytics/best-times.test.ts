/**
 * What the queue editor reads to offer suggested slots: the best hours (org's zone) with their
 * average engagement and how many posts each comes from, and none before any post drew engagement.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildTestServer, setUpOwner, type Person } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';

describeEachStore('suggested posting slots', (current) => {
  let app: FastifyInstance;
  let owner: Person;
  beforeEach(async () => {
    app = await buildTestServer(current().store);
    owner = await setUpOwner(app);
  });
  afterEach(() => app.close());

  let n = 0;
  const measured = (publishedAt: string, likes: number, pulled = true) =>
    current()
      .store.db.insertInto('target_metrics')
      .values({
        target_id: `target-${++n}`,
        org_id: owner.orgId,
        post_id: `post-${n}`,
        channel_account_id: 'acc-1',
        network: 'bluesky',
        remote_id: `at://did:plc:shop/app.bsky.feed.post/${n}`,
        remote_cid: null,
        published_at: publishedAt,
        likes,
        reposts: 0,
        replies: 0,
        quotes: 0,
        views: null,
        pulled_at: pulled ? '2027-03-20T00:00:00.000Z' : null,
        next_pull_at: null,
        lease_owner: null,
        lease_expires_at: null,
        last_error: null,
      })
      .execute();
  const bestTimes = async () => {
    const answer = await owner.client.get(`/api/orgs/${owner.orgId}/analytics/best-times?channelAccountId=acc-1`);
    expect(answer.status).toBe(200);
    return answer.body.bestTimes;
  };

  it('suggests nothing before a measured post drew engagement', async () => {
    expect(await bestTimes()).toMatchObject({ posts: 0, suggested: [] });
    await measured('2027-03-15T09:10:00.000Z', 0);
    await measured('2027-03-16T09:10:00.000Z', 5, false); // not pulled yet: not counted
    expect(await bestTimes()).toMatchObject({ posts: 1, suggested: [] });
  });

  it('gives each suggested hour, in the org’s zone, its average engagement and the posts it comes from', async () => {
    expect((await owner.client.patch(`/api/orgs/${owner.orgId}/analytics/settings`, { timeZone: 'Asia/Tokyo' })).status).toBe(200);
    // Mondays 09:xx UTC are Mondays 18:xx in Tokyo: two posts, 12 and 6.
    await measured('2027-03-15T09:10:00.000Z', 12);
    await measured('2027-03-22T09:40:00.000Z', 6);
    // Tuesday 01:00 UTC is Tuesday 10:00 in Tokyo: one post, 4.
    await measured('2027-03-16T01:00:00.000Z', 4);
    await measured('2027-03-17T01:00:00.000Z', 0);
    const best = await bestTimes();
    expect(best.timeZone).toBe('Asia/Tokyo');
    expect(best.suggested).toEqual([
      { weekday: 1, hour: 18, averageEngagement: 9, posts: 2 },
      { weekday: 2, hour: 10, averageEngagement: 4, posts: 1 },
    ]);
  });
});
