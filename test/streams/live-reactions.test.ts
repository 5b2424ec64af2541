import { expect, it } from 'vitest';
import { ItemPage } from '../../core/api/streams.js';
import { invitePerson, setUpOwner } from '../support/api-client.js';
import { startContractServer } from '../support/contract-server.js';
import { describeEachStore } from '../support/stores.js';
import { liveServers } from './live-servers.js';
import { ingestRound, mastodonStatus, movableClock } from './support.js';

const HOUR = 3_600_000;

/**
 * A like or repost reaches teammates' open boards live: one made through Chorus by another member,
 * and one made in the network's own app that a poll reads. The event names the items; the board
 * reads their pages again, since "liked" depends on the account a column reads as. On PostgreSQL
 * the acting server and the one the browser listens to are two processes' stand-ins (LISTEN/NOTIFY).
 */
describeEachStore('live reactions', (current, dialect) => {
  const { twoServers, listen, onCleanup } = liveServers(current, dialect);

  it("tells every member of a teammate's repost and of a favourite made in Mastodon's app, and nothing when a poll finds no change", async () => {
    // The instance's view of the token's account on the status.
    const seen = { favourited: false, reblogged: false };
    const status = () => ({ ...mastodonStatus('109990001', { favourites_count: 3, reblogs_count: 1, replies_count: 0 }), ...seen });
    const mastodon = await startContractServer({
      'GET /api/v1/accounts/verify_credentials': () => ({
        json: { id: '109302', username: 'acme', acct: 'acme', display_name: 'Acme', url: 'https://mastodon.example/@acme', avatar: null },
      }),
      'GET /api/v2/instance': () => ({ json: { domain: 'mastodon.example', configuration: { statuses: { max_characters: 500 } } } }),
      'GET /api/v1/timelines/home': () => ({ json: [status()] }),
      'POST /api/v1/statuses/:id/reblog': () => ((seen.reblogged = true), { json: { ...status(), id: '109990002', reblog: status() } }),
    });
    onCleanup(() => mastodon.close());
    const { acting, serving } = await twoServers();
    const owner = await setUpOwner(acting.app);
    const editor = await invitePerson(owner, 'Eddie Editor', 'editor');
    const org = `/api/orgs/${owner.orgId}`;
    const channel = await owner.client.post(`${org}/channels`, { network: 'mastodon', credentials: { instanceUrl: mastodon.url, accessToken: 'token-1' } });
    expect(channel.status).toBe(201);
    const board = await owner.client.post(`${org}/boards`, { name: 'Mastodon', shared: true });
    const column = await owner.client.post(`${org}/boards/${board.body.board.id}/columns`, { kind: 'home', channelAccountId: channel.body.channel.id });
    const columnId: string = column.body.column.id;
    const clock = movableClock();
    expect(await ingestRound(acting.app, clock)).toBe(1);
    const page = async () => ItemPage.parse((await editor.client.get(`${org}/columns/${columnId}/items`)).body).items[0]!;
    const itemId = (await page()).id;
    expect((await page()).viewer).toEqual({ liked: false, reposted: false });

    const events = await listen(serving, owner.orgId, editor.email);

    // The owner reposts through Chorus: the editor hears of it, and the column reads as reposted.
    expect((await owner.client.post(`${org}/items/${itemId}/actions`, { columnId, action: 'repost' })).status).toBe(200);
    expect((await events.next((e) => e.event === 'reactions')).data).toEqual({ itemIds: [itemId] });
    expect((await page()).viewer).toEqual({ liked: false, reposted: true });

    // Favourited in Mastodon's own app: the next poll reads it and tells.
    seen.favourited = true;
    clock.advance(HOUR);
    expect(await ingestRound(acting.app, clock)).toBe(1);
    expect((await events.next((e) => e.event === 'reactions')).data).toEqual({ itemIds: [itemId] });
    expect((await page()).viewer).toEqual({ liked: true, reposted: true });

    // The same state again: nothing to tell.
    clock.advance(HOUR);
    expect(await ingestRound(acting.app, clock)).toBe(1);
    expect(mastodon.sent('GET /api/v1/timelines/home')).toHaveLength(3);
    await expect(events.next((e) => e.event === 'reactions', 1000)).rejects.toThrow(/no matching event/);
  });
});
