import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exportOrg } from '../../src/ops/export/export.js';
import { importArchive } from '../../src/ops/export/import.js';
import { ApiClient, PASSWORD, buildTestServer, invitePerson, setUpOwner } from '../support/api-client.js';
import { openTestStore, testDialects, type TestStore } from '../support/stores.js';

const clock = () => new Date();
let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-export-test-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const fileIn = (name: string) => path.join(work, `${name}-${Math.random().toString(36).slice(2)}`);

/** The archive's files as text, by path. */
async function contents(archive: string): Promise<Record<string, string>> {
  const dir = fileIn('unpacked');
  fs.mkdirSync(dir);
  await tar.x({ file: archive, cwd: dir });
  const files: Record<string, string> = { 'manifest.json': fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8') };
  for (const name of fs.readdirSync(path.join(dir, 'tables'))) files[`tables/${name}`] = fs.readFileSync(path.join(dir, 'tables', name), 'utf8');
  return files;
}

async function repack(files: Record<string, string>): Promise<string> {
  const dir = fileIn('repack');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const archive = fileIn('archive') + '.tar.gz';
  await tar.c({ gzip: true, file: archive, cwd: dir }, Object.keys(files));
  return archive;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** An org with members, invitations, renames and audit events, next to another org that must stay behind. */
async function populatedSqlite(): Promise<{ source: TestStore; orgId: string }> {
  const source = await openTestStore('sqlite');
  const app = await buildTestServer(source.store);
  const owner = await setUpOwner(app, 'Olivia Owner', 'Acme 株式会社');
  const editor = await invitePerson(owner, 'Eddie Editor', 'editor');
  await owner.client.post(`/api/orgs/${owner.orgId}/invitations`, { role: 'viewer', email: 'pending@example.com' });
  await owner.client.patch(`/api/orgs/${owner.orgId}`, { name: 'Acme 株式会社 "quoted"\nline' });
  await editor.client.post('/api/orgs', { name: 'Eddie side project' });
  const contact = await editor.client.post(`/api/orgs/${owner.orgId}/contacts`, { displayName: 'Carol 顧客', tags: ['vip'], identities: [{ network: 'mastodon', handle: '@carol@mastodon.social' }] });
  await editor.client.post(`/api/orgs/${owner.orgId}/contacts/${contact.body.contact.id}/notes`, { body: 'Prefers email' });
  // Idempotency keys are request bookkeeping (src/idempotency), not the org's data: they stay behind.
  await editor.client.request('POST', `/api/orgs/${owner.orgId}/boards`, { name: 'Launch' }, { 'idempotency-key': 'export-test' });
  await app.close();
  return { source, orgId: owner.orgId };
}

describe('export and import', () => {
  let source: TestStore;
  let orgId: string;
  beforeEach(async () => {
    ({ source, orgId } = await populatedSqlite());
  });
  afterEach(() => source.dispose());

  for (const dialect of testDialects()) {
    it(`round-trips SQLite → ${dialect} → export again with identical content`, async () => {
      const first = fileIn('first') + '.tar.gz';
      const manifest = await exportOrg(source.store, orgId, first, { clock, includePasswordHashes: true });
      // Discovered, not listed: other modules' org tables (with an org_id column) join this list by themselves.
      expect(manifest.tables.map((t) => t.name)).toEqual(expect.arrayContaining(['audit_events', 'invitations', 'memberships', 'orgs', 'users']));
      expect(manifest.tables.map((t) => t.name)).not.toContain('sessions');
      expect(manifest.tables.map((t) => t.name)).not.toContain('idempotency_keys');
      expect(Object.fromEntries(manifest.tables.map((t) => [t.name, t.rows]))).toMatchObject({ orgs: 1, users: 2, memberships: 2, invitations: 2, contacts: 1, contact_identities: 1, contact_tags: 1, contact_notes: 1 });

      const target = await openTestStore(dialect);
      try {
        const result = await importArchive(target.store, first);
        expect(result.rows).toBe(manifest.tables.reduce((sum, t) => sum + t.rows, 0));
        const second = fileIn('second') + '.tar.gz';
        await exportOrg(target.store, orgId, second, { clock, includePasswordHashes: true });
        const [a, b] = [await contents(first), await contents(second)];
        const { 'manifest.json': ma, ...tablesA } = a;
        const { 'manifest.json': mb, ...tablesB } = b;
        expect(tablesB).toEqual(tablesA);
        expect(JSON.parse(mb!).tables).toEqual(JSON.parse(ma!).tables);
        expect(tablesA['tables/orgs.jsonl']).toContain('Acme 株式会社 \\"quoted\\"\\nline');
        expect(tablesA['tables/users.jsonl']).not.toContain('Eddie side project');
        expect(tablesA['tables/contact_notes.jsonl']).toContain('Prefers email');

        // With hashes exported, people sign in to the new instance with their old passwords.
        const app = await buildTestServer(target.store);
        const signIn = await new ApiClient(app).post('/api/session', { email: 'olivia@example.com', password: PASSWORD });
        expect(signIn.status).toBe(200);
        expect(signIn.body.orgs).toEqual([expect.objectContaining({ id: orgId, role: 'owner' })]);
        await app.close();
      } finally {
        await target.dispose();
      }
    });
  }

  it('leaves password hashes out when asked; imported people then cannot sign in until given a new password', async () => {
    const archive = fileIn('nohash') + '.tar.gz';
    const manifest = await exportOrg(source.store, orgId, archive, { clock, includePasswordHashes: false });
    expect(manifest.passwordHashes).toBe('omitted');
    expect((await contents(archive))['tables/users.jsonl']).not.toContain('password_hash');
    const target = await openTestStore('sqlite');
    try {
      await importArchive(target.store, archive);
      const app = await buildTestServer(target.store);
      expect((await new ApiClient(app).post('/api/session', { email: 'olivia@example.com', password: PASSWORD })).status).toBe(401);
      await app.close();
    } finally {
      await target.dispose();
    }
  });

  it('lets an org owner download the archive (without password hashes); an org admin may not', async () => {
    const app = await buildTestServer(source.store);
    const owner = new ApiClient(app);
    await owner.post('/api/session', { email: 'olivia@example.com', password: PASSWORD });
    const admin = await invitePerson({ client: owner, orgId, userId: '', email: '' }, 'Ada Admin', 'admin');
    const denied = await admin.client.get(`/api/orgs/${orgId}/export`);
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain('org.export');
    const download = await app.inject({ method: 'GET', url: `/api/orgs/${orgId}/export`, headers: { cookie: (owner as any).cookie } });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/gzip');
    expect(download.headers['content-disposition']).toMatch(new RegExp(`attachment; filename="chorus-export-${orgId}-\\d{4}-\\d{2}-\\d{2}\\.tar\\.gz"`));
    const archive = fileIn('download') + '.tar.gz';
    fs.writeFileSync(archive, download.rawPayload);
    const files = await contents(archive);
    expect(JSON.parse(files['manifest.json']!).passwordHashes).toBe('omitted');
    expect(files['tables/users.jsonl']).not.toContain('scrypt');
    expect(files['tables/audit_events.jsonl']).not.toContain('org.exported');
    const audit = await owner.get(`/api/orgs/${orgId}/audit`);
    expect(audit.body.events[0].action).toBe('org.exported');
    await app.close();
  });

  describe('bad archives: a clear error and nothing imported', () => {
    let archive: string;
    let files: Record<string, string>;
    let target: TestStore;
    beforeEach(async () => {
      archive = fileIn('good') + '.tar.gz';
      await exportOrg(source.store, orgId, archive, { clock, includePasswordHashes: true });
      files = await contents(archive);
      target = await openTestStore('sqlite');
    });
    afterEach(async () => {
      const users = await target.store.db.selectFrom('users').select('id').execute();
      expect(users).toEqual([]);
      await target.dispose();
    });
    const manifest = () => JSON.parse(files['manifest.json']!);
    const withManifest = (change: (m: any) => void) => {
      const m = manifest();
      change(m);
      return { ...files, 'manifest.json': JSON.stringify(m) };
    };
    const importFiles = async (changed: Record<string, string>) => importArchive(target.store, await repack(changed));

    it('a table file altered after export', async () => {
      const orgs = files['tables/orgs.jsonl']!.replace('Acme', 'Evil');
      await expect(importFiles({ ...files, 'tables/orgs.jsonl': orgs })).rejects.toMatchObject({ code: 'archive_checksum_mismatch' });
    });

    it('a file the manifest lists but the archive lacks', async () => {
      const { 'tables/invitations.jsonl': _, ...rest } = files;
      await expect(importFiles(rest)).rejects.toMatchObject({ code: 'archive_corrupt', message: expect.stringContaining('lacks tables/invitations.jsonl') });
    });

    it('a newer export format, or a newer schema', async () => {
      await expect(importFiles(withManifest((m) => (m.formatVersion = 2)))).rejects.toMatchObject({ code: 'archive_from_newer_chorus', message: expect.stringContaining('format 2') });
      await expect(importFiles(withManifest((m) => m.migrations.push('9999_future')))).rejects.toMatchObject({ code: 'archive_from_newer_chorus', message: expect.stringContaining('9999_future') });
    });

    it('a row of another organization, or an unknown column (checksums made to match)', async () => {
      const foreign = files['tables/memberships.jsonl']!.replace(orgId, '00000000-0000-0000-0000-000000000000');
      const tampered = (name: string, text: string) =>
        withManifest((m) => {
          const entry = m.tables.find((t: any) => t.name === name);
          Object.assign(entry, { sha256: sha256(text), bytes: Buffer.byteLength(text) });
        });
      await expect(importFiles({ ...tampered('memberships', foreign), 'tables/memberships.jsonl': foreign })).rejects.toMatchObject({ code: 'archive_corrupt', message: expect.stringContaining('another organization') });
      const injected = files['tables/orgs.jsonl']!.replace('{', '{"is_admin":1,');
      await expect(importFiles({ ...tampered('orgs', injected), 'tables/orgs.jsonl': injected })).rejects.toMatchObject({ code: 'archive_corrupt', message: expect.stringContaining('unknown column "is_admin"') });
    });

    it('a table this Chorus does not have', async () => {
      const text = '{"org_id":"x"}\n';
      const changed = withManifest((m) => m.tables.push({ name: 'sessions', file: 'tables/sessions.jsonl', rows: 1, bytes: text.length, sha256: sha256(text) }));
      await expect(importFiles({ ...changed, 'tables/sessions.jsonl': text })).rejects.toMatchObject({ code: 'archive_unknown_table' });
    });

    it('entries an export never has, or no archive at all', async () => {
      await expect(importFiles({ ...files, 'evil.sh': 'rm -rf /' })).rejects.toMatchObject({ code: 'archive_corrupt', message: expect.stringContaining('evil.sh') });
      const notArchive = fileIn('plain');
      fs.writeFileSync(notArchive, 'just text');
      await expect(importArchive(target.store, notArchive)).rejects.toMatchObject({ code: 'archive_corrupt' });
      fs.writeFileSync(notArchive, fs.readFileSync(archive).subarray(0, 200));
      await expect(importArchive(target.store, notArchive)).rejects.toMatchObject({ code: 'archive_corrupt' });
    });

    it('an instance that is not empty', async () => {
      await importArchive(target.store, archive);
      await expect(importArchive(target.store, archive)).rejects.toMatchObject({ code: 'instance_not_empty' });
      await target.store.db.deleteFrom('orgs').execute();
      await target.store.db.deleteFrom('users').execute();
    });
  });
});
