import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync, gunzipSync } from 'node:zlib';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listBackups, readManifest } from '../../src/ops/backup/catalog.js';
import { createBackup } from '../../src/ops/backup/create.js';
import { BackupError } from '../../src/ops/backup/errors.js';
import { dataFileName, manifestFileName, type BackupManifest } from '../../src/ops/backup/manifest.js';
import { restoreBackup } from '../../src/ops/backup/restore.js';
import { pidFileOf } from '../../src/ops/backup/server-lock.js';
import { KNOWN_MIGRATIONS, migrateToLatest } from '../../src/app/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';
import { createOrg } from '../../src/teams/service.js';
import { createUser } from '../../src/accounts/users.js';

const clock = () => new Date();

describe('online backups and verified restore (SQLite)', () => {
  let dir: string;
  let databaseFile: string;
  let backups: string;
  let store: Store;
  let ownerId: string;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-backup-test-'));
    databaseFile = path.join(dir, 'chorus.db');
    backups = path.join(dir, 'backups');
    store = openSqliteStore(databaseFile);
    await migrateToLatest(store);
    ownerId = (await createUser(store.db, clock, { email: 'olivia@example.com', name: 'Olivia', password: 'correct horse battery staple' })).id;
    for (let i = 0; i < 50; i++) await createOrg(store.db, clock, { name: `org ${i}`, ownerUserId: ownerId });
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const orgCount = async (file: string) => {
    const db = new SQLite(file, { readonly: true });
    try {
      return db.prepare('select count(*) from orgs').pluck().get() as number;
    } finally {
      db.close();
    }
  };

  it('backs up while writes continue, and the manifest describes a verified, consistent copy', async () => {
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await createOrg(store.db, clock, { name: `during ${written++}`, ownerUserId: ownerId });
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const manifest = await createBackup(databaseFile, backups, clock);
    writing = false;
    await writer;

    expect(manifest.rowCounts.orgs).toBeGreaterThanOrEqual(50);
    // A consistent snapshot: each org was created with its owner membership and audit event in one transaction.
    expect(manifest.rowCounts.memberships).toBe(manifest.rowCounts.orgs);
    expect(manifest.rowCounts.audit_events).toBe(manifest.rowCounts.orgs);
    expect(manifest.migrations.length).toBeGreaterThan(0);
    expect(manifest.schemaVersion).toBe(manifest.migrations.at(-1));
    expect(fs.existsSync(path.join(backups, manifest.file))).toBe(true);
    expect(readManifest(backups, manifest.id)).toEqual(manifest);
    expect(listBackups(backups).backups.map((b) => b.id)).toEqual([manifest.id]);
    const copy = gunzipSync(fs.readFileSync(path.join(backups, manifest.file)));
    expect(copy.length).toBe(manifest.databaseBytes);
    expect(written).toBeGreaterThan(0);
  });

  it('restores a backup and keeps the replaced store (with its WAL) aside', async () => {
    const manifest = await createBackup(databaseFile, backups, clock);
    for (let i = 0; i < 10; i++) await createOrg(store.db, clock, { name: `after ${i}`, ownerUserId: ownerId });
    await store.close();

    const result = await restoreBackup(databaseFile, backups, manifest.id, { clock, knownMigrations: KNOWN_MIGRATIONS });
    expect(await orgCount(databaseFile)).toBe(manifest.rowCounts.orgs);
    expect(result.replacedStore).toMatch(/chorus\.db\.replaced-\d{8}T\d{6}Z$/);
    expect(await orgCount(result.replacedStore!)).toBe(manifest.rowCounts.orgs! + 10);

    store = openSqliteStore(databaseFile);
    expect(await migrateToLatest(store)).toEqual([]);
  });

  it('refuses to restore over a store a running server uses, unless forced', async () => {
    const manifest = await createBackup(databaseFile, backups, clock);
    fs.writeFileSync(pidFileOf(databaseFile), `${process.pid}\n`);
    const before = fs.readFileSync(databaseFile);
    await expect(restoreBackup(databaseFile, backups, manifest.id, { clock, knownMigrations: KNOWN_MIGRATIONS })).rejects.toMatchObject({
      code: 'store_in_use',
    });
    expect(fs.readFileSync(databaseFile).equals(before)).toBe(true);
    // A pid file left by a killed server is stale and does not block.
    fs.writeFileSync(pidFileOf(databaseFile), '2147483646\n');
    await store.close();
    await expect(restoreBackup(databaseFile, backups, manifest.id, { clock, knownMigrations: KNOWN_MIGRATIONS })).resolves.toMatchObject({
      manifest: { id: manifest.id },
    });
    fs.writeFileSync(pidFileOf(databaseFile), `${process.pid}\n`);
    await expect(restoreBackup(databaseFile, backups, manifest.id, { clock, knownMigrations: KNOWN_MIGRATIONS, force: true })).resolves.toMatchObject({
      manifest: { id: manifest.id },
    });
    store = openSqliteStore(databaseFile);
  });

  describe('bad backups: a clear error and nothing overwritten', () => {
    let manifest: BackupManifest;
    let storeBefore: Buffer;
    beforeEach(async () => {
      manifest = await createBackup(databaseFile, backups, clock);
      await store.close();
      storeBefore = fs.readFileSync(databaseFile);
    });
    afterEach(async () => {
      expect(fs.readFileSync(databaseFile).equals(storeBefore)).toBe(true);
      expect(fs.readdirSync(dir).filter((f) => f.includes('replaced') || f.startsWith('.restore'))).toEqual([]);
      store = openSqliteStore(databaseFile);
    });

    const dataFile = () => path.join(backups, dataFileName(manifest.id));
    const rewriteManifest = (change: (m: Record<string, unknown>) => void) => {
      const json = JSON.parse(fs.readFileSync(path.join(backups, manifestFileName(manifest.id)), 'utf8'));
      change(json);
      fs.writeFileSync(path.join(backups, manifestFileName(manifest.id)), JSON.stringify(json));
    };
    const restore = () => restoreBackup(databaseFile, backups, manifest.id, { clock, knownMigrations: KNOWN_MIGRATIONS });
    const sha256 = async (file: string) => (await import('node:crypto')).createHash('sha256').update(fs.readFileSync(file)).digest('hex');

    it('truncated', async () => {
      fs.truncateSync(dataFile(), Math.floor(manifest.compressedBytes / 2));
      await expect(restore()).rejects.toMatchObject({ code: 'backup_checksum_mismatch', message: expect.stringContaining('truncated or altered') });
    });

    it('one flipped byte', async () => {
      const bytes = fs.readFileSync(dataFile());
      bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
      fs.writeFileSync(dataFile(), bytes);
      await expect(restore()).rejects.toMatchObject({ code: 'backup_checksum_mismatch' });
    });

    it('corrupt inside, with a checksum that matches (rewritten by someone)', async () => {
      const copy = gunzipSync(fs.readFileSync(dataFile()));
      copy.fill(0x41, 4096, 4096 * 3);
      fs.writeFileSync(dataFile(), gzipSync(copy));
      const sha = await sha256(dataFile());
      rewriteManifest((m) => Object.assign(m, { sha256: sha, compressedBytes: fs.statSync(dataFile()).size }));
      await expect(restore()).rejects.toMatchObject({ code: 'backup_corrupt' });
    });

    it('not gzip at all', async () => {
      fs.writeFileSync(dataFile(), 'hello, I am not a backup');
      const sha = await sha256(dataFile());
      rewriteManifest((m) => Object.assign(m, { sha256: sha, compressedBytes: fs.statSync(dataFile()).size }));
      await expect(restore()).rejects.toMatchObject({ code: 'backup_corrupt', message: expect.stringContaining('cannot be read') });
    });

    it('row counts that do not match the manifest', async () => {
      rewriteManifest((m) => ((m.rowCounts as Record<string, number>).orgs = 9999));
      await expect(restore()).rejects.toMatchObject({ code: 'backup_corrupt', message: expect.stringContaining('orgs') });
    });

    it('from a newer Chorus', async () => {
      rewriteManifest((m) => {
        m.migrations = [...(m.migrations as string[]), '9999_from_the_future'];
        m.schemaVersion = '9999_from_the_future';
      });
      await expect(restore()).rejects.toMatchObject({ code: 'backup_from_newer_chorus', message: expect.stringContaining('Upgrade Chorus') });
    });

    it('a manifest that is not JSON, or not a manifest', async () => {
      fs.writeFileSync(path.join(backups, manifestFileName(manifest.id)), '{"format": "chorus-backup", ');
      await expect(restore()).rejects.toMatchObject({ code: 'backup_corrupt' });
      fs.writeFileSync(path.join(backups, manifestFileName(manifest.id)), JSON.stringify({ format: 'chorus-backup', id: manifest.id }));
      await expect(restore()).rejects.toMatchObject({ code: 'backup_corrupt', message: expect.stringContaining('invalid') });
      expect(listBackups(backups).unreadable.map((u) => u.id)).toEqual([manifest.id]);
    });

    it('a manifest that points outside the backup directory', async () => {
      rewriteManifest((m) => (m.file = '../chorus.db'));
      await expect(restore()).rejects.toMatchObject({ code: 'backup_corrupt' });
    });

    it('an id that is no backup, or a path', async () => {
      await expect(restoreBackup(databaseFile, backups, '20200101T000000Z-000000', { clock, knownMigrations: KNOWN_MIGRATIONS })).rejects.toMatchObject({
        code: 'backup_not_found',
      });
      await expect(restoreBackup(databaseFile, backups, '../chorus', { clock, knownMigrations: KNOWN_MIGRATIONS })).rejects.toBeInstanceOf(BackupError);
    });
  });
});
