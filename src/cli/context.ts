import { loadConfig, type ChorusConfig, type ConfigOverrides } from '../config.js';
import { migrateToLatest } from '../app/migrations.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';

export interface StoreFlags {
  dataDir?: string;
  databaseUrl?: string;
  logLevel?: string;
  port?: string;
  host?: string;
}

/** The whole configuration, flags over environment; throws ConfigError (exit 2) on a bad value. */
export function configFromFlags(flags: StoreFlags): ChorusConfig {
  const overrides: ConfigOverrides = { dataDir: flags.dataDir, databaseUrl: flags.databaseUrl, logLevel: flags.logLevel, port: flags.port, host: flags.host };
  return loadConfig(overrides);
}

/** Opens the configured store, migrated, runs `work`, and always closes it. */
export async function withMigratedStore<T>(flags: StoreFlags, work: (store: Store, config: ChorusConfig) => Promise<T>): Promise<T> {
  const config = configFromFlags(flags);
  const store = openStore(config.databaseUrl);
  try {
    await migrateToLatest(store);
    return await work(store, config);
  } finally {
    await store.close();
  }
}
