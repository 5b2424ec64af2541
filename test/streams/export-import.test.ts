import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { exportOrg } from '../../src/ops/export/export.js';
import { importArchive } from '../../src/ops/export/import.js';
import { searchItems } from '../../src/streams/search/search.js';
import { storeIngestedBatch } from '../../src/streams/ingest.js';
import { buildTestServer, setUpOwner } from '../support/api-client.js';
import { describeEachStore, openTestStore, type TestStore } from '../support/stores.js';
import { benchItems } from '../../bench/ingest-fixtures.js';

/** Stored items survive a full export and import (into either dialect), stay searchable, and ingest carries on. */
describeEachStore('streams in an export', (current, dialect) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('keeps items, memberships and search, and later items still go in', async () => {
    const source: TestStore = await openTestStore('sqlite');
    cleanups.push(() => source.dispose());
    const app = await buildTestServer(source.store);
    cleanups.push(() => app.close());
    const owner = await setUpOwner(app);
    const org = `/api/orgs/${owner.orgId}`;
    const channel = await owner.client.post(`${org}/channels`, { network: 'team', credentials: {} });
    const board = await owner.client.post(`${org}/boards`, { name: 'B' });
    const column = await owner.client.post(`${org}/boards/${board.body.board.id}/columns`, { kind: 'team', channelAccountId: channel.body.channel.id });
    const batch = (items: ReturnType<typeof benchItems>) => ({
      orgId: owner.orgId,
      channelAccountId: channel.body.channel.id,
      items,
      columnIds: [column.body.column.id],
      fetchedAt: new Date().toISOString(),
    });
    await storeIngestedBatch(source.store.db, batch(benchItems(20)));

    const archive = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-streams-export-')), 'org.tar.gz');
    await exportOrg(source.store, owner.orgId, archive, { clock: () => new Date(), includePasswordHashes: true });
    const target = current();
    await importArchive(target.store, archive);
    fs.rmSync(path.dirname(archive), { recursive: true, force: true });

    expect(
      await target.store.db
        .selectFrom('column_items')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ).toEqual({ n: 20 });
    expect((await searchItems(target.store.db, dialect, owner.orgId, '障害', { limit: 50, before: null })).length).toBe(4);
    const later = await storeIngestedBatch(target.store.db, batch(benchItems(5, 20)));
    expect(later.newItemIds).toHaveLength(5);
    expect((await searchItems(target.store.db, dialect, owner.orgId, '障害から', { limit: 50, before: null })).length).toBe(5);
  });
});
