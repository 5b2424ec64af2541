import fs from 'node:fs';
import path from 'node:path';
import { isoNow, type Clock } from '../../lib/clock.js';
import { PRIVATE_DIRECTORY_MODE } from '../../lib/private-files.js';
import { noProgress, type Progress } from '../progress.js';
import { readManifest } from './catalog.js';
import { fsyncPath } from './create.js';
import { BackupError } from './errors.js';
import { extractVerified, refuseNewerSchema } from './extract.js';
import type { BackupManifest } from './manifest.js';
import { runningServerPid } from './server-lock.js';

export interface RestoreResult {
  manifest: BackupManifest;
  /** Where the store that was replaced now lives (null when there was none). */
  replacedStore: string | null;
}

const SIDE_FILES = ['', '-wal', '-shm'];

/**
 * Replaces the SQLite store with a backup. Everything that can fail is checked before the store
 * is touched: the manifest, the schema, the checksum and the decompressed copy (integrity, rows).
 * The old store (with its -wal, which may hold committed writes) is moved aside, not deleted.
 */
export async function restoreBackup(
  databaseFile: string,
  directory: string,
  id: string,
  options: {
    force?: boolean;
    clock: Clock;
    progress?: Progress;
    /** Every migration this build knows (src/app/migrations.ts). */ knownMigrations: readonly string[];
  },
): Promise<RestoreResult> {
  const manifest = readManifest(directory, id);
  refuseNewerSchema(manifest, options.knownMigrations);
  const pid = runningServerPid(databaseFile);
  if (pid !== null && !options.force) {
    throw new BackupError(
      'store_in_use',
      `A Chorus server (pid ${pid}) is using ${databaseFile}. Stop it first, or pass --force and restart it right after the restore.`,
    );
  }
  fs.mkdirSync(path.dirname(databaseFile), { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
  const incoming = path.join(path.dirname(databaseFile), `.restore-${manifest.id}.sqlite`);
  fs.rmSync(incoming, { force: true });
  await extractVerified(directory, manifest, incoming, options.progress ?? noProgress);
  fsyncPath(incoming);

  let replacedStore: string | null = null;
  if (fs.existsSync(databaseFile)) {
    replacedStore = `${databaseFile}.replaced-${isoNow(options.clock)
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z')}`;
    for (const suffix of SIDE_FILES) {
      if (fs.existsSync(databaseFile + suffix)) fs.renameSync(databaseFile + suffix, replacedStore + suffix);
    }
  }
  fs.renameSync(incoming, databaseFile);
  fsyncPath(path.dirname(databaseFile));
  return { manifest, replacedStore };
}
