import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_RETENTION, type RetentionPolicy } from './retention.js';

/** Backup settings from the environment; every one has a default that needs no configuration. */
export interface BackupSettings {
  directory: string;
  /** 0 disables the schedule in `chorus serve`. */
  intervalMinutes: number;
  retention: RetentionPolicy;
}

const Count = z.coerce.number().int().min(0).max(10_000);

const BackupEnv = z.object({
  CHORUS_BACKUP_DIR: z.string().min(1).optional(),
  CHORUS_BACKUP_INTERVAL_MINUTES: z.coerce.number().int().min(0).max(7 * 24 * 60).default(60),
  CHORUS_BACKUP_KEEP_HOURLY: Count.default(DEFAULT_RETENTION.hourly),
  CHORUS_BACKUP_KEEP_DAILY: Count.default(DEFAULT_RETENTION.daily),
  CHORUS_BACKUP_KEEP_WEEKLY: Count.default(DEFAULT_RETENTION.weekly),
});

export function backupSettings(dataDir: string, env: NodeJS.ProcessEnv = process.env): BackupSettings {
  const present = Object.fromEntries(Object.entries(env).filter(([key, value]) => key.startsWith('CHORUS_BACKUP_') && value !== ''));
  const parsed = BackupEnv.safeParse(present);
  if (!parsed.success) throw new Error(`Invalid backup settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const e = parsed.data;
  return {
    directory: path.resolve(e.CHORUS_BACKUP_DIR ?? path.join(dataDir, 'backups')),
    intervalMinutes: e.CHORUS_BACKUP_INTERVAL_MINUTES,
    retention: { hourly: e.CHORUS_BACKUP_KEEP_HOURLY, daily: e.CHORUS_BACKUP_KEEP_DAILY, weekly: e.CHORUS_BACKUP_KEEP_WEEKLY },
  };
}
