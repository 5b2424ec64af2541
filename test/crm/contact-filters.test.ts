import type { FastifyInstance } from 'fastify';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildTestServer, invitePerson, setUpOwner, type ApiResponse, type Person } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';

interface Seeded {
  id: string;
  name: string;
  stage: string;
  ownerUserId: string | null;
  score: number;
  tags: string[];
}

describeEachStore('contacts list filters', (current) => {
  let app: FastifyInstance;
  let owner: Person;
  let editor: Person;
  let seeded: Seeded[];
  const url = (p: Person) => `/api/orgs/${p.orgId}/contacts`;

  beforeEach(async () => {
    app = await buildTestServer(current().store);
    owner = await setUpOwner(app);
    editor = await invitePerson(owner, 'Eddie Editor', 'editor');
    seeded = [];
    for (let i = 0; i < 24; i++) {
      // Six share one name, so the cursor's tie-break on id is exercised inside a filtered list.
      const name = i % 4 === 0 ? 'Same Name' : `Person ${String(i).padStart(2, '0')}`;
      const tags = i % 3 === 0 ? ['vip'] : [];
      const made = await editor.client.post(url(editor), { displayName: name, tags });
      expect(made.status, made.raw).toBe(201);
      const id = made.body.contact.id as string;
      const stage = i % 5 === 0 ? 'customer' : 'lead';
      const ownerUserId = i % 2 === 0 ? editor.userId : i % 7 === 0 ? null : owner.userId;
      const changed = await editor.client.patch(`${url(editor)}/${id}/pipeline`, { stage, ownerUserId });
      expect(changed.status, changed.raw).toBe(200);
      // Scores come from interactions; the filter only reads the stored number.
      const score = (i * 7) % 50;
      await app.store.db.updateTable('contacts').set({ score }).where('id', '=', id).execute();
      seeded.push({ id, name, stage, ownerUserId, score, tags });
    }
  });
  afterEach(() => app.close());

  /** Every page of a query, following nextCursor; fails on a page that comes back twice. */
  async function allPages(person: Person, query: string, limit: number): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let before: string | null = null;
    let pages = 0;
    do {
      const res: ApiResponse = await person.client.get(`${url(person)}?${query}&limit=${limit}${before ? `&before=${before}` : ''}`);
      expect(res.status, res.raw).toBe(200);
      ids.push(...res.body.contacts.map((c: { id: string }) => c.id));
      before = res.body.nextCursor;
      pages++;
      expect(pages).toBeLessThan(50);
    } while (before);
    return { ids, pages };
  }

  /** The seeded contacts that match, in list order (name, then id). */
  const expected = (match: (c: Seeded) => boolean) =>
    seeded
      .filter(match)
      .sort((a, b) => (a.name.toLowerCase() === b.name.toLowerCase() ? (a.id < b.id ? -1 : 1) : a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1))
      .map((c) => c.id);

  it('pages through a filtered list longer than a page and gets each matching contact exactly once', async () => {
    const want = expected((c) => c.stage === 'lead' && c.ownerUserId === editor.userId && c.score >= 10);
    expect(want.length).toBeGreaterThan(4);
    const { ids, pages } = await allPages(editor, 'stage=lead&owner=me&minScore=10', 3);
    expect(ids).toEqual(want);
    expect(new Set(ids).size).toBe(ids.length);
    expect(pages).toBeGreaterThan(1);
  });

  it('combines stage, owner and score with q and tag, and answers with the pipeline fields', async () => {
    const res = await editor.client.get(`${url(editor)}?owner=${owner.userId}&limit=100`);
    expect(res.body.contacts.map((c: { id: string }) => c.id)).toEqual(expected((c) => c.ownerUserId === owner.userId));
    expect(res.body.contacts[0]).toMatchObject({ ownerUserId: owner.userId, ownerName: 'Olivia Owner', stage: expect.any(String), score: expect.any(Number) });

    const nobody = await allPages(editor, 'owner=none', 2);
    expect(nobody.ids).toEqual(expected((c) => c.ownerUserId === null));
    expect(nobody.ids.length).toBeGreaterThan(0);

    const customers = await allPages(owner, 'stage=customer&tag=VIP', 1);
    expect(customers.ids).toEqual(expected((c) => c.stage === 'customer' && c.tags.includes('vip')));

    const named = await allPages(owner, 'q=same&minScore=20', 2);
    expect(named.ids).toEqual(expected((c) => c.name === 'Same Name' && c.score >= 20));
    expect(named.ids.length).toBeGreaterThan(0);

    // "me" is whoever asks.
    expect((await allPages(owner, 'owner=me', 100)).ids).toEqual(expected((c) => c.ownerUserId === owner.userId));
  });

  it('refuses a stage the org does not have and a score that is not a whole number', async () => {
    const unknown = await editor.client.get(`${url(editor)}?stage=prospect`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('unknown_stage');
    expect(unknown.body.error.message).toContain('prospect');
    expect((await editor.client.get(`${url(editor)}?minScore=ten`)).status).toBe(400);
    expect((await editor.client.get(`${url(editor)}?minScore=1.5`)).status).toBe(400);
    expect((await editor.client.get(`${url(editor)}/export.csv?stage=prospect`)).status).toBe(400);
  });

  it('exports the same filtered contacts as CSV, with stage, owner and score', async () => {
    const res = await editor.client.get(`${url(editor)}/export.csv?stage=lead&owner=me&minScore=10`);
    expect(res.status).toBe(200);
    const rows = parse(res.raw.slice(1)) as string[][];
    expect(rows[0]!.slice(-3)).toEqual(['stage', 'owner', 'score']);
    const want = seeded.filter((c) => c.stage === 'lead' && c.ownerUserId === editor.userId && c.score >= 10);
    expect(rows.length - 1).toBe(want.length);
    for (const row of rows.slice(1)) expect(row.slice(-3, -1)).toEqual(['lead', 'Eddie Editor']);
    expect(
      rows
        .slice(1)
        .map((r) => Number(r.at(-1)))
        .sort((a, b) => a - b),
    ).toEqual(want.map((c) => c.score).sort((a, b) => a - b));
  });
});
