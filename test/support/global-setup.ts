import pg from 'pg';
import { resolveChromium } from '../e2e/support/chromium.js';
import { startThrowawayPostgres } from './embedded-postgres.js';

export default async function setUp(): Promise<(() => Promise<void>) | undefined> {
  // Unpacked once here: test files unpacking it in parallel would race on the same file.
  process.env.CHORUS_CHROMIUM = await resolveChromium();
  return setUpPostgres();
}

/**
 * Makes sure the PostgreSQL half of the suite has a server: the one CHORUS_TEST_PG_URL names
 * (it must answer), or, when the variable is unset, a throwaway one started here and stopped
 * when the run ends. Test processes inherit the variable.
 */
async function setUpPostgres(): Promise<(() => Promise<void>) | undefined> {
  const named = process.env.CHORUS_TEST_PG_URL;
  if (named === 'off') {
    console.warn('\n*** CHORUS_TEST_PG_URL=off: PostgreSQL tests are NOT running (SQLite only). ***\n');
    return undefined;
  }
  if (named) {
    await checkReachable(named, 'Start it, unset CHORUS_TEST_PG_URL to let the tests start their own, or set it to off to run SQLite only.');
    return undefined;
  }
  const server = await startThrowawayPostgres();
  process.env.CHORUS_TEST_PG_URL = server.url;
  console.warn(`\n*** PostgreSQL tests run on a throwaway server started for this run: ${server.url} ***\n`);
  await checkReachable(server.url, 'The throwaway server started but does not answer.');
  return () => server.stop();
}

async function checkReachable(url: string, advice: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new Error(`PostgreSQL for tests is unreachable at ${url} (${(error as Error).message}). ${advice}`);
  } finally {
    await client.end().catch(() => {});
  }
}
