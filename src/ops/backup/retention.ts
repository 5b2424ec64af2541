import fs from 'node:fs';
import path from 'node:path';
import type { BackupManifest } from './manifest.js';

/** How many of the newest hourly, daily and weekly backups to keep (grandfather-father-son). */
export interface RetentionPolicy {
  hourly: number;
  daily: number;
  weekly: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { hourly: 24, daily: 7, weekly: 4 };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// 1970-01-01 was a Thursday; shift so weeks start on Monday (UTC).
const WEEK_OFFSET = 3 * DAY;

const buckets: { key: keyof RetentionPolicy; bucket: (ms: number) => number }[] = [
  { key: 'hourly', bucket: (ms) => Math.floor(ms / HOUR) },
  { key: 'daily', bucket: (ms) => Math.floor(ms / DAY) },
  { key: 'weekly', bucket: (ms) => Math.floor((ms + WEEK_OFFSET) / (7 * DAY)) },
];

/**
 * The ids to keep: for each granularity, the newest backup of each of the newest N hours/days/weeks
 * that have one. The newest backup is always kept, whatever the policy says.
 */
export function backupsToKeep(backups: Pick<BackupManifest, 'id' | 'createdAt'>[], policy: RetentionPolicy): Set<string> {
  const newestFirst = [...backups].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  const keep = new Set<string>(newestFirst.slice(0, 1).map((b) => b.id));
  for (const { key, bucket } of buckets) {
    const seen = new Set<number>();
    for (const backup of newestFirst) {
      if (seen.size >= policy[key]) break;
      const slot = bucket(Date.parse(backup.createdAt));
      if (seen.has(slot)) continue;
      seen.add(slot);
      keep.add(backup.id);
    }
  }
  return keep;
}

/** Deletes the backups the policy does not keep (manifest first, so a half-deleted one is never listed as complete). */
export function pruneBackups(directory: string, backups: BackupManifest[], policy: RetentionPolicy): string[] {
  const keep = backupsToKeep(backups, policy);
  const removed: string[] = [];
  for (const backup of backups) {
    if (keep.has(backup.id)) continue;
    fs.rmSync(path.join(directory, `${backup.id}.manifest.json`), { force: true });
    fs.rmSync(path.join(directory, backup.file), { force: true });
    removed.push(backup.id);
  }
  return removed;
}
