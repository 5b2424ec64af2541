import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPostgresUrl } from '../support/postgres-url.js';
import { CLI, buildServerOnce, httpClient, setUpOwnerOverHttp, startChildServer, stopChildServer } from './support/child-server.js';

const run = promisify(execFile);

async function chorus(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: { ...process.env, LOG_LEVEL: 'silent', ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('chorus backup (CLI, against a running server)', () => {
  let dataDir: string;
  beforeAll(() => {
    buildServerOnce();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-backup-cli-'));
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('backs up online, lists, verifies, refuses to restore under a running server, restores after it stops', async () => {
    const server = await startChildServer(dataDir);
    const owner = await setUpOwnerOverHttp(server.baseUrl);
    const call = httpClient(server.baseUrl, owner.token);
    for (let i = 0; i < 20; i++) expect((await call('POST', '/api/orgs', { name: `before ${i}` })).status).toBe(201);

    const writes = Promise.all(Array.from({ length: 40 }, (_, i) => call('POST', '/api/orgs', { name: `during ${i}` })));
    const created = await chorus(['backup', '--data-dir', dataDir]);
    await writes;
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const id = /Backup (\S+) written and verified/.exec(created.stdout)![1]!;

    const listed = await chorus(['backup', 'list', '--data-dir', dataDir]);
    expect(listed.stdout).toContain(id);
    expect((await chorus(['backup', 'verify', id, '--data-dir', dataDir])).stdout).toContain('is good');

    const refused = await chorus(['backup', 'restore', id, '--data-dir', dataDir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/A Chorus server \(pid \d+\) is using .*--force/);

    for (let i = 0; i < 5; i++) await call('POST', '/api/orgs', { name: `lost ${i}` });
    await stopChildServer(server);

    const restored = await chorus(['backup', 'restore', id, '--data-dir', dataDir]);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/previous store was kept at .*chorus\.db\.replaced-/);
    const db = new SQLite(path.join(dataDir, 'chorus.db'), { readonly: true });
    const names = db.prepare('select name from orgs').pluck().all() as string[];
    db.close();
    expect(names.filter((n) => n.startsWith('before'))).toHaveLength(20);
    expect(names.filter((n) => n.startsWith('lost'))).toHaveLength(0);

    const again = await startChildServer(dataDir);
    expect((await httpClient(again.baseUrl, owner.token)('GET', '/api/orgs')).status).toBe(200);
    await stopChildServer(again);

    const missing = await chorus(['backup', 'verify', '20200101T000000Z-abcdef', '--data-dir', dataDir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No backup 20200101T000000Z-abcdef');
  });

  it('refuses on PostgreSQL with a pointer to the right tools', async () => {
    const url = testPostgresUrl();
    const result = await chorus(['backup', '--database-url', url ?? 'postgres://127.0.0.1:1/none', '--data-dir', dataDir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/pgBackRest.*docs\/operations\.md/);
  });
});
