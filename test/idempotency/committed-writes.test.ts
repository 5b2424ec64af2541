import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.js';
import type { Database } from '../../src/store/database.js';
import type { Store } from '../../src/store/store.js';
import { setUpOwner, type Person } from '../support/api-client.js';
import { ConnectionLoss } from '../support/connection-loss.js';
import { describeEachStore } from '../support/stores.js';
import { CREATE_ROUTES } from './create-routes.js';

const rowsOf = async (store: Store, table: keyof Database): Promise<number> =>
  Number(
    (
      await store.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/**
 * "A write that committed must never answer 5xx": the connection to the database is lost the
 * moment a create's write commits. The create must still answer with what it wrote, because a
 * 503 tells the client to retry, and the retry would write a second row.
 */
describeEachStore('a create whose connection is lost right after its commit', (current) => {
  let app: FastifyInstance;
  let loss: ConnectionLoss;
  let owner: Person;

  beforeEach(async () => {
    loss = new ConnectionLoss(current().store);
    app = await buildServer({ store: loss.store, webRoot: null });
    owner = await setUpOwner(app);
  });
  afterEach(async () => {
    loss.restore();
    await app.close();
  });

  for (const route of CREATE_ROUTES) {
    it(`answers ${route.status} for ${route.name}, from what it wrote`, async () => {
      const { url, body } = await route.prepare(owner);
      const before = await rowsOf(current().store, route.table);

      loss.loseConnection('after-commit', route.watch ?? route.table);
      const response = await owner.client.post(url, body);
      expect(loss.isLost, 'the connection was lost after the commit').toBe(true);
      loss.restore();

      expect(response.status, response.raw).toBe(route.status);
      expect(await rowsOf(current().store, route.table)).toBe(before + route.rows);
    });
  }

  it('answers 503 when the connection is lost before the commit, and nothing was written', async () => {
    const route = CREATE_ROUTES.find((r) => r.name === 'a post, published now')!;
    const { url, body } = await route.prepare(owner);
    loss.loseConnection('at-write', 'post_targets');
    const response = await owner.client.post(url, body);
    loss.restore();
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.body.error.code).toBe('store_unavailable');
    expect(await rowsOf(current().store, 'posts')).toBe(0);
  });
});
