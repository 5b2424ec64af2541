import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { API_DOCS_PREFIX } from '../../src/http/authentication.js';
import { buildServer } from '../../src/app/server.js';
import { DEFAULT_RETENTION } from '../../src/ops/backup/retention.js';
import { openTestStore, type TestStore } from '../support/stores.js';

/**
 * Every route declares the schema of its success answer (core/api/), so /api/docs documents it
 * and the web's types are the server's. Only the API docs plugin's own pages are exempt.
 */
let app: FastifyInstance;
let store: TestStore;
let backupDir: string;

beforeAll(async () => {
  store = await openTestStore('sqlite');
  backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-responses-'));
  // Backup routes exist only with a database file; give them one so they are walked too.
  app = await buildServer({
    store: store.store,
    webRoot: null,
    backups: { databaseFile: path.join(backupDir, 'absent.db'), settings: { directory: backupDir, intervalMinutes: 0, retention: DEFAULT_RETENTION } },
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await store.dispose();
  fs.rmSync(backupDir, { recursive: true, force: true });
});

const isSuccess = (status: string) => /^[23](\d\d|xx)$/i.test(status);
const ours = (url: string) => !url.startsWith(API_DOCS_PREFIX);

it('every route declares a response schema for its success status', () => {
  const routes = app.registeredRoutes.filter((route) => ours(route.url));
  expect(routes.length).toBeGreaterThan(100);
  const missing = routes.filter((route) => !route.responses.some(isSuccess)).map((route) => `${route.method} ${route.url}`);
  expect(missing).toEqual([]);
});

it('every JSON route declares the error body for 4xx and 5xx too', () => {
  const missing = app.registeredRoutes
    .filter((route) => ours(route.url) && route.url.startsWith('/api/'))
    .filter((route) => !(route.responses.includes('4xx') && route.responses.includes('5xx')))
    .map((route) => `${route.method} ${route.url}`);
  expect(missing).toEqual([]);
});

it('/api/docs documents the answers of every operation', async () => {
  type Operation = { responses?: Record<string, { content?: unknown }> };
  const paths = ((await app.inject({ method: 'GET', url: `${API_DOCS_PREFIX}/json` })).json() as { paths: Record<string, Record<string, Operation>> }).paths;
  expect(Object.keys(paths).length).toBeGreaterThan(100);
  // Without a schema, the docs plugin still lists a bare "200 Default Response"; a declared one has content.
  const undocumented = Object.entries(paths).flatMap(([url, operations]) =>
    Object.entries(operations)
      .filter(([, operation]) => !Object.entries(operation.responses ?? {}).some(([status, answer]) => isSuccess(status) && answer.content !== undefined))
      .map(([method]) => `${method.toUpperCase()} ${url}`),
  );
  expect(undocumented).toEqual([]);
});
