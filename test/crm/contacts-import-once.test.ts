/** The contacts CSV import takes an Idempotency-Key: a double-click or a retry imports once. */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildTestServer, setUpOwner, type ApiResponse, type Person } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';

const CSV = 'Name,Email,Phone,Tags\nKenji Ito,kenji@example.org,+81 3-1111-2222,vip\nYuki Abe,yuki@example.org,,\nNo Mail Taro,,,\n';

describeEachStore('contacts CSV import, exactly once', (current) => {
  let app: FastifyInstance;
  let owner: Person;
  let url: string;
  beforeEach(async () => {
    app = await buildTestServer(current().store);
    owner = await setUpOwner(app);
    url = `/api/orgs/${owner.orgId}/contacts/import`;
  });
  afterEach(() => app.close());

  const keyed = (body: unknown, key: string): Promise<ApiResponse> => owner.client.request('POST', url, body, { 'idempotency-key': key });
  const contactNames = async () =>
    ((await owner.client.get(`/api/orgs/${owner.orgId}/contacts`)).body.contacts as { displayName: string }[]).map((c) => c.displayName).sort();

  it('two concurrent imports with one key create each contact once, and the second gets the first answer', async () => {
    const body = { csv: CSV, mode: 'import' };
    const [a, b] = await Promise.all([keyed(body, 'import-1'), keyed(body, 'import-1')]);
    const first = [a, b].find((r) => r.status === 200 && r.headers['idempotent-replayed'] === undefined)!;
    expect(first, `${a.status} ${a.raw} / ${b.status} ${b.raw}`).toBeDefined();
    expect(first.body).toMatchObject({ imported: true, created: 3, updated: 0 });
    // The other one either waited for the answer or was told the first still runs; its retry then replays the answer.
    let second = first === a ? b : a;
    if (second.status === 409) {
      expect(second.body.error.code).toBe('idempotency_in_progress');
      second = await keyed(body, 'import-1');
    }
    expect(second.status).toBe(200);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.raw).toBe(first.raw);

    expect(await contactNames()).toEqual(['Kenji Ito', 'No Mail Taro', 'Yuki Abe']);
    const kenji = (await owner.client.get(`/api/orgs/${owner.orgId}/contacts?q=kenji`)).body.contacts[0];
    expect((await owner.client.get(`/api/orgs/${owner.orgId}/contacts/${kenji.id}/pipeline`)).body.pipeline.phones).toEqual(['+81 3-1111-2222']);
  });

  it('refuses the same key with other options (422 idempotency_key_reused) and imports nothing more; a new key is a new import', async () => {
    expect((await keyed({ csv: CSV, mode: 'import' }, 'import-2')).status).toBe(200);
    const changed = await keyed({ csv: CSV, mode: 'import', mapping: { Phone: 'ignore' } }, 'import-2');
    expect(changed.status).toBe(422);
    expect(changed.body.error.code).toBe('idempotency_key_reused');

    const again = await keyed({ csv: CSV, mode: 'import' }, 'import-3');
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    // Rows with an email update their contact; the row without one is a new contact.
    expect(again.body).toMatchObject({ imported: true, created: 1, updated: 2 });
    expect(await contactNames()).toEqual(['Kenji Ito', 'No Mail Taro', 'No Mail Taro', 'Yuki Abe']);
  });
});
