import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { storeIngestedBatch } from '../../src/streams/ingest.js';
import { itemsForColumns } from '../../src/streams/items.js';
import { OrgScope } from '../../src/teams/org-scope.js';
import { buildTestServer, setUpOwner, type Person } from '../support/api-client.js';
import { normalizedItem } from '../support/normalized-item.js';
import { describeEachStore } from '../support/stores.js';
import { movableClock } from './support.js';

const T0 = Date.parse('2027-03-01T09:00:00.000Z');

const post = (name: string, language: string, links: string[] = []) =>
  normalizedItem({
    remoteId: `https://social.example/@shop/${name}`,
    url: `https://social.example/@shop/${name}`,
    text: name,
    links,
    createdAt: new Date(T0 + 60_000).toISOString(),
    language,
  });

/** New items enter every column of their stream; live events announce them only where the column's filters let them through. */
describeEachStore('column filters on live items', (current) => {
  let app: FastifyInstance;
  let owner: Person;
  const clock = movableClock(T0);
  const org = () => `/api/orgs/${owner.orgId}`;

  beforeEach(async () => {
    app = await buildTestServer(current().store, { clock });
    owner = await setUpOwner(app);
  });
  afterEach(() => app.close());

  it('announces an item only in the columns whose filters it passes, as reading them shows', async () => {
    const channelId: string = (await owner.client.post(`${org()}/channels`, { network: 'team', credentials: {} })).body.channel.id;
    const boardId: string = (await owner.client.post(`${org()}/boards`, { name: 'Main' })).body.board.id;
    const addColumn = async (title: string, filters: object) => {
      const column = await owner.client.post(`${org()}/boards/${boardId}/columns`, { kind: 'team', channelAccountId: channelId, title, filters });
      expect(column.status).toBe(201);
      return column.body.column.id as string;
    };
    const everything = await addColumn('everything', {});
    const japanese = await addColumn('japanese', { language: 'ja' });
    const linksNoLunch = await addColumn('links, no lunch', { hasLink: true, excludeKeywords: ['lunch'] });

    const stored = await storeIngestedBatch(app.store.db, {
      orgId: owner.orgId,
      channelAccountId: channelId,
      items: [post('english news', 'en', ['https://example.com/a']), post('日本語のお知らせ', 'ja'), post('lunch menu', 'en', ['https://example.com/lunch'])],
      columnIds: [everything, japanese, linksNoLunch],
      fetchedAt: clock().toISOString(),
    });
    expect(stored.memberships).toHaveLength(9);

    const scope = new OrgScope(app.store.db, owner.orgId, { userId: owner.userId, role: 'owner' }, clock);
    const live = await itemsForColumns(scope, stored.memberships);
    const announcedIn = (columnId: string) =>
      live
        .filter((view) => view.columnIds.includes(columnId))
        .map((view) => view.item.text)
        .sort();
    const readIn = async (columnId: string) =>
      ((await owner.client.get(`${org()}/columns/${columnId}/items`)).body.items as { text: string }[]).map((item) => item.text).sort();

    expect(announcedIn(everything)).toEqual(['english news', 'lunch menu', '日本語のお知らせ']);
    expect(announcedIn(japanese)).toEqual(['日本語のお知らせ']);
    expect(announcedIn(linksNoLunch)).toEqual(['english news']);
    for (const column of [everything, japanese, linksNoLunch]) expect(announcedIn(column)).toEqual(await readIn(column));
  });
});
