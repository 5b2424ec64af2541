import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { sqliteFileOf } from '../../src/ops/backup/sqlite-file.js';
import { buildServer } from '../../src/app/server.js';
import { ApiClient, setUpOwner } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';

describeEachStore('backup API for the instance admin', (current, dialect) => {
  let app: FastifyInstance;
  let backupDir: string;
  beforeEach(async () => {
    backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-backup-api-'));
    const settings = { ...loadConfig({}, {}).backups, directory: backupDir };
    app = await buildServer({ store: current().store, webRoot: null, backups: { databaseFile: sqliteFileOf(current().url), settings } });
    await app.ready();
  });
  afterEach(async () => {
    await app.close();
    fs.rmSync(backupDir, { recursive: true, force: true });
  });

  it('lets only the first user take and list backups; org owners are not instance admins', async () => {
    const admin = await setUpOwner(app);
    const other = new ApiClient(app);
    const signup = await other.post(
      `/api/invitations/${(await admin.client.post(`/api/orgs/${admin.orgId}/invitations`, { role: 'viewer' })).body.token}/signup`,
      {
        name: 'Oscar Other',
        email: 'oscar@example.com',
        password: 'correct horse battery staple',
      },
    );
    expect(signup.status).toBe(201);
    expect((await other.post('/api/orgs', { name: 'Oscar Inc' })).status).toBe(201);
    expect((await other.post('/api/ops/backups')).status).toBe(403);
    expect((await other.get('/api/ops/backups')).body.error.code).toBe('forbidden');
    expect((await new ApiClient(app).get('/api/ops/backups')).status).toBe(401);

    const created = await admin.client.post('/api/ops/backups');
    if (dialect === 'postgres') {
      expect(created.status).toBe(409);
      expect(created.body.error.code).toBe('backups_need_embedded_store');
      expect(created.body.error.message).toMatch(/pgBackRest/);
      return;
    }
    expect(created.status).toBe(201);
    expect(created.body.backup).toMatchObject({ format: 'chorus-backup', rowCounts: { users: 2, orgs: 2 } });
    const listed = await admin.client.get('/api/ops/backups');
    expect(listed.body.backups.map((b: { id: string }) => b.id)).toEqual([created.body.backup.id]);
    expect(listed.body.retention).toEqual({ hourly: 24, daily: 7, weekly: 4 });
  });
});
