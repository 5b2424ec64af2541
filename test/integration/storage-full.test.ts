import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.js';
import { isStorageFull, RecentStorageFailures, STORAGE_FULL_MESSAGE } from '../../src/store/storage-full.js';
import { ApiClient, setUpOwner } from '../support/api-client.js';
import { openTestStore, type TestStore } from '../support/stores.js';

const NOTE = 'a note that takes room '.repeat(400);

/**
 * A full disk, reproduced exactly: SQLite's max_page_count set to the pages the database has
 * makes every write that needs a new page fail with SQLITE_FULL, as ENOSPC does.
 */
describe('a store that runs out of space [sqlite]', () => {
  let test: TestStore;
  let app: FastifyInstance;
  let lines: string[];
  beforeEach(async () => {
    test = await openTestStore('sqlite');
    lines = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    app = await buildServer({ store: test.store, webRoot: null, logger: pino({ level: 'info' }, sink) });
    await app.ready();
  });
  afterEach(async () => {
    await app.close();
    await test.dispose();
  });

  const pragma = async (statement: string) => (await sql.raw<Record<string, number>>(`pragma ${statement}`).execute(test.store.db)).rows[0];

  it('answers 507 storage_full, logs SQLITE_FULL (not the rollback error), is not ready until space returns, then recovers', async () => {
    const owner = await setUpOwner(app);
    const contacts = `/api/orgs/${owner.orgId}/contacts`;
    const contact = await owner.client.post(contacts, { displayName: 'Dana' });
    const notes = `${contacts}/${contact.body.contact.id}/notes`;
    expect((await new ApiClient(app).get('/readyz')).status).toBe(200);

    const pages = Number((await pragma('page_count'))!.page_count);
    await pragma(`max_page_count = ${pages}`);
    let full = await owner.client.post(notes, { body: NOTE });
    for (let attempt = 0; attempt < 100 && full.status === 201; attempt++) full = await owner.client.post(notes, { body: NOTE });
    expect(full.status, full.raw).toBe(507);
    expect(full.body).toEqual({ error: { code: 'storage_full', message: STORAGE_FULL_MESSAGE } });

    const logged = lines.map((line) => JSON.parse(line) as { msg: string; err?: { code?: string; message: string } });
    const failure = logged.find((l) => l.msg === 'store cannot write: storage is full');
    expect(failure?.err).toMatchObject({ code: 'SQLITE_FULL', message: 'database or disk is full' });
    expect(lines.join('\n')).not.toContain('cannot rollback');

    const notReady = await new ApiClient(app).get('/readyz');
    expect(notReady.status).toBe(503);
    expect(notReady.body).toMatchObject({
      status: 'not_ready',
      checks: { store: { ok: true }, migrations: { ok: true }, storage: { ok: false, detail: expect.stringContaining('SQLITE_FULL') } },
    });
    // Reads still work while writes cannot.
    expect((await owner.client.get(`${contacts}/${contact.body.contact.id}`)).status).toBe(200);

    await pragma(`max_page_count = ${pages + 10_000}`);
    const ready = await new ApiClient(app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks.storage).toEqual({ ok: true });
    expect((await owner.client.post(notes, { body: NOTE })).status).toBe(201);
  });
});

describe('storage full, on any store', () => {
  it('recognizes SQLITE_FULL, PostgreSQL 53100 disk_full, ENOSPC and EDQUOT, also as a cause', () => {
    const postgres = Object.assign(new pg.DatabaseError('could not extend file "base/16384/16417": No space left on device', 0, 'error'), { code: '53100' });
    expect(isStorageFull(postgres)).toBe(true);
    expect(isStorageFull(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }))).toBe(true);
    expect(isStorageFull(new Error('wrapped', { cause: Object.assign(new Error('no space'), { code: 'ENOSPC' }) }))).toBe(true);
    expect(isStorageFull(Object.assign(new Error('quota'), { code: 'EDQUOT' }))).toBe(true);
    for (const other of ['53200', '53300', 'SQLITE_BUSY', 'SQLITE_IOERR', 'ECONNREFUSED'])
      expect(isStorageFull(Object.assign(new Error(other), { code: other })), other).toBe(false);
    expect(isStorageFull('53100')).toBe(false);
  });

  it('answers a PostgreSQL disk_full with 507 and reports not ready for a while after it', async () => {
    const test = await openTestStore('sqlite');
    let now = 1_000_000;
    const watch = new RecentStorageFailures({ quietMs: 30_000, now: () => now });
    const app = await buildServer({ store: { ...test.store, storage: watch }, webRoot: null });
    app.post('/api/test/disk-full', { config: { public: true } }, async () => {
      throw Object.assign(new pg.DatabaseError('could not extend file "base/16384/16417": No space left on device', 0, 'error'), { code: '53100' });
    });
    try {
      const res = await app.inject({ method: 'POST', url: '/api/test/disk-full' });
      expect(res.statusCode).toBe(507);
      expect(res.json()).toEqual({ error: { code: 'storage_full', message: STORAGE_FULL_MESSAGE } });
      const notReady = await app.inject({ method: 'GET', url: '/readyz' });
      expect(notReady.statusCode).toBe(503);
      expect(notReady.json().checks.storage).toEqual({ ok: false, detail: expect.stringContaining('53100: could not extend file') });
      now += 30_000;
      expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    } finally {
      await app.close();
      await test.dispose();
    }
  });
});
