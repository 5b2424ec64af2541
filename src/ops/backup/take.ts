import type { Clock } from '../../lib/clock.js';
import { noProgress, type Progress } from '../progress.js';
import { listBackups } from './catalog.js';
import { createBackup } from './create.js';
import type { BackupManifest } from './manifest.js';
import { pruneBackups } from './retention.js';
import type { BackupSettings } from './settings.js';

/** One backup as the schedule, the CLI and the API take it: create, verify, then apply retention. */
export async function takeBackup(
  databaseFile: string,
  settings: BackupSettings,
  clock: Clock,
  progress: Progress = noProgress,
): Promise<{ manifest: BackupManifest; pruned: string[] }> {
  const manifest = await createBackup(databaseFile, settings.directory, clock, progress);
  const pruned = pruneBackups(settings.directory, listBackups(settings.directory).backups, settings.retention);
  return { manifest, pruned };
}
