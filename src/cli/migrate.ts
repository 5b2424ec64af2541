import type { Command } from 'commander';
import { lazyAction } from './lazy-action.js';
import { withStoreOptions } from './options.js';

export function registerMigrateCommand(program: Command): void {
  withStoreOptions(
    program
      .command('migrate')
      .description('apply pending schema migrations (serve also does this at start)')
      .option('--status', 'only show applied and pending migrations'),
  ).action(lazyAction(async () => (await import('./migrate-run.js')).runMigrate));
}
