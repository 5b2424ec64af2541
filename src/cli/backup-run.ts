import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

type BackupFlags = StoreFlags & { backupDir?: string };

interface BackupTarget {
  databaseFile: string;
  settings: BackupSettings;
}

function target(flags: BackupFlags): BackupTarget {
  const config = configFromFlags(flags);
  const databaseFile = sqliteFileOf(config.databaseUrl);
  if (!databaseFile) throw postgresBackupsRefused();
  const settings = config.backups;
  return { databaseFile, settings: flags.backupDir ? { ...settings, directory: path.resolve(flags.backupDir) } : settings };
}

const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const rows = (manifest: BackupManifest): number => Object.values(manifest.rowCounts).reduce((a, b) => a + b, 0);

/** `chorus backup create`. */
export async function createBackupCommand(flags: BackupFlags): Promise<void> {
  const { databaseFile, settings } = target(flags);
  if (!fs.existsSync(databaseFile)) throw new Error(`No store at ${databaseFile}: nothing to back up`);
  const { manifest, pruned } = await takeBackup(databaseFile, settings, () => new Date(), terminalProgress());
  console.log(
    `Backup ${manifest.id} written and verified: ${megabytes(manifest.compressedBytes)} compressed, ${rows(manifest)} rows, schema ${manifest.schemaVersion}`,
  );
  console.log(`  ${path.join(settings.directory, manifest.file)}`);
  if (pruned.length) console.log(`Retention removed ${pruned.length} older backup(s): ${pruned.join(', ')}`);
}

/** `chorus backup list`. */
export async function listBackupsCommand(flags: BackupFlags): Promise<void> {
  const { settings } = target(flags);
  const { backups, unreadable } = listBackups(settings.directory);
  if (!backups.length && !unreadable.length) console.log(`No backups in ${settings.directory}`);
  for (const b of backups)
    console.log(`${b.id}  ${b.createdAt}  ${megabytes(b.compressedBytes).padStart(9)}  ${String(rows(b)).padStart(8)} rows  schema ${b.schemaVersion}`);
  for (const u of unreadable) console.log(`${u.id}  UNREADABLE: ${u.problem}`);
}

/** `chorus backup verify <id>`. */
export async function verifyBackupCommand(id: string, flags: BackupFlags): Promise<void> {
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
}

/** `chorus backup restore <id>`. */
export async function restoreBackupCommand(id: string, flags: BackupFlags & { force?: boolean }): Promise<void> {
  const { databaseFile, settings } = target(flags);
  const result = await restoreBackup(databaseFile, settings.directory, id, {
    force: flags.force ?? false,
    clock: () => new Date(),
    progress: terminalProgress(),
    knownMigrations: KNOWN_MIGRATIONS,
  });
  console.log(`Restored backup ${id} (taken ${result.manifest.createdAt}) into ${databaseFile}`);
  if (result.replacedStore) console.log(`The previous store was kept at ${result.replacedStore}`);
}
