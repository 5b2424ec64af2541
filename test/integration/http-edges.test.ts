import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient, buildTestServer, setUpOwner, type Person } from '../support/api-client.js';
import { describeEachStore, openTestStore, testDialects } from '../support/stores.js';

describeEachStore('HTTP edges', (current) => {
  let app: FastifyInstance;
  let owner: Person;
  beforeEach(async () => {
    app = await buildTestServer(current().store);
    owner = await setUpOwner(app);
  });
  afterEach(() => app.close());

  const raw = (method: 'POST' | 'PATCH', url: string, payload: string, contentType = 'application/json') =>
    app.inject({ method, url, payload, headers: { 'content-type': contentType, authorization: `Bearer ${owner.client.bearer}` } });

  beforeEach(async () => {
    owner.client.bearer = (await owner.client.post('/api/me/tokens', { name: 'edges' })).body.token;
  });

  it('answers HEAD where monitors and unfurlers probe, and not on API routes', async () => {
    for (const url of ['/healthz', '/readyz', '/status']) {
      const head = await app.inject({ method: 'HEAD', url });
      expect(head.statusCode, url).toBe(200);
      expect(head.body, url).toBe('');
    }
    const link = (await owner.client.post(`/api/orgs/${owner.orgId}/links`, { url: 'https://example.com/' })).body.link;
    const short = await app.inject({ method: 'HEAD', url: `/s/${link.code}` });
    expect(short.statusCode).toBe(302);
    expect(short.headers.location).toBe('https://example.com/');
    const api = await app.inject({ method: 'HEAD', url: '/api/session', headers: { authorization: `Bearer ${owner.client.bearer}` } });
    expect(api.statusCode).toBe(404);
    expect((await owner.client.get('/api/session')).status).toBe(200);
  });

  it('answers malformed JSON with 400 malformed_json', async () => {
    const res = await raw('POST', '/api/orgs', '{"name": "unterminated');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'malformed_json', message: 'The request body is not valid JSON' } });
  });

  it('answers wrong types and unknown fields with 400 validation_failed naming the field', async () => {
    const wrongType = await raw('POST', '/api/orgs', JSON.stringify({ name: 42 }));
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().error.code).toBe('validation_failed');
    expect(wrongType.json().error.details).toEqual([expect.objectContaining({ location: 'body', path: 'name' })]);
    const unknown = await raw('POST', '/api/orgs', JSON.stringify({ name: 'ok', plan: 'enterprise' }));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain('plan');
    const badQuery = await owner.client.get(`/api/orgs/${owner.orgId}/audit?limit=-5`);
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error.details[0].location).toBe('querystring');
  });

  it('answers an oversized body with 413 and stores nothing', async () => {
    const res = await raw('POST', '/api/orgs', JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }));
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
    expect(await current().store.db.selectFrom('orgs').select('name').execute()).toEqual([{ name: 'Acme' }]);
  });

  it('answers a non-JSON content type with 415', async () => {
    const res = await raw('POST', '/api/orgs', 'name=x', 'application/x-www-form-urlencoded');
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('unsupported_media_type');
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const res = await owner.client.get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('serves health, readiness, Prometheus metrics and the OpenAPI document without signing in', async () => {
    const anonymous = new ApiClient(app);
    expect((await anonymous.get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await anonymous.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks.migrations.ok).toBe(true);
    await anonymous.get('/api/setup');
    const metrics = await anonymous.get('/metrics');
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.raw).toMatch(/chorus_http_requests_total\{method="GET",route="\/api\/setup",status="200"\} 1/);
    expect(metrics.raw).toContain('chorus_http_request_duration_seconds_bucket');
    const spec = await anonymous.get('/api/docs/json');
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toMatch(/^3\./);
    expect(spec.body.paths['/api/orgs/{orgId}/members/{userId}'].patch.requestBody.content['application/json'].schema.properties.role.enum).toEqual([
      'owner',
      'admin',
      'editor',
      'viewer',
    ]);
    const docsPage = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docsPage.statusCode).toBe(200);
    expect(docsPage.body).toContain('swagger');
    // The docs are answered by a server built on first use: its files still revalidate, and unknown paths get the API's 404.
    const script = await app.inject({ method: 'GET', url: '/api/docs/static/swagger-ui-bundle.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toContain('javascript');
    const again = await app.inject({ method: 'GET', url: '/api/docs/static/swagger-ui-bundle.js', headers: { 'if-none-match': String(script.headers.etag) } });
    expect(again.statusCode).toBe(304);
    const unknown = await app.inject({ method: 'GET', url: '/api/docs/no-such-page' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('not_found');
  });

  it('answers an empty patch of a board or column with the row unchanged', async () => {
    const org = `/api/orgs/${owner.orgId}`;
    const channel = await owner.client.post(`${org}/channels`, { network: 'team', credentials: {} });
    const board = await owner.client.post(`${org}/boards`, { name: 'Launch', shared: true });
    const column = await owner.client.post(`${org}/boards/${board.body.board.id}/columns`, {
      kind: 'team',
      channelAccountId: channel.body.channel.id,
      title: 'Team',
    });
    const boardEdit = await owner.client.patch(`${org}/boards/${board.body.board.id}`, {});
    expect(boardEdit.status, boardEdit.raw).toBe(200);
    expect(boardEdit.body.board).toMatchObject({ id: board.body.board.id, name: 'Launch', shared: true });
    const columnEdit = await owner.client.patch(`${org}/columns/${column.body.column.id}`, {});
    expect(columnEdit.status, columnEdit.raw).toBe(200);
    expect(columnEdit.body.column).toMatchObject({ id: column.body.column.id, title: 'Team', width: 'normal' });
  });

  it('refuses the NUL character in bodies, paths and queries with 400 on both stores', async () => {
    const body = await raw('PATCH', '/api/me', JSON.stringify({ name: 'Nul\u0000Name' }));
    expect(body.statusCode).toBe(400);
    expect(body.json()).toEqual({ error: { code: 'nul_character', message: 'Text may not contain the NUL character (\\u0000)' } });
    const path = await owner.client.get('/api/orgs/%00/members');
    expect(path.status).toBe(400);
    expect(path.body.error.code).toBe('nul_character');
    const query = await owner.client.get(`/api/orgs/${owner.orgId}/contacts?q=%00`);
    expect(query.status).toBe(400);
    expect((await owner.client.get('/api/session')).body.user.name).toBe('Olivia Owner');
  });

  it('never answers 5xx to arbitrary JSON bodies (property test)', async () => {
    const routes = [
      ['POST', '/api/session'],
      ['POST', '/api/setup'],
      ['POST', '/api/orgs'],
      ['PATCH', '/api/me'],
      ['POST', '/api/me/tokens'],
      ['POST', `/api/orgs/${owner.orgId}/invitations`],
      ['PATCH', `/api/orgs/${owner.orgId}/members/${owner.userId}`],
    ] as const;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.jsonValue(), async ([method, url], body) => {
        const res = await raw(method, url, JSON.stringify(body));
        expect(res.statusCode).toBeLessThan(500);
        expect(res.json()).toBeTypeOf('object');
      }),
      { numRuns: 150 },
    );
  });
});

describe('readiness before migrations', () => {
  for (const dialect of testDialects()) {
    it(`reports not ready on an unmigrated ${dialect} store`, async () => {
      const test = await openTestStore(dialect, { migrate: false });
      const app = await buildTestServer(test.store);
      try {
        const res = await app.inject({ method: 'GET', url: '/readyz' });
        expect(res.statusCode).toBe(503);
        expect(res.json().checks.migrations.ok).toBe(false);
        expect(res.json().checks.migrations.detail).toContain('0001_accounts');
      } finally {
        await app.close();
        await test.dispose();
      }
    });
  }
});
