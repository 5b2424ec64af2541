import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.js';
import { RequestFingerprinter } from '../../src/idempotency/request-fingerprint.js';
import { ABANDONED_AFTER_MS, KEY_LIFETIME_MS, pruneExpiredKeys, reserveKey } from '../../src/idempotency/reservations.js';
import type { Database } from '../../src/store/database.js';
import type { Store } from '../../src/store/store.js';
import { invitePerson, setUpOwner, type ApiResponse, type Person } from '../support/api-client.js';
import { ConnectionLoss } from '../support/connection-loss.js';
import { describeEachStore } from '../support/stores.js';
import { CREATE_ROUTES } from './create-routes.js';

const SECRET_KEY = 'idempotency-test-secret-key-0123456789';

const rowsOf = async (store: Store, table: keyof Database): Promise<number> =>
  Number(
    (
      await store.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const keyed = (person: Person, url: string, body: unknown, key: string): Promise<ApiResponse> =>
  person.client.request('POST', url, body, { 'idempotency-key': key });

/** Waits until `check` holds: for bookkeeping the server finishes in the background after an outage. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await sleep(50);
}

describeEachStore('Idempotency-Key on create routes', (current) => {
  let app: FastifyInstance;
  let loss: ConnectionLoss;
  let owner: Person;
  let now: Date;

  beforeEach(async () => {
    now = new Date('2027-05-10T09:00:00Z');
    loss = new ConnectionLoss(current().store);
    app = await buildServer({ store: loss.store, webRoot: null, clock: () => now, secretKey: SECRET_KEY });
    owner = await setUpOwner(app);
  });
  afterEach(async () => {
    loss.restore();
    await app.close();
  });

  const contacts = (person: Person) => `/api/orgs/${person.orgId}/contacts`;
  const contactRows = () => rowsOf(current().store, 'contacts');

  for (const route of CREATE_ROUTES) {
    it(`${route.name}: the same key twice is one effect, and the repeat gets the first answer`, async () => {
      const { url, body } = await route.prepare(owner);
      const before = await rowsOf(current().store, route.table);
      const first = await keyed(owner, url, body, `key-${route.table}`);
      const repeat = await keyed(owner, url, body, `key-${route.table}`);
      expect(first.status, first.raw).toBe(route.status);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(repeat.status).toBe(first.status);
      expect(repeat.raw).toBe(first.raw);
      expect(repeat.headers['idempotent-replayed']).toBe('true');
      expect(repeat.headers['content-type']).toBe(first.headers['content-type']);
      expect(await rowsOf(current().store, route.table)).toBe(before + route.rows);
    });
  }

  it('refuses the same key with a different body (422 idempotency_key_reused), and writes nothing', async () => {
    expect((await keyed(owner, contacts(owner), { displayName: 'Aiko' }, 'k1')).status).toBe(201);
    const changed = await keyed(owner, contacts(owner), { displayName: 'Aiko Tanaka' }, 'k1');
    expect(changed.status).toBe(422);
    expect(changed.body.error.code).toBe('idempotency_key_reused');
    expect(await contactRows()).toBe(1);
  });

  it('treats the same key on another route, or in another org, as a different request', async () => {
    expect((await keyed(owner, contacts(owner), { name: 'Launch' }, 'k2')).status).toBe(400);
    expect((await keyed(owner, `/api/orgs/${owner.orgId}/boards`, { name: 'Launch' }, 'k2')).status).toBe(201);
    expect((await keyed(owner, `/api/orgs/${owner.orgId}/team-feed/groups`, { name: 'Launch' }, 'k2')).body.error.code).toBe('idempotency_key_reused');
    const other = await owner.client.post('/api/orgs', { name: 'Second shop' });
    const elsewhere = await keyed(owner, `/api/orgs/${other.body.org.id}/boards`, { name: 'Launch' }, 'k2');
    expect(elsewhere.body.error.code).toBe('idempotency_key_reused');
    expect(await rowsOf(current().store, 'boards')).toBe(1);
  });

  it("scopes keys to the caller: another member's request with the same key is a request of its own", async () => {
    const editor = await invitePerson(owner, 'Eddie Editor', 'editor');
    const mine = await keyed(owner, contacts(owner), { displayName: 'Aiko' }, 'shared-key');
    const theirs = await keyed(editor, contacts(owner), { displayName: 'Aiko' }, 'shared-key');
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.body.contact.id).not.toBe(mine.body.contact.id);
    expect(await contactRows()).toBe(2);
  });

  it('forgets a key after 24 hours: the same key is then a new request, and pruning deletes the old row', async () => {
    const first = await keyed(owner, contacts(owner), { displayName: 'Aiko' }, 'daily');
    now = new Date(now.getTime() + KEY_LIFETIME_MS - 1);
    expect((await keyed(owner, contacts(owner), { displayName: 'Aiko' }, 'daily')).raw).toBe(first.raw);
    expect(await pruneExpiredKeys(current().store.db, () => now)).toBe(0);

    now = new Date(now.getTime() + 2);
    const again = await keyed(owner, contacts(owner), { displayName: 'Aiko' }, 'daily');
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(await contactRows()).toBe(2);

    expect((await keyed(owner, contacts(owner), { displayName: 'Ben' }, 'other')).status).toBe(201);
    now = new Date(now.getTime() + KEY_LIFETIME_MS + 1);
    expect(await pruneExpiredKeys(current().store.db, () => now)).toBe(2);
    expect(await rowsOf(current().store, 'idempotency_keys')).toBe(0);
  });

  it('runs concurrent duplicates once: one request creates, the others get 409 idempotency_in_progress or its answer', async () => {
    const responses = await Promise.all(Array.from({ length: 6 }, () => keyed(owner, contacts(owner), { displayName: 'Aiko' }, 'race')));
    expect(await contactRows()).toBe(1);
    const created = responses.filter((r) => r.status === 201);
    expect(created.filter((r) => r.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
    expect(new Set(created.map((r) => r.raw)).size).toBe(1);
    for (const busy of responses.filter((r) => r.status !== 201)) {
      expect(busy.status).toBe(409);
      expect(busy.body.error.code).toBe('idempotency_in_progress');
      expect(busy.headers['retry-after']).toBe('1');
    }
  });

  it('behaves as before without the header, and ignores it on routes that do not take it', async () => {
    await owner.client.post(contacts(owner), { displayName: 'Aiko' });
    const second = await owner.client.post(contacts(owner), { displayName: 'Aiko' });
    expect(second.status).toBe(201);
    expect(await contactRows()).toBe(2);
    const rename = (name: string) =>
      owner.client.request('PATCH', `${contacts(owner)}/${second.body.contact.id}`, { displayName: name }, { 'idempotency-key': 'not-here' });
    expect((await rename('Aiko T.')).body.contact.displayName).toBe('Aiko T.');
    expect((await rename('Aiko Tanaka')).body.contact.displayName).toBe('Aiko Tanaka');
    expect(await rowsOf(current().store, 'idempotency_keys')).toBe(0);
  });

  it('refuses a key that is empty, longer than 255 characters or not visible ASCII (400), before anything runs', async () => {
    for (const key of ['', 'x'.repeat(256), 'two words', 'tab\there']) {
      const refused = await keyed(owner, contacts(owner), { displayName: 'Aiko' }, key);
      expect(refused.status, JSON.stringify(key)).toBe(400);
      expect(refused.body.error.code).toBe('invalid_idempotency_key');
    }
    expect((await keyed(owner, contacts(owner), { displayName: 'Aiko' }, 'x'.repeat(255))).status).toBe(201);
    expect(await contactRows()).toBe(1);
  });

  it('keeps refusals: a 404 is answered again as it was, without running again', async () => {
    const url = `${contacts(owner)}/00000000-0000-4000-8000-000000000000/notes`;
    const first = await keyed(owner, url, { body: 'Call back' }, 'note-1');
    const repeat = await keyed(owner, url, { body: 'Call back' }, 'note-1');
    expect(first.status).toBe(404);
    expect(repeat.status).toBe(404);
    expect(repeat.raw).toBe(first.raw);
    expect(repeat.headers['idempotent-replayed']).toBe('true');
  });

  it('does not keep a 503: after the outage, the same key runs the request, once', async () => {
    loss.loseConnection('at-write', 'contacts');
    const failed = await keyed(owner, contacts(owner), { displayName: 'Aiko' }, 'outage');
    expect(failed.status).toBe(503);
    loss.restore();
    // The release was refused by the lost connection too; the server writes it once the store is back.
    await eventually(async () => (await rowsOf(current().store, 'idempotency_keys')) === 0);

    const retried = await keyed(owner, contacts(owner), { displayName: 'Aiko' }, 'outage');
    expect(retried.status).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    const again = await keyed(owner, contacts(owner), { displayName: 'Aiko' }, 'outage');
    expect(again.raw).toBe(retried.raw);
    expect(await contactRows()).toBe(1);
  });

  it('answers a committed create even when its answer cannot be stored, and the repeat gets that answer, not a second row', async () => {
    loss.loseConnection('after-commit', 'contacts');
    const first = await keyed(owner, contacts(owner), { displayName: 'Aiko' }, 'lost-answer');
    expect(first.status).toBe(201);
    loss.restore();
    await eventually(async () => (await current().store.db.selectFrom('idempotency_keys').select('status').executeTakeFirst())?.status === 201);
    const repeat = await keyed(owner, contacts(owner), { displayName: 'Aiko' }, 'lost-answer');
    expect(repeat.raw).toBe(first.raw);
    expect(repeat.headers['idempotent-replayed']).toBe('true');
    expect(await contactRows()).toBe(1);
  });

  it('holds a key for a request that died without an answer until it is abandoned, then lets a repeat take it over', async () => {
    const body = { displayName: 'Aiko' };
    const requestHash = new RequestFingerprinter(SECRET_KEY).fingerprint({
      method: 'POST',
      route: '/api/orgs/:orgId/contacts',
      params: { orgId: owner.orgId },
      body,
    });
    // What a request leaves behind when its process dies mid-way: a reservation and no answer.
    expect(await reserveKey(current().store.db, () => now, { userId: owner.userId, key: 'orphan' }, { requestHash, orgId: owner.orgId })).toMatchObject({
      kind: 'reserved',
    });

    now = new Date(now.getTime() + ABANDONED_AFTER_MS - 1);
    expect((await keyed(owner, contacts(owner), body, 'orphan')).body.error.code).toBe('idempotency_in_progress');
    expect(await contactRows()).toBe(0);

    now = new Date(now.getTime() + 2);
    const takenOver = await keyed(owner, contacts(owner), body, 'orphan');
    expect(takenOver.status).toBe(201);
    expect((await keyed(owner, contacts(owner), body, 'orphan')).raw).toBe(takenOver.raw);
    expect(await contactRows()).toBe(1);
  });

  it('stores answers sealed: an invitation link is not readable from the table', async () => {
    const invited = await keyed(owner, `/api/orgs/${owner.orgId}/invitations`, { role: 'editor' }, 'invite-1');
    const stored = await current().store.db.selectFrom('idempotency_keys').selectAll().executeTakeFirstOrThrow();
    expect(stored.body).not.toContain(invited.body.token);
    expect(stored.request_hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await keyed(owner, `/api/orgs/${owner.orgId}/invitations`, { role: 'editor' }, 'invite-1')).body.token).toBe(invited.body.token);
  });

  it("deletes an org's stored answers with the org", async () => {
    const other = await owner.client.post('/api/orgs', { name: 'Short-lived' });
    await keyed(owner, `/api/orgs/${other.body.org.id}/boards`, { name: 'Temp' }, 'in-other-org');
    await keyed(owner, contacts(owner), { displayName: 'Aiko' }, 'in-first-org');
    expect((await owner.client.delete(`/api/orgs/${other.body.org.id}`)).status).toBe(204);
    expect((await current().store.db.selectFrom('idempotency_keys').select('key').execute()).map((r) => r.key)).toEqual(['in-first-org']);
  });
});
