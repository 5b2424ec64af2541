/**
 * Follower growth in the overview: the last count by the range's end minus the last before its
 * start. Snapshots are UTC days and ranges are days in the org's zone, so the latest snapshot often
 * sits just before a range of "today": growth is then 0 (nothing changed that we know of), not unknown.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildTestServer, setUpOwner, type Person } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';

describeEachStore('follower growth', (current) => {
  let app: FastifyInstance;
  let owner: Person;
  beforeEach(async () => {
    app = await buildTestServer(current().store);
    owner = await setUpOwner(app);
  });
  afterEach(() => app.close());

  const snapshot = (day: string, followers: number) =>
    current()
      .store.db.insertInto('follower_snapshots')
      .values({ org_id: owner.orgId, channel_account_id: 'acc-1', day, followers, following: null, posts: null, taken_at: `${day}T21:00:00.000Z` })
      .execute();
  const growth = async (from: string, to: string) => {
    const answer = await owner.client.get(`/api/orgs/${owner.orgId}/analytics/overview?from=${from}&to=${to}`);
    expect(answer.status).toBe(200);
    return answer.body.overview.followerGrowth.current;
  };

  it('is unknown without any snapshot, 0 when the last one is before the range, and the change across it otherwise', async () => {
    expect(await growth('2027-03-10', '2027-03-10')).toBeNull();
    await snapshot('2027-03-09', 100);
    expect(await growth('2027-03-10', '2027-03-10')).toBe(0);
    await snapshot('2027-03-10', 104);
    await snapshot('2027-03-12', 110);
    expect(await growth('2027-03-10', '2027-03-11')).toBe(4);
    expect(await growth('2027-03-10', '2027-03-12')).toBe(10);
    // The first snapshot inside a range is its baseline when none came before.
    expect(await growth('2027-03-01', '2027-03-12')).toBe(10);
    expect(await growth('2027-03-11', '2027-03-12')).toBe(6);
  });
});
