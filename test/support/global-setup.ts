import pg from 'pg';
import { testPostgresUrl } from './postgres-url.js';

export default async function checkPostgresReachable(): Promise<void> {
  const url = testPostgresUrl();
  if (!url) {
    console.warn('\n*** CHORUS_TEST_PG_URL=off: PostgreSQL tests are NOT running (SQLite only). ***\n');
    return;
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new Error(`PostgreSQL for tests is unreachable at ${url} (${(error as Error).message}). Start it, point CHORUS_TEST_PG_URL at one, or set CHORUS_TEST_PG_URL=off to run SQLite only.`);
  } finally {
    await client.end().catch(() => {});
  }
}
