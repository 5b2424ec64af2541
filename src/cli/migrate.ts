import type { Command } from 'commander';
import { migrateToLatest, migrationStatus } from '../app/migrations.js';
import { openStore } from '../store/open.js';
import { configFromFlags, type StoreFlags } from './context.js';
import { withStoreOptions } from './options.js';

export function registerMigrateCommand(program: Command): void {
  withStoreOptions(
    program
      .command('migrate')
      .description('apply pending schema migrations (serve also does this at start)')
      .option('--status', 'only show applied and pending migrations'),
  ).action(async (flags: StoreFlags & { status?: boolean }) => {
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
  });
}
