/**
 * PostgreSQL tests run against CHORUS_TEST_PG_URL, by default the local server CI provides.
 * They are never skipped silently: an unreachable server fails the run. Setting the variable
 * to `off` is the one explicit way to run SQLite only (the README says so).
 */
export function testPostgresUrl(): string | null {
  const value = process.env.CHORUS_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  return value === 'off' ? null : value;
}
