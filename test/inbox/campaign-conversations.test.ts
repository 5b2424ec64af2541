/**
 * A campaign's report counts the inbox conversations its published posts opened: a reply to one
 * of its posts' remote ids, on that post's network, opened within the campaign's dates; the inbox
 * lists those same conversations with `?campaignId=`.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildTestServer, setUpOwner, type Person } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';
import { blueskyPost, ingestAndCollect, offlineBlueskyAccount } from './support.js';

describeEachStore('campaign conversations', (current) => {
  let app: FastifyInstance;
  let owner: Person;
  let org: string;
  let account: string;
  beforeEach(async () => {
    app = await buildTestServer(current().store);
    owner = await setUpOwner(app);
    org = `/api/orgs/${owner.orgId}`;
    account = await offlineBlueskyAccount(app, owner.orgId);
  });
  afterEach(() => app.close());

  /** A post on the account, left as the publisher leaves a published one. */
  async function publishedPost(text: string, remoteId: string): Promise<string> {
    const draft = await owner.client.post(`${org}/posts`, { text, channelAccountIds: [account], action: 'draft' });
    expect(draft.status, draft.raw).toBe(201);
    const postId = draft.body.post.id as string;
    await app.store.db
      .updateTable('post_targets')
      .set({ state: 'published', remote_id: remoteId, published_at: new Date().toISOString() })
      .where('post_id', '=', postId)
      .execute();
    return postId;
  }

  const conversations = async (campaignId: string) => {
    const res = await owner.client.get(`${org}/campaigns/${campaignId}`);
    expect(res.status, res.raw).toBe(200);
    return res.body.report.conversations as number;
  };

  /** Handles of the authors of the inbox conversations filtered to the campaign, sorted. */
  const inboxAuthors = async (campaignId: string, more = '') => {
    const res = await owner.client.get(`${org}/conversations?campaignId=${campaignId}${more ? `&${more}` : ''}`);
    expect(res.status, res.raw).toBe(200);
    return (res.body.conversations as { author: { handle: string } }[]).map((c) => c.author.handle).sort();
  };

  it('counts conversations opened by replies to its posts, once each, within its dates', async () => {
    const ours = 'at://did:plc:acme/app.bsky.feed.post/spring1';
    const other = 'at://did:plc:acme/app.bsky.feed.post/other1';
    const inCampaign = await publishedPost('Spring sale', ours);
    await publishedPost('Unrelated', other);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const campaign = (await owner.client.post(`${org}/campaigns`, { name: 'Spring', startsOn: yesterday })).body.campaign;
    expect((await owner.client.post(`${org}/campaigns/${campaign.id}/posts`, { postId: inCampaign })).status).toBe(200);
    expect(await conversations(campaign.id)).toBe(0);

    const carol = blueskyPost('carol.test', 'how long does the sale last?', { replyTo: ours });
    await ingestAndCollect(
      app,
      owner.orgId,
      account,
      [
        carol,
        blueskyPost('dave.test', 'nice!', { replyTo: ours }),
        // Joins carol's conversation: not a second one.
        blueskyPost('erin.test', 'same question', { replyTo: carol.remoteId }),
        // A reply to another post, and a mention that replies to nothing.
        blueskyPost('frank.test', 'what is this?', { replyTo: other }),
        blueskyPost('gina.test', '@acme.test hello'),
      ],
      'mentions',
    );
    expect((await owner.client.get(`${org}/conversations`)).body.conversations).toHaveLength(4);
    expect(await conversations(campaign.id)).toBe(2);
    // The inbox lists the same two, filtered to the campaign (the count links there).
    expect(await inboxAuthors(campaign.id)).toEqual(['carol.test', 'dave.test']);
    expect(await inboxAuthors(campaign.id, 'status=closed')).toEqual([]);

    // Dates that end before the replies came: none of them belong to the campaign.
    expect((await owner.client.patch(`${org}/campaigns/${campaign.id}`, { startsOn: '2020-01-01', endsOn: '2020-01-31' })).status).toBe(200);
    expect(await conversations(campaign.id)).toBe(0);
    expect(await inboxAuthors(campaign.id)).toEqual([]);
    // No dates at all: every conversation its posts opened.
    expect((await owner.client.patch(`${org}/campaigns/${campaign.id}`, { startsOn: null, endsOn: null })).status).toBe(200);
    expect(await conversations(campaign.id)).toBe(2);
  });

  it('lists no conversations for a campaign without published posts, and refuses an unknown campaign', async () => {
    const empty = (await owner.client.post(`${org}/campaigns`, { name: 'Quiet' })).body.campaign;
    const res = await owner.client.get(`${org}/conversations?campaignId=${empty.id}`);
    expect(res.status, res.raw).toBe(200);
    expect(res.body.conversations).toEqual([]);
    const unknown = await owner.client.get(`${org}/conversations?campaignId=no-such-campaign`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('campaign_not_found');
  });
});
