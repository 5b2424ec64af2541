import { migrateToLatest, migrationStatus } from '../app/migrations.js';
import { openStore } from '../store/open.js';
import { configFromFlags, type StoreFlags } from './context.js';

/** `chorus migrate`: apply pending migrations, or with --status only list them. */
export async function runMigrate(flags: StoreFlags & { status?: boolean }): Promise<void> {
  const config = configFromFlags(flags);
  const store = openStore(config.databaseUrl);
  try {
    if (flags.status) {
      const status = await migrationStatus(store);
      console.log(`store: ${store.description}`);
      for (const name of status.applied) console.log(`  applied  ${name}`);
      for (const name of status.pending) console.log(`  pending  ${name}`);
      for (const name of status.unknown) console.log(`  unknown  ${name} (written by a newer Chorus)`);
      return;
    }
    const applied = await migrateToLatest(store);
    console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'Already up to date.');
  } finally {
    await store.close();
  }
}
