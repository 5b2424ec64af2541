import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/users.js';
import { buildServer } from '../../src/app/server.js';
import { DEFAULT_RETENTION } from '../../src/ops/backup/retention.js';
import { createOrg } from '../../src/teams/service.js';
import { ApiClient, PASSWORD, setUpOwner } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';

/**
 * Authentication hangs on the route the router matched, so no spelling of a path may get
 * further than the path itself. Every registered route is sent over a real socket (no URL
 * normalising in between) in percent-encoded, double-slash, dot-segment, mixed-case and
 * trailing-slash spellings: unauthenticated, every private route answers 401/403/404, and as
 * a member of another org, every org route answers 403/404.
 */
describeEachStore('route path variants', (current) => {
  let app: FastifyInstance;
  let backupDir: string;
  let port: number;
  beforeEach(async () => {
    backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-variants-'));
    // Backup routes only exist with a database file; give them one so they are walked too.
    app = await buildServer({
      store: current().store,
      webRoot: null,
      backups: { databaseFile: path.join(backupDir, 'absent.db'), settings: { directory: backupDir, intervalMinutes: 0, retention: DEFAULT_RETENTION } },
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
  });
  afterEach(async () => {
    await app.close();
    fs.rmSync(backupDir, { recursive: true, force: true });
  });

  function send(method: string, rawPath: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const body = method === 'GET' || method === 'DELETE' ? undefined : '{}';
      const request = http.request(
        { host: '127.0.0.1', port, method, path: rawPath, headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }

  it('the incident in the report: /%61pi/ops/... is refused without a sign-in', async () => {
    const owner = await setUpOwner(app);
    const incident = await owner.client.post('/api/ops/incidents', { title: 'db slow', message: 'investigating', components: ['store'] });
    expect(incident.status).toBe(201);
    for (const [method, url] of [
      ['GET', '/%61pi/ops/backups'],
      ['POST', '/%61pi/ops/backups'],
      ['GET', '/%61pi/ops/sla'],
      ['POST', `/%61pi/ops/incidents/${incident.body.incident.id}/updates`],
    ] as const) {
      const res = await send(method, url);
      expect([401, 404], `${method} ${url}: ${res.status} ${res.body}`).toContain(res.status);
      expect(res.body).not.toContain(backupDir);
    }
    expect(fs.readdirSync(backupDir)).toEqual([]);
  });

  it('no spelling of any route gets further than the route itself', async () => {
    const alice = await setUpOwner(app, 'Alice Victim', 'Victim Corp');
    const mallory = await createUser(current().store.db, () => new Date(), { email: 'mallory@attacker.example', name: 'Mallory', password: PASSWORD });
    await createOrg(current().store.db, () => new Date(), { name: 'Attacker LLC', ownerUserId: mallory.id });
    const attacker = new ApiClient(app, '198.51.100.66');
    expect((await attacker.post('/api/session', { email: 'mallory@attacker.example', password: PASSWORD })).status).toBe(200);
    const attackerToken = (await attacker.post('/api/me/tokens', { name: 'probe' })).body.token as string;
    expect(attackerToken).toMatch(/^chorus_pat_/);
    const asAttacker = { authorization: `Bearer ${attackerToken}` };

    const routes = app.registeredRoutes.filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs'));
    expect(routes.length).toBeGreaterThan(40);
    let privateRoutes = 0;
    let orgRoutes = 0;
    for (const route of routes) {
      // Any id will do: authentication and membership are decided before a row is looked up.
      const canonical = route.url.replace(/:orgId/g, alice.orgId).replace(/:(\w+)/g, 'x0000000000000000000000000');
      const plain = await send(route.method, canonical);
      const isPrivate = plain.status === 401;
      const isOrgRoute = route.url.includes('/:orgId');
      if (isPrivate) privateRoutes++;
      if (isOrgRoute) orgRoutes++;
      for (const variant of spellings(canonical)) {
        if (isPrivate) {
          const res = await send(route.method, variant);
          expect([401, 403, 404], `unauthenticated ${route.method} ${variant}: ${res.status} ${res.body.slice(0, 200)}`).toContain(res.status);
        }
        if (isOrgRoute) {
          const res = await send(route.method, variant, asAttacker);
          expect([401, 403, 404], `another org's member ${route.method} ${variant}: ${res.status} ${res.body.slice(0, 200)}`).toContain(res.status);
          expect(res.body).not.toContain('Victim Corp');
        }
      }
    }
    expect(privateRoutes).toBeGreaterThan(40);
    expect(orgRoutes).toBeGreaterThan(30);
    expect(fs.readdirSync(backupDir)).toEqual([]);
  });
});

/** Ways to write one path that a router, a proxy or a string test may read differently. */
function spellings(canonical: string): string[] {
  const segments = canonical.split('/').slice(1);
  const encodeFirstLetter = (segment: string) => segment.replace(/[a-z]/i, (c) => `%${c.charCodeAt(0).toString(16)}`);
  return [
    '/' + segments.map(encodeFirstLetter).join('/'),
    '/' + [encodeFirstLetter(segments[0]!), ...segments.slice(1)].join('/'),
    '/' +
      segments
        .map((s) =>
          s
            .split('')
            .map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
            .join(''),
        )
        .join('/'),
    '/' + canonical,
    canonical.replace(/\//g, '//'),
    '/api/./' + segments.slice(1).join('/'),
    '/api/x/../' + segments.slice(1).join('/'),
    '/api/%2e/' + segments.slice(1).join('/'),
    canonical.toUpperCase(),
    '/Api/' + segments.slice(1).join('/'),
    canonical + '/',
    canonical + '?',
    canonical + '%2f',
  ];
}
