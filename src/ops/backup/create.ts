import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import SQLite from 'better-sqlite3';
import { isoNow, type Clock } from '../../lib/clock.js';
import { ensurePrivateDirectory, PRIVATE_FILE_MODE } from '../../lib/private-files.js';
import { noProgress, type Progress } from '../progress.js';
import { BackupError } from './errors.js';
import { extractVerified, sha256File } from './extract.js';
import { BackupManifest, dataFileName, manifestFileName } from './manifest.js';
import { readSnapshotFacts } from './snapshot.js';

/** Pages copied per step of SQLite's online backup: large enough that concurrent writes rarely force a restart, small enough to keep serving between steps. */
const PAGES_PER_STEP = 2000;

export const newBackupId = (clock: Clock): string =>
  `${isoNow(clock)
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;

let running = false;

/**
 * Takes an online backup of the SQLite store at `databaseFile` while it keeps serving: SQLite's
 * backup API copies a consistent snapshot, the copy is gzip-compressed and checksummed, then
 * verified by decompressing and checking it like a restore would. Only then is the manifest
 * written, so every listed backup is one that was proven restorable.
 */
export async function createBackup(databaseFile: string, directory: string, clock: Clock, progress: Progress = noProgress): Promise<BackupManifest> {
  if (running) throw new BackupError('backup_in_progress', 'A backup is already being taken by this process; try again when it finishes');
  running = true;
  const id = newBackupId(clock);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-backup-'));
  const compressed = path.join(directory, dataFileName(id));
  try {
    ensurePrivateDirectory(directory);
    const copy = path.join(work, 'copy.sqlite');
    const source = new SQLite(databaseFile, { readonly: true, fileMustExist: true });
    try {
      await source.backup(copy, {
        progress: ({ totalPages, remainingPages }) => {
          progress('copy', totalPages ? 1 - remainingPages / totalPages : 1);
          return PAGES_PER_STEP;
        },
      });
    } finally {
      source.close();
    }
    progress('copy', 1);
    const facts = sealCopy(copy);
    const partial = `${compressed}.partial`;
    await pipeline(fs.createReadStream(copy), createGzip({ level: 6 }), fs.createWriteStream(partial, { flags: 'wx', mode: PRIVATE_FILE_MODE }));
    fsyncPath(partial);
    fs.renameSync(partial, compressed);
    const draft = {
      format: 'chorus-backup' as const,
      formatVersion: 1 as const,
      id,
      createdAt: isoNow(clock),
      schemaVersion: facts.migrations.at(-1) ?? '(empty)',
      migrations: facts.migrations,
      databaseBytes: fs.statSync(copy).size,
      file: dataFileName(id),
      compressedBytes: fs.statSync(compressed).size,
      sha256: await sha256File(compressed, (f) => progress('checksum', f)),
      rowCounts: facts.rowCounts,
      verifiedAt: isoNow(clock),
    };
    await extractVerified(directory, draft, path.join(work, 'verify.sqlite'), progress);
    const manifest = BackupManifest.parse({ ...draft, verifiedAt: isoNow(clock) });
    writeDurably(path.join(directory, manifestFileName(id)), JSON.stringify(manifest, null, 2) + '\n');
    return manifest;
  } catch (error) {
    fs.rmSync(compressed, { force: true });
    fs.rmSync(`${compressed}.partial`, { force: true });
    throw error;
  } finally {
    running = false;
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Makes the copy one self-contained file (no -wal beside it) and reads what the manifest will promise. */
function sealCopy(file: string) {
  const db = new SQLite(file);
  try {
    db.pragma('journal_mode = DELETE');
    return readSnapshotFacts(db);
  } finally {
    db.close();
  }
}

/** Write to a temporary name, fsync, rename, fsync the directory: a crash leaves the old file or the whole new one. */
export function writeDurably(file: string, content: string): void {
  const temporary = `${file}.partial`;
  fs.writeFileSync(temporary, content, { mode: PRIVATE_FILE_MODE });
  fsyncPath(temporary);
  fs.renameSync(temporary, file);
  fsyncPath(path.dirname(file));
}

export function fsyncPath(target: string): void {
  const fd = fs.openSync(target, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
