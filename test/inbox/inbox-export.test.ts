/** The inbox's tables travel in the org export and come back identical on both stores. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { exportOrg } from '../../src/ops/export/export.js';
import { importArchive } from '../../src/ops/export/import.js';
import { ApiClient, PASSWORD, buildTestServer, invitePerson, setUpOwner } from '../support/api-client.js';
import { openTestStore, testDialects } from '../support/stores.js';
import { blueskyPost, ingestAndCollect, offlineBlueskyAccount } from './support.js';

const clock = () => new Date();
let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-inbox-export-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

async function tables(archive: string): Promise<Record<string, string>> {
  const dir = fs.mkdtempSync(path.join(work, 'unpacked-'));
  await tar.x({ file: archive, cwd: dir });
  return Object.fromEntries(fs.readdirSync(path.join(dir, 'tables')).map((name) => [name, fs.readFileSync(path.join(dir, 'tables', name), 'utf8')]));
}

for (const dialect of testDialects()) {
  it(`conversations, messages, inbox settings and saved views round-trip SQLite → ${dialect}`, async () => {
    const source = await openTestStore('sqlite');
    const target = await openTestStore(dialect);
    try {
      const app = await buildTestServer(source.store);
      const owner = await setUpOwner(app, 'Olivia Owner', 'Acme 株式会社');
      const editor = await invitePerson(owner, 'Eddie Editor', 'editor');
      const org = `/api/orgs/${owner.orgId}`;
      const account = await offlineBlueskyAccount(app, owner.orgId);
      // A reply to one of our posts: what ties the conversation to a campaign goes with it.
      const ourPost = 'at://did:plc:acme/app.bsky.feed.post/ours';
      const mention = blueskyPost('carol.test', '@acme.test 予約の件です', { replyTo: ourPost });
      const [conversationId] = await ingestAndCollect(app, owner.orgId, account, [mention]);
      await ingestAndCollect(app, owner.orgId, account, [blueskyPost('carol.test', '追伸', { replyTo: mention.remoteId })]);
      await owner.client.patch(`${org}/conversations/${conversationId}`, { assigneeUserId: editor.userId, tags: ['予約'], status: 'pending' });
      await owner.client.patch(`${org}/inbox/settings`, { slaMinutes: 90 });
      expect((await editor.client.post(`${org}/inbox/views`, { name: '予約', filters: { tag: '予約', assignee: 'me' }, notify: true })).status).toBe(201);
      await app.close();

      const first = path.join(work, `first-${dialect}.tar.gz`);
      const manifest = await exportOrg(source.store, owner.orgId, first, { clock, includePasswordHashes: true });
      expect(Object.fromEntries(manifest.tables.map((t) => [t.name, t.rows]))).toMatchObject({
        conversations: 1,
        conversation_messages: 2,
        inbox_settings: 1,
        inbox_views: 1,
        contacts: 1,
      });
      await importArchive(target.store, first);
      const second = path.join(work, `second-${dialect}.tar.gz`);
      await exportOrg(target.store, owner.orgId, second, { clock, includePasswordHashes: true });
      const [a, b] = [await tables(first), await tables(second)];
      expect(b).toEqual(a);
      expect(a['conversations.jsonl']).toContain('予約');
      expect(a['conversations.jsonl']).toContain(ourPost);

      // The imported inbox works: the conversation, its thread and the editor's view are there.
      const imported = await buildTestServer(target.store);
      const signedIn = new ApiClient(imported);
      expect((await signedIn.post('/api/session', { email: 'olivia@example.com', password: PASSWORD })).status).toBe(200);
      const page = (await signedIn.get(`${org}/conversations?tag=予約`)).body;
      expect(page.conversations).toEqual([expect.objectContaining({ id: conversationId, status: 'pending', assigneeUserId: editor.userId })]);
      expect((await signedIn.get(`${org}/conversations/${conversationId}`)).body.messages).toHaveLength(2);
      await imported.close();
    } finally {
      await source.dispose();
      await target.dispose();
    }
  });
}
