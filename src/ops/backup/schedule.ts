import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../../lib/clock.js';
import { listBackups } from './catalog.js';
import type { BackupSettings } from './settings.js';
import { takeBackup } from './take.js';

/**
 * Takes a backup every `intervalMinutes` inside `chorus serve`, and one right away when the newest
 * backup is older than the interval (so a restart does not stretch the recovery point).
 * A failed backup is logged as an error and retried at the next tick; serving goes on.
 */
export function startBackupSchedule(databaseFile: string, settings: BackupSettings, clock: Clock, logger: FastifyBaseLogger): () => void {
  if (settings.intervalMinutes === 0) return () => {};
  const intervalMs = settings.intervalMinutes * 60_000;
  const run = async () => {
    try {
      const { manifest, pruned } = await takeBackup(databaseFile, settings, clock);
      logger.info({ backup: manifest.id, compressedBytes: manifest.compressedBytes, pruned }, 'backup taken and verified');
    } catch (error) {
      logger.error({ err: error }, 'scheduled backup failed');
    }
  };
  const newest = listBackups(settings.directory).backups[0];
  if (!newest || clock().getTime() - Date.parse(newest.createdAt) >= intervalMs) void run();
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
