import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { expect, it } from 'vitest';
import { isStoreUnavailable } from '../../src/store/outage.js';
import { openTestStore } from '../support/stores.js';
import { testPostgresUrl } from '../support/postgres-url.js';

it('survives the server dropping a connection in the middle of a transaction (no crash, the transaction fails as an outage)', async () => {
  const test = await openTestStore('postgres');
  const admin = new pg.Client({ connectionString: testPostgresUrl()! });
  await admin.connect();
  try {
    const failed = test.store.db.transaction().execute(async (tx) => {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx);
      // Between two queries of the transaction, the server goes away (a failover looks like this).
      await admin.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
      await sleep(300);
      await sql`select 1`.execute(tx);
    });
    const error = await failed.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).not.toBeNull();
    expect(isStoreUnavailable(error)).toBe(true);
    // The pool hands out a fresh connection afterwards.
    expect((await sql<{ one: number }>`select 1 as one`.execute(test.store.db)).rows[0]!.one).toBe(1);
  } finally {
    await admin.end();
    await test.dispose();
  }
});
