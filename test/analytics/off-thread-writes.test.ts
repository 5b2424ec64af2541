import { afterEach, beforeEach, expect, it } from 'vitest';
import { startClickRecorder } from '../../src/analytics/click-recorder.js';
import { openOffThreadWriter } from '../../src/store/off-thread-writes.js';
import { buildTestServer, setUpOwner } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';

describeEachStore('off-thread writes', (current, dialect) => {
  it(
    dialect === 'sqlite' ? 'commits clicks from a worker thread with its own connection, each click once' : 'are not needed: the store writes asynchronously',
    async () => {
      const writer = openOffThreadWriter(current().store);
      if (dialect === 'postgres') {
        expect(writer).toBeNull();
        return;
      }
      expect(writer).not.toBeNull();
      const app = await buildTestServer(current().store, { shortLinks: { offThreadWrites: false } });
      try {
        const owner = await setUpOwner(app);
        const link = (await owner.client.post(`/api/orgs/${owner.orgId}/links`, { url: 'https://example.com/' })).body.link;
        const recorder = startClickRecorder({ db: current().store.db, offThread: writer, flushEveryMs: 60_000 });
        const click = (i: number) => ({
          id: `click-${i}`,
          org_id: owner.orgId,
          link_id: link.id,
          post_id: null,
          network: null,
          campaign: null,
          contact_id: null,
          clicked_at: new Date().toISOString(),
          referrer_host: null,
          device: 'desktop',
          bot: 0,
        });
        for (let i = 0; i < 1200; i++) recorder.record(click(i));
        expect(await recorder.flush()).toBe(1200);
        // The same ids again (a flush repeated after an unclear failure) store nothing twice.
        for (let i = 1100; i < 1300; i++) recorder.record(click(i));
        await recorder.close();
        const rows = await current().store.db.selectFrom('link_clicks').select('id').execute();
        expect(rows).toHaveLength(1300);
        // A broken statement rolls the whole batch back and keeps it for the next flush.
        const broken = startClickRecorder({ db: current().store.db, offThread: writer, flushEveryMs: 60_000 });
        broken.record(click(5000));
        broken.record({ ...click(5001), link_id: 'no-such-link' });
        await expect(broken.flush()).rejects.toThrow(/FOREIGN KEY/);
        expect(broken.stats().pending).toBe(2);
        expect(await current().store.db.selectFrom('link_clicks').select('id').where('id', '=', 'click-5000').execute()).toEqual([]);
      } finally {
        await writer!.close();
        await app.close();
      }
    },
  );
});
