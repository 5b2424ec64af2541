import fs from 'node:fs';

/** The store, its WAL, the secret key and backups: readable and writable by the Chorus user only. */
export const PRIVATE_FILE_MODE = 0o600;
/** The data and backup folders: nobody else may even list them. */
export const PRIVATE_DIRECTORY_MODE = 0o700;

/** Creates `directory` (and missing parents) as private, or tightens it when it already exists. */
export function ensurePrivateDirectory(directory: string): void {
  fs.mkdirSync(directory, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
  tighten(directory, PRIVATE_DIRECTORY_MODE);
}

/**
 * Takes group and other permissions away from an existing file or folder, e.g. one created 0644
 * by an older Chorus. Only this user's own: chmod of another user's file fails, and it is theirs to set.
 */
export function tighten(target: string, mode: number = PRIVATE_FILE_MODE): void {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat || stat.uid !== process.getuid?.() || (stat.mode & 0o777 & ~mode) === 0) return;
  fs.chmodSync(target, stat.mode & mode);
}
