import type { Command } from 'commander';
import { lazyAction } from './lazy-action.js';
import { withStoreOptions } from './options.js';

const withBackupOptions = (command: Command): Command =>
  withStoreOptions(command).option('--backup-dir <dir>', 'where backups live (default: <data dir>/backups, or CHORUS_BACKUP_DIR)');

export function registerBackupCommands(program: Command): void {
  const backup = program.command('backup').description('verified backups of the embedded SQLite store (PostgreSQL: use pgBackRest or pg_dump)');

  withBackupOptions(
    backup.command('create', { isDefault: true }).description('take a backup now (safe while the server runs), verify it, apply retention'),
  ).action(lazyAction(async () => (await import('./backup-run.js')).createBackupCommand));

  withBackupOptions(backup.command('list').description('list backups, newest first')).action(
    lazyAction(async () => (await import('./backup-run.js')).listBackupsCommand),
  );

  withBackupOptions(
    backup
      .command('verify')
      .argument('<id>', 'backup id (see `chorus backup list`)')
      .description('check a backup: checksum, decompress, integrity check, row counts'),
  ).action(lazyAction(async () => (await import('./backup-run.js')).verifyBackupCommand));

  withBackupOptions(
    backup
      .command('restore')
      .argument('<id>', 'backup id (see `chorus backup list`)')
      .description('replace the store with a backup; the current store is kept aside as chorus.db.replaced-<time>')
      .option('--force', 'restore even though a server is using the store (restart it right after)'),
  ).action(lazyAction(async () => (await import('./backup-run.js')).restoreBackupCommand));
}
