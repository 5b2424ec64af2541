import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, expect, it } from 'vitest';
import { buildTestServer, setUpOwner } from '../support/api-client.js';
import { describeEachStore, openTestStore } from '../support/stores.js';
import { verifyPassword } from '../../src/accounts/passwords.js';
import { createSession } from '../../src/accounts/sessions.js';

const CLI = path.resolve(import.meta.dirname, '../../dist/src/cli/main.js');

function chorus(args: string[], env: Record<string, string>, input?: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, input, encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describeEachStore('chorus CLI', (current, dialect) => {
  let env: Record<string, string>;
  beforeEach(() => {
    env = { DATABASE_URL: current().url, LOG_LEVEL: 'silent' };
  });

  it('creates the owner with an org, refuses a second owner, and creates more orgs', async () => {
    const created = chorus(
      ['user', 'create', '--owner', '--email', 'Boss@Example.com', '--name', 'Boss', '--org-name', 'Shop', '--password-stdin'],
      env,
      'a long enough password\n',
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/Created user boss@example.com .* as owner of "Shop"/);

    const db = current().store.db;
    const user = await db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
    expect(user.password_hash).toMatch(/^scrypt\$/);
    const membership = await db
      .selectFrom('memberships')
      .innerJoin('orgs', 'orgs.id', 'memberships.org_id')
      .select(['orgs.name', 'memberships.role'])
      .execute();
    expect(membership).toEqual([{ name: 'Shop', role: 'owner' }]);

    const second = chorus(['user', 'create', '--owner', '--email', 'x@example.com', '--name', 'X', '--password', 'another long password'], env);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('An owner already exists');

    const org = chorus(['org', 'create', '--name', 'Second shop', '--owner-email', 'boss@example.com'], env);
    expect(org.code).toBe(0);
    expect((await db.selectFrom('orgs').select('name').orderBy('name').execute()).map((o) => o.name)).toEqual(['Second shop', 'Shop']);
    const missing = chorus(['org', 'create', '--name', 'Nope', '--owner-email', 'ghost@example.com'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No user with email ghost@example.com');
  });

  it('rejects a short password and a bad email with a clear message', () => {
    const weak = chorus(['user', 'create', '--email', 'a@example.com', '--name', 'A', '--password', 'short'], env);
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('at least 10 characters');
    const badEmail = chorus(['user', 'create', '--email', 'not-an-email', '--name', 'A', '--password', 'long enough pw'], env);
    expect(badEmail.code).toBe(1);
    expect(badEmail.stderr).toContain('email');
  });

  it('sets a password for a user who cannot reset it by mail, ending their sessions and throttling', async () => {
    const db = current().store.db;
    expect(chorus(['user', 'create', '--email', 'ann@example.com', '--name', 'Ann', '--password', 'the old long password'], env).code).toBe(0);
    const user = await db.selectFrom('users').select('id').executeTakeFirstOrThrow();
    await createSession(db, () => new Date(), user.id, { ip: '198.51.100.1', userAgent: 'test' });
    await db.insertInto('login_failures').values({ id: 'f1', account: 'ann@example.com', address: '203.0.113.9', at: new Date().toISOString() }).execute();

    const set = chorus(['user', 'set-password', '--email', 'Ann@Example.com', '--password-stdin'], env, 'the operator chose this\n');
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('Set a new password for ann@example.com');
    const row = await db.selectFrom('users').select('password_hash').executeTakeFirstOrThrow();
    expect(await verifyPassword('the operator chose this', row.password_hash)).toBe(true);
    expect(await db.selectFrom('sessions').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('login_failures').selectAll().execute()).toEqual([]);

    const missing = chorus(['user', 'set-password', '--email', 'ghost@example.com', '--password', 'long enough password'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No user with email ghost@example.com');
    expect(chorus(['user', 'set-password', '--email', 'ann@example.com', '--password', 'short'], env).stderr).toContain('at least 10 characters');
  });

  it('reports migrations and a healthy store in doctor', () => {
    const status = chorus(['migrate', '--status'], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/applied\s+0001_accounts/);
    expect(status.stdout).not.toContain('pending');
    expect(chorus(['migrate'], env).stdout).toContain('Already up to date.');
    const doctor = chorus(['doctor'], { ...env, CHORUS_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-doctor-')) });
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toMatch(/ok\s+store/);
    expect(doctor.stdout).toMatch(/ok\s+migrations\s+\d+ applied, 0 pending/);
  });

  it('exports an org that has team-feed attachments, and imports it into an empty instance byte for byte', async () => {
    const app = await buildTestServer(current().store);
    const owner = await setUpOwner(app);
    const bytes = Buffer.from([0x00, 0xff, 0xc3, 0x28, 0x0a, 0x0d, 0x80]);
    const posted = await owner.client.post(`/api/orgs/${owner.orgId}/team-feed/posts`, {
      text: 'file',
      attachments: [{ name: 'a.bin', contentType: 'application/octet-stream', dataBase64: bytes.toString('base64') }],
    });
    expect(posted.status).toBe(201);
    await app.close();
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-cli-export-')), 'org.tar.gz');
    const exported = chorus(['export', '--org', owner.orgId, '--out', out], env);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(/Exported "Acme": \d+ tables, \d+ rows, password hashes included/);

    const target = await openTestStore(dialect);
    try {
      const imported = chorus(['import', out], { DATABASE_URL: target.url, LOG_LEVEL: 'silent' });
      expect(imported.stderr).toBe('');
      expect(imported.code).toBe(0);
      const row = await target.store.db.selectFrom('team_attachments').select('data').executeTakeFirstOrThrow();
      expect(Buffer.compare(row.data, bytes)).toBe(0);
      const again = chorus(['import', out], { DATABASE_URL: target.url, LOG_LEVEL: 'silent' });
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('Import needs an empty instance');
    } finally {
      await target.dispose();
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
    }
  });
});

it('doctor fails clearly when the store is unreachable, and every command has --help', () => {
  const doctor = chorus(['doctor'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', LOG_LEVEL: 'silent' });
  expect(doctor.code).toBe(1);
  expect(doctor.stdout).toMatch(/FAIL\s+store/);
  for (const command of [[], ['serve'], ['migrate'], ['user'], ['user', 'create'], ['user', 'set-password'], ['org'], ['org', 'create'], ['doctor']]) {
    const help = chorus([...command, '--help'], {});
    expect(help.code, command.join(' ')).toBe(0);
    expect(help.stdout).toContain('Usage: chorus');
  }
  const bad = chorus(['serve', '--log-level', 'loud'], { CHORUS_DATA_DIR: '/tmp/chorus-cli-bad-config' });
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('LOG_LEVEL');
});
