import type { Command } from 'commander';
import { lazyAction } from './lazy-action.js';
import { withStoreOptions } from './options.js';

export function registerExportCommands(program: Command): void {
  withStoreOptions(
    program
      .command('export')
      .description('write every row of one organization to a .tar.gz of JSON Lines (docs/export-format.md)')
      .requiredOption('--org <id>', 'organization id (in the web UI address: /orgs/<id>)')
      .option('--out <file>', 'archive to write (default: chorus-export-<org>-<date>.tar.gz)')
      .option('--without-password-hashes', 'leave password hashes out: people set a new password after an import'),
  ).action(lazyAction(async () => (await import('./export-run.js')).exportCommand));

  withStoreOptions(
    program
      .command('import')
      .argument('<file>', 'archive written by `chorus export` or the web download')
      .description('load an export archive into an empty instance (SQLite or PostgreSQL), in one transaction'),
  ).action(lazyAction(async () => (await import('./export-run.js')).importCommand));
}
