import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.js';
import { openTestStore, type TestStore } from '../support/stores.js';

/** The SPA's files and its client-side routes are served to anyone; API paths still need a sign-in. */
describe('serving the web app', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let root: string;
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-webroot-'));
    fs.mkdirSync(path.join(root, 'assets'));
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Chorus SPA</title>');
    fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log("chorus")');
    fs.writeFileSync(path.join(root, 'favicon.svg'), '<svg/>');
    store = await openTestStore('sqlite');
    app = await buildServer({ store: store.store, webRoot: root });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await store.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('answers a client-side route with index.html and an asset with its file, without a sign-in', async () => {
    const page = await app.inject({ method: 'GET', url: '/streams/board-1', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('Chorus SPA');
    const asset = await app.inject({ method: 'GET', url: '/assets/app.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe('console.log("chorus")');
  });

  it('serves hashed assets through one route, cached for good, and the top-level files revalidated', async () => {
    const asset = await app.inject({ method: 'GET', url: '/assets/app.js' });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await app.inject({ method: 'GET', url: '/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).not.toContain('immutable');
    const missing = await app.inject({ method: 'GET', url: '/assets/gone-1234.js' });
    expect(missing.statusCode).toBe(404);
    // A route per asset made the router ~1 000 entries larger at every start (hundreds of font slices).
    const urls = app.registeredRoutes.map((route) => route.url);
    expect(urls).toContain('/assets/*');
    expect(urls).not.toContain('/assets/app.js');
    expect(urls).toContain('/favicon.svg');
  });

  it('does not let a file route or an HTML accept header open the API', async () => {
    const api = await app.inject({ method: 'GET', url: '/api/session', headers: { accept: 'text/html' } });
    expect(api.statusCode).toBe(401);
    const unknownApi = await app.inject({ method: 'GET', url: '/api/nothing-here', headers: { accept: 'text/html' } });
    expect(unknownApi.statusCode).toBe(404);
    expect(unknownApi.json().error.code).toBe('not_found');
  });
});
