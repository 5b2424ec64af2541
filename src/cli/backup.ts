import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { listBackups, readManifest } from '../ops/backup/catalog.js';
import { postgresBackupsRefused } from '../ops/backup/errors.js';
import { KNOWN_MIGRATIONS } from '../app/migrations.js';
import { extractVerified, refuseNewerSchema } from '../ops/backup/extract.js';
import type { BackupManifest } from '../ops/backup/manifest.js';
import { restoreBackup } from '../ops/backup/restore.js';
import type { BackupSettings } from '../ops/backup/settings.js';
import { sqliteFileOf } from '../ops/backup/sqlite-file.js';
import { takeBackup } from '../ops/backup/take.js';
import { terminalProgress } from '../ops/progress.js';
import { configFromFlags, type StoreFlags } from './context.js';
import { withStoreOptions } from './options.js';

interface BackupTarget {
  databaseFile: string;
  settings: BackupSettings;
}

function target(flags: StoreFlags & { backupDir?: string }): BackupTarget {
  const config = configFromFlags(flags);
  const databaseFile = sqliteFileOf(config.databaseUrl);
  if (!databaseFile) throw postgresBackupsRefused();
  const settings = config.backups;
  return { databaseFile, settings: flags.backupDir ? { ...settings, directory: path.resolve(flags.backupDir) } : settings };
}

const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const rows = (manifest: BackupManifest): number => Object.values(manifest.rowCounts).reduce((a, b) => a + b, 0);

const withBackupOptions = (command: Command): Command => withStoreOptions(command).option('--backup-dir <dir>', 'where backups live (default: <data dir>/backups, or CHORUS_BACKUP_DIR)');

export function registerBackupCommands(program: Command): void {
  const backup = program.command('backup').description('verified backups of the embedded SQLite store (PostgreSQL: use pgBackRest or pg_dump)');

  withBackupOptions(backup.command('create', { isDefault: true }).description('take a backup now (safe while the server runs), verify it, apply retention')).action(async (flags) => {
    const { databaseFile, settings } = target(flags);
    if (!fs.existsSync(databaseFile)) throw new Error(`No store at ${databaseFile}: nothing to back up`);
    const { manifest, pruned } = await takeBackup(databaseFile, settings, () => new Date(), terminalProgress());
    console.log(`Backup ${manifest.id} written and verified: ${megabytes(manifest.compressedBytes)} compressed, ${rows(manifest)} rows, schema ${manifest.schemaVersion}`);
    console.log(`  ${path.join(settings.directory, manifest.file)}`);
    if (pruned.length) console.log(`Retention removed ${pruned.length} older backup(s): ${pruned.join(', ')}`);
  });

  withBackupOptions(backup.command('list').description('list backups, newest first')).action(async (flags) => {
    const { settings } = target(flags);
    const { backups, unreadable } = listBackups(settings.directory);
    if (!backups.length && !unreadable.length) console.log(`No backups in ${settings.directory}`);
    for (const b of backups) console.log(`${b.id}  ${b.createdAt}  ${megabytes(b.compressedBytes).padStart(9)}  ${String(rows(b)).padStart(8)} rows  schema ${b.schemaVersion}`);
    for (const u of unreadable) console.log(`${u.id}  UNREADABLE: ${u.problem}`);
  });

  withBackupOptions(backup.command('verify').argument('<id>', 'backup id (see `chorus backup list`)').description('check a backup: checksum, decompress, integrity check, row counts')).action(
    async (id: string, flags) => {
      const { settings } = target(flags);
      const manifest = readManifest(settings.directory, id);
      const work = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-verify-'));
      try {
        refuseNewerSchema(manifest, KNOWN_MIGRATIONS);
        await extractVerified(settings.directory, manifest, path.join(work, 'copy.sqlite'), terminalProgress());
      } finally {
        fs.rmSync(work, { recursive: true, force: true });
      }
      console.log(`Backup ${id} is good: checksum matches, integrity ok, ${rows(manifest)} rows as recorded`);
    },
  );

  withBackupOptions(
    backup
      .command('restore')
      .argument('<id>', 'backup id (see `chorus backup list`)')
      .description('replace the store with a backup; the current store is kept aside as chorus.db.replaced-<time>')
      .option('--force', 'restore even though a server is using the store (restart it right after)'),
  ).action(async (id: string, flags: StoreFlags & { backupDir?: string; force?: boolean }) => {
    const { databaseFile, settings } = target(flags);
    const result = await restoreBackup(databaseFile, settings.directory, id, { force: flags.force ?? false, clock: () => new Date(), progress: terminalProgress(), knownMigrations: KNOWN_MIGRATIONS });
    console.log(`Restored backup ${id} (taken ${result.manifest.createdAt}) into ${databaseFile}`);
    if (result.replacedStore) console.log(`The previous store was kept at ${result.replacedStore}`);
  });
}
