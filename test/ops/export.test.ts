import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exportOrg } from '../../src/ops/export/export.js';
import { EXPORT_FORMAT_VERSION } from '../../src/ops/export/format.js';
import { importArchive } from '../../src/ops/export/import.js';
import { exportableTableNames } from '../../src/ops/export/org-tables.js';
import { discoverTables } from '../../src/store/schema-discovery.js';
import type { Store } from '../../src/store/store.js';
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

/** Every byte value, then bytes that are not UTF-8: an attachment that only survives as bytes. */
const ATTACHMENT = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0x00])]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 7) % 256))]);

/** An org with members, invitations, renames and audit events, next to another org that must stay behind. */
async function populatedSqlite(): Promise<{ source: TestStore; orgId: string }> {
  const source = await openTestStore('sqlite');
  const app = await buildTestServer(source.store);
  const owner = await setUpOwner(app, 'Olivia Owner', 'Acme 株式会社');
  const editor = await invitePerson(owner, 'Eddie Editor', 'editor');
  await owner.client.post(`/api/orgs/${owner.orgId}/invitations`, { role: 'viewer', email: 'pending@example.com' });
  await owner.client.patch(`/api/orgs/${owner.orgId}`, { name: 'Acme 株式会社 "quoted"\nline' });
  await editor.client.post('/api/orgs', { name: 'Eddie side project' });
  const contact = await editor.client.post(`/api/orgs/${owner.orgId}/contacts`, {
    displayName: 'Carol 顧客',
    tags: ['vip'],
    identities: [{ network: 'mastodon', handle: '@carol@mastodon.social' }],
  });
  await editor.client.post(`/api/orgs/${owner.orgId}/contacts/${contact.body.contact.id}/notes`, { body: 'Prefers email' });
  // The CRM pipeline's tables (companies, stage changes, tasks, forms, campaigns) hold rows too, so their round trip is checked.
  const crm = `/api/orgs/${owner.orgId}`;
  const company = await editor.client.post(`${crm}/companies`, { name: 'Carol 商店', domain: 'carol.example' });
  expect(company.status, company.raw).toBe(201);
  const pipeline = await editor.client.patch(`${crm}/contacts/${contact.body.contact.id}/pipeline`, { stage: 'lead', companyId: company.body.company.id });
  expect(pipeline.status, pipeline.raw).toBe(200);
  const task = await editor.client.post(`${crm}/tasks`, { title: 'Call Carol', contactId: contact.body.contact.id, dueAt: '2027-01-10T09:00:00.000Z' });
  expect(task.status, task.raw).toBe(201);
  const campaign = await editor.client.post(`${crm}/campaigns`, { name: 'New year', startsOn: '2027-01-01', endsOn: '2027-01-31' });
  expect(campaign.status, campaign.raw).toBe(201);
  const form = await editor.client.post(`${crm}/forms`, {
    name: 'Tasting sign-up',
    fields: [{ name: 'email', type: 'email', required: true }],
    campaignId: campaign.body.campaign.id,
  });
  expect(form.status, form.raw).toBe(201);
  const attached = await editor.client.post(`/api/orgs/${owner.orgId}/team-feed/posts`, {
    text: 'Minutes attached',
    attachments: [
      { name: '議事録.bin', contentType: 'application/octet-stream', dataBase64: ATTACHMENT.toString('base64') },
      { name: 'empty.txt', contentType: 'text/plain', dataBase64: '' },
    ],
  });
  expect(attached.status).toBe(201);
  expect(
    (await owner.client.post(`/api/orgs/${owner.orgId}/media`, { mimeType: 'image/png', dataBase64: PNG.toString('base64'), alt: '店内の様子' })).status,
  ).toBe(201);
  // Idempotency keys are request bookkeeping (src/idempotency), not the org's data: they stay behind.
  await editor.client.request('POST', `/api/orgs/${owner.orgId}/boards`, { name: 'Launch' }, { 'idempotency-key': 'export-test' });
  await app.close();
  return { source, orgId: owner.orgId };
}

/**
 * Every binary column of every exported table, found in the schema rather than listed: the
 * fixture must fill each one (so a new binary column fails here until it does), and the
 * imported store must hold the very same bytes, as bytes.
 */
async function expectSameBytes(from: Store, to: Store): Promise<void> {
  const shapes = await discoverTables(from);
  const binary = [...exportableTableNames(shapes)].map((name) => shapes.get(name)!).filter((t) => t.binaryColumns.length);
  expect(binary.flatMap((t) => t.binaryColumns.map((c) => `${t.name}.${c}`))).toContain('team_attachments.data');
  for (const table of binary) {
    for (const column of table.binaryColumns) {
      const read = async (store: Store) => {
        const rows = await store.db
          .selectFrom(table.name as any)
          .select([...table.primaryKey, column] as any)
          .execute();
        return new Map(rows.map((row: any) => [JSON.stringify(table.primaryKey.map((k) => row[k])), row[column]]));
      };
      const [before, after] = [await read(from), await read(to)];
      expect([...before.values()].filter((v) => v !== null).length, `${table.name}.${column} has no value in the fixture`).toBeGreaterThan(0);
      expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
      for (const [key, bytes] of before) {
        const restored = after.get(key);
        expect(Buffer.isBuffer(restored), `${table.name}.${column} ${key} comes back as bytes`).toBe(true);
        expect(Buffer.compare(restored, bytes), `${table.name}.${column} ${key}`).toBe(0);
      }
    }
  }
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
      expect(Object.fromEntries(manifest.tables.map((t) => [t.name, t.rows]))).toMatchObject({
        orgs: 1,
        users: 2,
        memberships: 2,
        invitations: 2,
        contacts: 1,
        contact_identities: 1,
        contact_tags: 1,
        contact_notes: 1,
        team_attachments: 2,
        post_media: 1,
        companies: 1,
        contact_stage_changes: 1,
        tasks: 1,
        campaigns: 1,
        forms: 1,
      });
      expect(manifest.tables.find((t) => t.name === 'team_attachments')).toMatchObject({
        encodings: { data: 'base64' },
        columns: expect.arrayContaining(['data', 'org_id']),
      });

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
        expect(tablesA['tables/team_attachments.jsonl']).toContain(ATTACHMENT.toString('base64'));
        expect(tablesA['tables/post_media.jsonl']).toContain(PNG.toString('base64'));
        await expectSameBytes(source.store, target.store);

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

  it('carries tables larger than a page (composite keys, many attachments) through SQLite and PostgreSQL unchanged', async () => {
    const db = source.store.db;
    const contact = await db.selectFrom('contacts').select(['id', 'created_at', 'updated_at']).executeTakeFirstOrThrow();
    const second = {
      ...contact,
      id: `${contact.id.slice(0, -1)}z`,
      org_id: orgId,
      display_name: 'Second',
      sort_name: 'second',
      email: null,
      company: null,
      created_by_user_id: null,
    };
    await db.insertInto('contacts').values(second).execute();
    // Two contacts × 300 tags: pages end inside one contact's tags.
    const tags = [contact.id, second.id].flatMap((id) =>
      Array.from({ length: 300 }, (_, i) => ({ org_id: orgId, contact_id: id, tag: `tag-${String(i).padStart(4, '0')}` })),
    );
    for (let i = 0; i < tags.length; i += 200)
      await db
        .insertInto('contact_tags')
        .values(tags.slice(i, i + 200))
        .execute();
    const post = await db.selectFrom('team_posts').select('id').executeTakeFirstOrThrow();
    // More attachments than the first page takes.
    const size = 128 * 1024;
    for (let n = 0; n < 24; n++) {
      const data = Buffer.alloc(size, n).fill(n * 7 + 1, n, n + 1000);
      await db
        .insertInto('team_attachments')
        .values({ id: `big-${n}`, org_id: orgId, post_id: post.id, name: `big-${n}.bin`, content_type: 'application/octet-stream', size, data })
        .execute();
    }

    const first = fileIn('large') + '.tar.gz';
    const manifest = await exportOrg(source.store, orgId, first, { clock, includePasswordHashes: true });
    expect(Object.fromEntries(manifest.tables.map((t) => [t.name, t.rows]))).toMatchObject({ contacts: 2, contact_tags: 601, team_attachments: 26 });
    for (const dialect of testDialects()) {
      const target = await openTestStore(dialect);
      try {
        await importArchive(target.store, first);
        await expectSameBytes(source.store, target.store);
        const again = fileIn('large-again') + '.tar.gz';
        await exportOrg(target.store, orgId, again, { clock, includePasswordHashes: true });
        const [a, b] = [await contents(first), await contents(again)];
        expect(JSON.parse(b['manifest.json']!).tables).toEqual(JSON.parse(a['manifest.json']!).tables);
        expect(b['tables/contact_tags.jsonl']).toBe(a['tables/contact_tags.jsonl']);
      } finally {
        await target.dispose();
      }
    }
  });

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
    expect(files['tables/team_attachments.jsonl']).toContain(ATTACHMENT.toString('base64'));
    expect(files['tables/audit_events.jsonl']).not.toContain('org.exported');
    const audit = await owner.get(`/api/orgs/${orgId}/audit`);
    expect(audit.body.events[0].action).toBe('org.exported');
    await app.close();
  });

  it('answers a download that cannot be written with the error shape and a code that says so, not a bare 500 internal', async () => {
    // SQLite keeps whatever type it is given: bytes in a text column are no value the format can carry.
    await source.store.db
      .updateTable('contacts')
      .set({ company: Buffer.from([0xff, 0x00]) as any })
      .execute();
    const app = await buildTestServer(source.store);
    const owner = new ApiClient(app);
    await owner.post('/api/session', { email: 'olivia@example.com', password: PASSWORD });
    const failed = await owner.get(`/api/orgs/${orgId}/export`);
    expect(failed.status).toBe(500);
    expect(failed.body).toEqual({ error: { code: 'export_failed', message: expect.stringContaining(`chorus export --org ${orgId}`) } });
    expect((await owner.get(`/api/orgs/${orgId}/audit`)).body.events.map((e: { action: string }) => e.action)).not.toContain('org.exported');
    await app.close();
    const archive = fileIn('failed') + '.tar.gz';
    await expect(exportOrg(source.store, orgId, archive, { clock, includePasswordHashes: false })).rejects.toThrow(
      'Cannot export contacts.company: a binary value in a column whose type is not binary',
    );
    expect(fs.existsSync(archive)).toBe(false);
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
    /** The archive with one table file replaced and its manifest entry made to match (checksums, and whatever `change` sets). */
    const withTable = (name: string, text: string, change: (entry: any) => void = () => {}, from = files) => {
      const m = JSON.parse(from['manifest.json']!);
      const entry = m.tables.find((t: any) => t.name === name);
      Object.assign(entry, { sha256: sha256(text), bytes: Buffer.byteLength(text) });
      change(entry);
      return { ...from, 'manifest.json': JSON.stringify(m), [`tables/${name}.jsonl`]: text };
    };

    it('a table file altered after export', async () => {
      const orgs = files['tables/orgs.jsonl']!.replace('Acme', 'Evil');
      await expect(importFiles({ ...files, 'tables/orgs.jsonl': orgs })).rejects.toMatchObject({ code: 'archive_checksum_mismatch' });
    });

    it('a file the manifest lists but the archive lacks', async () => {
      const { 'tables/invitations.jsonl': _, ...rest } = files;
      await expect(importFiles(rest)).rejects.toMatchObject({ code: 'archive_corrupt', message: expect.stringContaining('lacks tables/invitations.jsonl') });
    });

    it('a newer export format, or a newer schema', async () => {
      const next = EXPORT_FORMAT_VERSION + 1;
      await expect(importFiles(withManifest((m) => (m.formatVersion = next)))).rejects.toMatchObject({
        code: 'archive_from_newer_chorus',
        message: expect.stringContaining(`format ${next}`),
      });
      await expect(importFiles(withManifest((m) => m.migrations.push('9999_future')))).rejects.toMatchObject({
        code: 'archive_from_newer_chorus',
        message: expect.stringContaining('9999_future'),
      });
    });

    it('a row of another organization, or an unknown column (checksums made to match)', async () => {
      const foreign = files['tables/memberships.jsonl']!.replace(orgId, '00000000-0000-0000-0000-000000000000');
      await expect(importFiles(withTable('memberships', foreign))).rejects.toMatchObject({
        code: 'archive_corrupt',
        message: expect.stringContaining('another organization'),
      });
      const injected = files['tables/orgs.jsonl']!.replace('{', '{"is_admin":1,');
      await expect(importFiles(withTable('orgs', injected))).rejects.toMatchObject({
        code: 'archive_corrupt',
        message: expect.stringContaining('unknown column "is_admin"'),
      });
    });

    it('a column this Chorus does not have, declared in the manifest', async () => {
      const injected = files['tables/orgs.jsonl']!.replace('{', '{"is_admin":1,');
      const declared = withTable('orgs', injected, (entry) => entry.columns.unshift('is_admin'));
      await expect(importFiles(declared)).rejects.toMatchObject({
        code: 'archive_unknown_column',
        message: expect.stringContaining('no column orgs.is_admin'),
      });
    });

    it('row counts, the table list and the columns the manifest declares', async () => {
      await expect(importFiles(withManifest((m) => (m.tables.find((t: any) => t.name === 'contact_notes').rows = 2)))).rejects.toMatchObject({
        code: 'archive_corrupt',
        message: 'tables/contact_notes.jsonl has 1 rows, the manifest says 2',
      });
      const text = '{"id":"x"}\n';
      await expect(importFiles({ ...files, 'tables/sessions.jsonl': text })).rejects.toMatchObject({
        code: 'archive_corrupt',
        message: expect.stringContaining('tables/sessions.jsonl, which its manifest does not list'),
      });
      const noUsers: Record<string, string> = withManifest((m) => (m.tables = m.tables.filter((t: any) => t.name !== 'users')));
      delete noUsers['tables/users.jsonl'];
      await expect(importFiles(noUsers)).rejects.toMatchObject({ code: 'archive_corrupt', message: 'manifest.json lists no users table' });
      await expect(importFiles(withManifest((m) => m.tables.forEach((t: any) => delete t.columns)))).rejects.toMatchObject({
        code: 'archive_corrupt',
        message: expect.stringContaining('lists no columns'),
      });
      const shortLine = files['tables/contact_notes.jsonl']!.replace(/"body":"Prefers email",/, '');
      await expect(importFiles(withTable('contact_notes', shortLine))).rejects.toMatchObject({
        code: 'archive_corrupt',
        message: expect.stringContaining('no value for column(s) body'),
      });
      const renamed = files['tables/orgs.jsonl']!.replace('Acme', 'Other');
      await expect(importFiles(withTable('orgs', renamed))).rejects.toMatchObject({
        code: 'archive_corrupt',
        message: expect.stringContaining('names the organization differently'),
      });
    });

    it('binary columns: an encoding the manifest does not declare, or bytes that are not base64', async () => {
      const attachments = files['tables/team_attachments.jsonl']!;
      await expect(importFiles(withTable('team_attachments', attachments, (entry) => delete entry.encodings))).rejects.toMatchObject({
        code: 'archive_corrupt',
        message: 'team_attachments.data holds bytes, but manifest.json declares no encoding for it',
      });
      await expect(
        importFiles(withTable('contacts', files['tables/contacts.jsonl']!, (entry) => (entry.encodings = { display_name: 'base64' }))),
      ).rejects.toMatchObject({
        code: 'archive_corrupt',
        message: expect.stringContaining('declares contacts.display_name as base64'),
      });
      const garbled = attachments.replace(ATTACHMENT.toString('base64'), 'not base64!');
      await expect(importFiles(withTable('team_attachments', garbled))).rejects.toMatchObject({
        code: 'archive_corrupt',
        message: expect.stringContaining('column "data" is not base64'),
      });
    });

    it('rows that pass every check but that the store refuses together (a duplicate key): a clear error, not a crash', async () => {
      const notes = files['tables/contact_notes.jsonl']!;
      await expect(importFiles(withTable('contact_notes', notes + notes, (entry) => (entry.rows = 2)))).rejects.toMatchObject({
        code: 'archive_corrupt',
        message: expect.stringContaining('The store refused the archive'),
      });
    });

    it('a password hash planted in an archive whose manifest says hashes were omitted: refused, and nobody signs in with it', async () => {
      const owner = await source.store.db
        .selectFrom('users')
        .select(['id', 'password_hash'])
        .where('email', '=', 'olivia@example.com')
        .executeTakeFirstOrThrow();
      const download = fileIn('nohash') + '.tar.gz';
      await exportOrg(source.store, orgId, download, { clock, includePasswordHashes: false });
      const omitted = await contents(download);
      expect(JSON.parse(omitted['manifest.json']!).passwordHashes).toBe('omitted');
      const planted = omitted['tables/users.jsonl']!.split('\n')
        .map((line) => (line.includes(owner.id) ? line.replace('{', `{"password_hash":${JSON.stringify(owner.password_hash)},`) : line))
        .join('\n');
      expect(planted).toContain('scrypt');

      const inRows = withTable('users', planted, () => {}, omitted);
      await expect(importFiles(inRows)).rejects.toMatchObject({
        code: 'archive_corrupt',
        message: expect.stringContaining('column "password_hash" is present, but the manifest says password hashes were omitted'),
      });
      const app = await buildTestServer(target.store);
      expect((await new ApiClient(app).post('/api/session', { email: 'olivia@example.com', password: PASSWORD })).status).toBe(401);
      await app.close();

      const declared = withTable('users', planted, (entry) => entry.columns.push('password_hash'), omitted);
      await expect(importFiles(declared)).rejects.toMatchObject({
        code: 'archive_corrupt',
        message: 'manifest.json lists users.password_hash, yet says password hashes were omitted',
      });
      // A format-1 manifest lists no columns: the rows are still held to "omitted".
      const formatOne = JSON.parse(inRows['manifest.json']);
      formatOne.formatVersion = 1;
      for (const table of formatOne.tables) delete table.columns;
      await expect(importFiles({ ...inRows, 'manifest.json': JSON.stringify(formatOne) })).rejects.toMatchObject({
        code: 'archive_corrupt',
        message: expect.stringContaining('password hashes were omitted'),
      });
    });

    it('an archive that says hashes are included but lists no password hash column', async () => {
      const changed = withManifest((m) => {
        const users = m.tables.find((t: any) => t.name === 'users');
        users.columns = users.columns.filter((c: string) => c !== 'password_hash');
      });
      await expect(importFiles(changed)).rejects.toMatchObject({
        code: 'archive_corrupt',
        message: 'manifest.json says password hashes are included, yet lists no users.password_hash column',
      });
    });

    it('a table this Chorus does not have', async () => {
      const text = '{"org_id":"x"}\n';
      const changed = withManifest((m) =>
        m.tables.push({ name: 'sessions', file: 'tables/sessions.jsonl', rows: 1, bytes: text.length, sha256: sha256(text) }),
      );
      await expect(importFiles({ ...changed, 'tables/sessions.jsonl': text })).rejects.toMatchObject({ code: 'archive_unknown_table' });
    });

    it('entries an export never has, or no archive at all', async () => {
      await expect(importFiles({ ...files, 'evil.sh': 'rm -rf /' })).rejects.toMatchObject({
        code: 'archive_corrupt',
        message: expect.stringContaining('evil.sh'),
      });
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
