import { sql } from 'kysely';
import type { Store } from '../../store/store.js';
import type { Probe } from './components.js';

/** The store is up when it answers a query. */
export const storeComponent =
  (store: Store): Probe =>
  async () => {
    await sql`select 1`.execute(store.db);
    return { ok: true, detail: store.dialect };
  };
