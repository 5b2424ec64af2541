import fs from 'node:fs';
import path from 'node:path';
import { BackupError } from './errors.js';
import { BackupId, BackupManifest, manifestFileName } from './manifest.js';

/** Reads and validates one backup's manifest; the file is untrusted input. */
export function readManifest(directory: string, id: string): BackupManifest {
  if (!BackupId.safeParse(id).success) throw new BackupError('backup_not_found', `"${id}" is not a backup id (they look like 20261127T233301Z-1a2b3c)`);
  const file = path.join(directory, manifestFileName(id));
  if (!fs.existsSync(file)) throw new BackupError('backup_not_found', `No backup ${id} in ${directory}`);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    throw new BackupError('backup_corrupt', `The manifest of backup ${id} is not valid JSON`);
  }
  const parsed = BackupManifest.safeParse(json);
  if (!parsed.success)
    throw new BackupError(
      'backup_corrupt',
      `The manifest of backup ${id} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  if (parsed.data.id !== id) throw new BackupError('backup_corrupt', `The manifest of backup ${id} names another backup (${parsed.data.id})`);
  return parsed.data;
}

export interface BackupListing {
  backups: BackupManifest[];
  /** Manifests that could not be read, with why: shown, never silently skipped. */
  unreadable: { id: string; problem: string }[];
}

/** Every finished backup in the directory, newest first. */
export function listBackups(directory: string): BackupListing {
  if (!fs.existsSync(directory)) return { backups: [], unreadable: [] };
  const listing: BackupListing = { backups: [], unreadable: [] };
  for (const name of fs.readdirSync(directory)) {
    const match = /^(.+)\.manifest\.json$/.exec(name);
    if (!match) continue;
    try {
      listing.backups.push(readManifest(directory, match[1]!));
    } catch (error) {
      listing.unreadable.push({ id: match[1]!, problem: (error as Error).message });
    }
  }
  listing.backups.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  return listing;
}
