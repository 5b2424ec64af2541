import { createRequire } from 'node:module';
import type pg from 'pg';

let loaded: typeof pg | undefined;

/**
 * The pg driver, loaded on first use: it costs ~80 ms of start-up, and a server on embedded
 * SQLite never needs it. COUNT(*) and BIGINT come back as strings by default; our values fit
 * in a double, so they are parsed as numbers for every pool and client.
 */
export function loadPg(): typeof pg {
  if (!loaded) {
    const driver = createRequire(import.meta.url)('pg') as typeof pg;
    driver.types.setTypeParser(driver.types.builtins.INT8, (value) => Number(value));
    loaded = driver;
  }
  return loaded;
}
