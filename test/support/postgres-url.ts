/**
 * PostgreSQL tests run against CHORUS_TEST_PG_URL. When it is unset, the test run's global setup
 * starts a throwaway server from npm-shipped binaries and sets it for every test process.
 * A server that was named and is unreachable fails the run; it is never skipped silently.
 * Setting the variable to `off` is the one explicit way to run SQLite only (the README says so).
 */
export function testPostgresUrl(): string | null {
  const value = process.env.CHORUS_TEST_PG_URL;
  if (value === undefined || value === '') throw new Error('CHORUS_TEST_PG_URL is unset: the global setup (test/support/global-setup.ts) did not run');
  return value === 'off' ? null : value;
}
