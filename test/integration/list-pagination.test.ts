import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildTestServer, setUpOwner, type Person } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';

/** Walks a list with `before`/`nextCursor` (docs/api.md#pagination) and returns every id it was handed. */
async function walk(owner: Person, path: string, key: string, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let before: string | null = null;
  let pages = 0;
  do {
    const answer: { status: number; body: any } = await owner.client.get(`${path}?limit=${limit}${before ? `&before=${encodeURIComponent(before)}` : ''}`);
    expect(answer.status).toBe(200);
    ids.push(...answer.body[key].map((row: { id: string }) => row.id));
    before = answer.body.nextCursor;
    pages += 1;
  } while (before !== null && pages < 50);
  return { ids, pages };
}

describeEachStore('the notifications and the audit log page like every other list', (current) => {
  let app: FastifyInstance;
  let owner: Person;
  beforeEach(async () => {
    app = await buildTestServer(current().store);
    owner = await setUpOwner(app);
  });
  afterEach(() => app.close());

  it('hands out every notification once across pages, newest first, ties broken by id', async () => {
    // Seven notes, four of them at the same instant: the cursor must not skip or repeat a tie.
    const at = (minute: number) => new Date(Date.UTC(2026, 11, 5, 9, minute)).toISOString();
    const rows = [0, 1, 2, 2, 2, 2, 3].map((minute, index) => ({
      id: `note-${index}`,
      org_id: owner.orgId,
      user_id: owner.userId,
      kind: 'test',
      title: `Note ${index}`,
      body: '',
      link: null,
      created_at: at(minute),
      read_at: null,
    }));
    await current().store.db.insertInto('notifications').values(rows).execute();
    const path = `/api/orgs/${owner.orgId}/notifications`;
    const all = (await owner.client.get(`${path}?limit=200`)).body;
    expect(all.nextCursor).toBeNull();
    expect(all.unread).toBe(7);
    const walked = await walk(owner, path, 'notifications', 2);
    expect(walked.ids).toEqual(all.notifications.map((n: { id: string }) => n.id));
    expect(new Set(walked.ids).size).toBe(7);
    expect(walked.pages).toBe(4);
  });

  it('pages the audit log and refuses a cursor it did not give out', async () => {
    for (const name of ['Acme 1', 'Acme 2', 'Acme 3', 'Acme 4']) await owner.client.patch(`/api/orgs/${owner.orgId}`, { name });
    const path = `/api/orgs/${owner.orgId}/audit`;
    const all = (await owner.client.get(`${path}?limit=500`)).body;
    expect(all.events.length).toBeGreaterThanOrEqual(5);
    const walked = await walk(owner, path, 'events', 2);
    expect(walked.ids).toEqual(all.events.map((e: { id: string }) => e.id));

    const forged = await owner.client.get(`${path}?before=not-a-cursor`);
    expect(forged.status).toBe(400);
    expect(forged.body.error.code).toBe('bad_cursor');
  });
});
