import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/users.js';
import { ensurePrivateDirectory } from '../../src/lib/private-files.js';
import { createBackup } from '../../src/ops/backup/create.js';
import { dataFileName, manifestFileName } from '../../src/ops/backup/manifest.js';
import { restoreBackup } from '../../src/ops/backup/restore.js';
import { resolveSecretKey } from '../../src/secret-key.js';
import { KNOWN_MIGRATIONS, migrateToLatest } from '../../src/app/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite.js';

const clock = () => new Date();
const modeOf = (target: string) => fs.statSync(target).mode & 0o777;

/**
 * The store holds password hashes and sealed network tokens, secret.key unseals them, and a backup
 * is all of it: none may be readable by another local user. Run under the common umask 022, which
 * left every one of them 0644 before.
 */
describe('file modes of the data Chorus writes', () => {
  let dir: string;
  let previousUmask: number;
  beforeEach(() => {
    previousUmask = process.umask(0o022);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-modes-'));
  });
  afterEach(() => {
    process.umask(previousUmask);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates the store, its WAL and shared-memory files 0600 in a 0700 folder', async () => {
    const data = path.join(dir, 'data');
    const file = path.join(data, 'chorus.db');
    const store = openSqliteStore(file);
    try {
      await migrateToLatest(store);
      await createUser(store.db, clock, { email: 'olivia@example.com', name: 'Olivia', password: 'correct horse battery staple' });
      // While the store is open SQLite keeps its -wal and -shm beside it.
      expect(fs.existsSync(`${file}-wal`) && fs.existsSync(`${file}-shm`)).toBe(true);
      expect({ db: modeOf(file), wal: modeOf(`${file}-wal`), shm: modeOf(`${file}-shm`), folder: modeOf(data) }).toEqual({
        db: 0o600,
        wal: 0o600,
        shm: 0o600,
        folder: 0o700,
      });
    } finally {
      await store.close();
    }
  });

  it('tightens a store and side files left 0644 by an older Chorus', async () => {
    const file = path.join(dir, 'chorus.db');
    const old = new SQLite(file);
    old.pragma('journal_mode = WAL');
    old.exec('create table kept (x)');
    // A crash leaves -wal and -shm behind; here they are simply still open.
    for (const suffix of ['', '-wal', '-shm']) expect(modeOf(file + suffix)).toBe(0o644);
    const store = openSqliteStore(file);
    try {
      for (const suffix of ['', '-wal', '-shm']) expect(modeOf(file + suffix), suffix).toBe(0o600);
    } finally {
      old.close();
      await store.close();
    }
  });

  it('keeps secret.key 0600 in a 0700 data folder, and tightens a loose one', () => {
    const data = path.join(dir, 'data');
    expect(resolveSecretKey('', data).source).toBe('generated');
    expect({ key: modeOf(path.join(data, 'secret.key')), folder: modeOf(data) }).toEqual({ key: 0o600, folder: 0o700 });
    fs.chmodSync(path.join(data, 'secret.key'), 0o644);
    fs.chmodSync(data, 0o755);
    expect(resolveSecretKey('', data).source).toBe('file');
    expect({ key: modeOf(path.join(data, 'secret.key')), folder: modeOf(data) }).toEqual({ key: 0o600, folder: 0o700 });
  });

  it('tightens an existing data folder without touching what is inside', () => {
    const data = path.join(dir, 'existing');
    fs.mkdirSync(data, { mode: 0o755 });
    fs.writeFileSync(path.join(data, 'notes.txt'), 'x', { mode: 0o644 });
    ensurePrivateDirectory(data);
    expect(modeOf(data)).toBe(0o700);
    expect(modeOf(path.join(data, 'notes.txt'))).toBe(0o644);
  });

  it('writes backups 0600 in a 0700 folder, and a restored store is 0600', async () => {
    const file = path.join(dir, 'chorus.db');
    const backups = path.join(dir, 'backups');
    const store = openSqliteStore(file);
    await migrateToLatest(store);
    await store.close();
    const manifest = await createBackup(file, backups, clock);
    expect({
      folder: modeOf(backups),
      data: modeOf(path.join(backups, dataFileName(manifest.id))),
      manifest: modeOf(path.join(backups, manifestFileName(manifest.id))),
    }).toEqual({
      folder: 0o700,
      data: 0o600,
      manifest: 0o600,
    });
    const restoredFile = path.join(dir, 'restored', 'chorus.db');
    await restoreBackup(restoredFile, backups, manifest.id, { clock, knownMigrations: KNOWN_MIGRATIONS });
    expect({ db: modeOf(restoredFile), folder: modeOf(path.dirname(restoredFile)) }).toEqual({ db: 0o600, folder: 0o700 });
  });
});
