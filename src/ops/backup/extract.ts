import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import SQLite from 'better-sqlite3';
import { PRIVATE_FILE_MODE } from '../../lib/private-files.js';
import { noProgress, type Progress } from '../progress.js';
import { BackupError } from './errors.js';
import type { BackupManifest } from './manifest.js';
import { integrityProblems, readSnapshotFacts } from './snapshot.js';

function counting(total: number, onFraction: (fraction: number) => void): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      onFraction(total ? seen / total : 1);
      done(null, chunk);
    },
  });
}

export async function sha256File(file: string, onFraction: (fraction: number) => void = () => {}): Promise<string> {
  const hash = createHash('sha256');
  const total = fs.statSync(file).size;
  let seen = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    seen += (chunk as Buffer).length;
    onFraction(total ? seen / total : 1);
  }
  return hash.digest('hex');
}

/** Refuses a backup whose migrations this build does not know (`known`: the app's list), before anything is read further. */
export function refuseNewerSchema(manifest: BackupManifest, known: readonly string[]): void {
  const unknown = manifest.migrations.filter((name) => !known.includes(name));
  if (unknown.length) {
    throw new BackupError(
      'backup_from_newer_chorus',
      `Backup ${manifest.id} was made by a newer Chorus (schema ${manifest.schemaVersion}; unknown migrations: ${unknown.join(', ')}). Upgrade Chorus before restoring it.`,
    );
  }
}

/**
 * Checks the compressed file against its checksum, decompresses it to `destination`, and proves
 * the copy: SQLite integrity check, the migrations and row counts the manifest promised.
 * On any failure `destination` is removed and a BackupError says what was wrong.
 */
export async function extractVerified(directory: string, manifest: BackupManifest, destination: string, progress: Progress = noProgress): Promise<void> {
  const source = path.join(directory, manifest.file);
  if (!fs.existsSync(source)) throw new BackupError('backup_corrupt', `The data file of backup ${manifest.id} (${manifest.file}) is missing`);
  const size = fs.statSync(source).size;
  const actual = await sha256File(source, (f) => progress('checksum', f));
  if (actual !== manifest.sha256 || size !== manifest.compressedBytes) {
    throw new BackupError(
      'backup_checksum_mismatch',
      `Backup ${manifest.id} does not match its checksum (expected sha256 ${manifest.sha256} and ${manifest.compressedBytes} bytes, found ${actual} and ${size} bytes): it was truncated or altered`,
    );
  }
  try {
    await pipeline(
      fs.createReadStream(source),
      counting(size, (f) => progress('decompress', f)),
      createGunzip(),
      fs.createWriteStream(destination, { flags: 'wx', mode: PRIVATE_FILE_MODE }),
    );
    proveCopy(manifest, destination);
  } catch (error) {
    fs.rmSync(destination, { force: true });
    if (error instanceof BackupError) throw error;
    throw new BackupError('backup_corrupt', `Backup ${manifest.id} cannot be read: ${(error as Error).message}`);
  }
}

function proveCopy(manifest: BackupManifest, file: string): void {
  if (fs.statSync(file).size !== manifest.databaseBytes)
    throw new BackupError(
      'backup_corrupt',
      `Backup ${manifest.id} decompressed to ${fs.statSync(file).size} bytes, the manifest says ${manifest.databaseBytes}`,
    );
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const problems = integrityProblems(db);
    if (problems.length) throw new BackupError('backup_corrupt', `Backup ${manifest.id} fails the SQLite integrity check: ${problems.slice(0, 5).join('; ')}`);
    const facts = readSnapshotFacts(db);
    if (JSON.stringify(facts.migrations) !== JSON.stringify([...manifest.migrations].sort())) {
      throw new BackupError('backup_corrupt', `Backup ${manifest.id} holds other migrations than its manifest says`);
    }
    const differing = Object.keys({ ...facts.rowCounts, ...manifest.rowCounts }).filter((t) => facts.rowCounts[t] !== manifest.rowCounts[t]);
    if (differing.length) throw new BackupError('backup_corrupt', `Backup ${manifest.id} row counts differ from its manifest in: ${differing.join(', ')}`);
  } finally {
    db.close();
  }
}
