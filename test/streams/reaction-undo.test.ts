/**
 * Like, repost and their undo through the item actions API on Mastodon and X (issue 17), against
 * local servers answering each network's documented shapes: which calls the network received,
 * and the item's viewer state after each step.
 * Mastodon: POST /api/v1/statuses/:id/favourite, /unfavourite, /reblog, /unreblog (docs.joinmastodon.org/methods/statuses).
 * X: POST /2/users/:id/likes, DELETE /2/users/:id/likes/:tweet_id, POST /2/users/:id/retweets,
 * DELETE /2/users/:id/retweets/:tweet_id (docs.x.com, manage likes / manage reposts).
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ItemActionAnswer, ItemPage } from '../../core/api/streams.js';
import { buildTestServer, setUpOwner, type Person } from '../support/api-client.js';
import { startContractServer, type ContractServer } from '../support/contract-server.js';
import { PRIVATE_NETWORK_ALLOWED } from '../support/private-network.js';
import { describeEachStore } from '../support/stores.js';
import { ingestRound, mastodonStatus, movableClock } from './support.js';

const ACME_X = { id: '2244994945', name: 'ACME', username: 'acmebakery' };
const BOB_X = { id: '783214', name: 'Bob', username: 'bob' };
const TWEET = {
  id: '1460323737035677698',
  text: 'Rye is back',
  author_id: BOB_X.id,
  created_at: '2026-11-27T09:00:00.000Z',
  edit_history_tweet_ids: ['1460323737035677698'],
};

describeEachStore('Undo of likes and reposts on Mastodon and X', (current) => {
  let app: FastifyInstance;
  let owner: Person;
  let remote: ContractServer;
  const org = () => `/api/orgs/${owner.orgId}`;

  beforeEach(async () => {
    remote = await startContractServer();
    app = await buildTestServer(current().store, { addressPolicy: PRIVATE_NETWORK_ALLOWED });
    owner = await setUpOwner(app);
  });
  afterEach(async () => {
    await app.close();
    await remote.close();
  });

  /** A home column of the channel, polled once: its one item, and a way to read the item again. */
  async function homeItem(channelId: string) {
    const board = await owner.client.post(`${org()}/boards`, { name: 'Home' });
    const column = await owner.client.post(`${org()}/boards/${board.body.board.id}/columns`, { kind: 'home', channelAccountId: channelId });
    expect(column.status).toBe(201);
    const columnId: string = column.body.column.id;
    expect(await ingestRound(app, movableClock())).toBe(1);
    const read = async () => ItemPage.parse((await owner.client.get(`${org()}/columns/${columnId}/items`)).body).items[0]!;
    const item = await read();
    const act = async (action: 'like' | 'repost', undo = false) => {
      const answer = await owner.client.post(`${org()}/items/${item.id}/actions`, { columnId, action, undo });
      expect(answer.status).toBe(200);
      return ItemActionAnswer.parse(answer.body).viewer;
    };
    return { item, act, viewer: async () => (await read()).viewer };
  }

  it('Mastodon: favourite, unfavourite, reblog and unreblog reach the instance and the item shows each', async () => {
    const status = mastodonStatus('109990001', { favourites_count: 2, reblogs_count: 0, replies_count: 0 });
    Object.assign(remote.routes, {
      'GET /api/v1/accounts/verify_credentials': () => ({
        json: { id: '109302', username: 'acme', acct: 'acme', display_name: 'Acme', url: null, avatar: null },
      }),
      'GET /api/v2/instance': () => ({ json: { domain: 'mastodon.example', configuration: { statuses: { max_characters: 500 } } } }),
      'GET /api/v1/timelines/home': () => ({ json: [status] }),
      // Each answers the status as the token's account now sees it.
      'POST /api/v1/statuses/:id/favourite': () => ({ json: { ...status, favourited: true } }),
      'POST /api/v1/statuses/:id/unfavourite': () => ({ json: { ...status, favourited: false } }),
      'POST /api/v1/statuses/:id/reblog': () => ({ json: { ...status, id: '109990002', reblog: { ...status, reblogged: true } } }),
      'POST /api/v1/statuses/:id/unreblog': () => ({ json: { ...status, reblogged: false } }),
    });
    const channel = await owner.client.post(`${org()}/channels`, { network: 'mastodon', credentials: { instanceUrl: remote.url, accessToken: 'token-1' } });
    expect(channel.status).toBe(201);
    const { act, viewer } = await homeItem(channel.body.channel.id);
    const calls = () => remote.requests.filter((r) => r.method === 'POST').map((r) => r.path);

    expect(await act('like')).toEqual({ liked: true, reposted: false });
    expect(await act('repost')).toEqual({ liked: true, reposted: true });
    expect(await viewer()).toEqual({ liked: true, reposted: true });
    expect(await act('like', true)).toEqual({ liked: false, reposted: true });
    expect(await viewer()).toEqual({ liked: false, reposted: true });
    expect(await act('repost', true)).toEqual({ liked: false, reposted: false });
    expect(await viewer()).toEqual({ liked: false, reposted: false });
    // Undoing what is not done sends nothing.
    expect(await act('like', true)).toEqual({ liked: false, reposted: false });
    expect(calls()).toEqual([
      '/api/v1/statuses/109990001/favourite',
      '/api/v1/statuses/109990001/reblog',
      '/api/v1/statuses/109990001/unfavourite',
      '/api/v1/statuses/109990001/unreblog',
    ]);
    expect(remote.requests.filter((r) => r.method === 'POST').every((r) => r.headers.authorization === 'Bearer token-1')).toBe(true);
  });

  it('X: likes and retweets are posted and deleted for the account, and the item shows each', async () => {
    Object.assign(remote.routes, {
      'GET /2/users/me': () => ({ json: { data: ACME_X } }),
      'GET /2/users/:id/timelines/reverse_chronological': () => ({ json: { data: [TWEET], includes: { users: [BOB_X] }, meta: { result_count: 1 } } }),
      'POST /2/users/:id/likes': () => ({ json: { data: { liked: true } } }),
      'DELETE /2/users/:id/likes/:tweet': () => ({ json: { data: { liked: false } } }),
      'POST /2/users/:id/retweets': () => ({ json: { data: { id: TWEET.id, retweeted: true } } }),
      'DELETE /2/users/:id/retweets/:tweet': () => ({ json: { data: { retweeted: false } } }),
    });
    const credentials = { clientId: 'client-1', accessToken: 'access-1', userId: ACME_X.id, username: ACME_X.username, apiBase: remote.url };
    const channel = await owner.client.post(`${org()}/channels`, { network: 'x', credentials });
    expect(channel.status).toBe(201);
    const { act, viewer } = await homeItem(channel.body.channel.id);
    const calls = () => remote.requests.filter((r) => r.method !== 'GET').map((r) => ({ call: `${r.method} ${r.path}`, body: r.json }));

    expect(await act('like')).toEqual({ liked: true, reposted: false });
    expect(await act('repost')).toEqual({ liked: true, reposted: true });
    expect(await viewer()).toEqual({ liked: true, reposted: true });
    expect(await act('like', true)).toEqual({ liked: false, reposted: true });
    expect(await viewer()).toEqual({ liked: false, reposted: true });
    expect(await act('repost', true)).toEqual({ liked: false, reposted: false });
    expect(await viewer()).toEqual({ liked: false, reposted: false });
    expect(await act('repost', true)).toEqual({ liked: false, reposted: false });
    expect(calls()).toEqual([
      { call: `POST /2/users/${ACME_X.id}/likes`, body: { tweet_id: TWEET.id } },
      { call: `POST /2/users/${ACME_X.id}/retweets`, body: { tweet_id: TWEET.id } },
      { call: `DELETE /2/users/${ACME_X.id}/likes/${TWEET.id}`, body: null },
      { call: `DELETE /2/users/${ACME_X.id}/retweets/${TWEET.id}`, body: null },
    ]);
  });
});
