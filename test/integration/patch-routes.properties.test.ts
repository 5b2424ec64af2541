import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildTestServer, invitePerson, setUpOwner } from '../support/api-client.js';
import { blueskyPost, ingestAndCollect, offlineBlueskyAccount } from '../inbox/support.js';
import { arbitraryOf, type JsonSchema } from '../support/json-schema-arbitrary.js';
import { describeEachStore } from '../support/stores.js';

const RUNS_PER_ROUTE = 60;

/**
 * Every registered PATCH route, aimed at real rows, gets bodies that are valid by the route's own
 * published JSON schema (the OpenAPI document the zod schemas generate): `{}`, every subset of
 * the optional fields, strings at their limits and with awkward characters. Whatever the body,
 * the answer is never a 5xx. A new PATCH route with a new path parameter must get a row below.
 */
describeEachStore('every PATCH route', (current) => {
  let app: FastifyInstance;
  beforeEach(async () => {
    app = await buildTestServer(current().store);
  });
  afterEach(() => app.close());

  it('answers no 5xx to any body valid by its schema', async () => {
    const owner = await setUpOwner(app);
    const teammate = await invitePerson(owner, 'Tess Teammate', 'editor');
    const org = `/api/orgs/${owner.orgId}`;
    const channel = await owner.client.post(`${org}/channels`, { network: 'team', credentials: {} });
    const post = await owner.client.post(`${org}/posts`, { text: 'draft to edit', channelAccountIds: [channel.body.channel.id], action: 'draft' });
    const media = await owner.client.post(`${org}/media`, { mimeType: 'image/gif', dataBase64: Buffer.from('GIF89a tiny').toString('base64') });
    const board = await owner.client.post(`${org}/boards`, { name: 'board to edit' });
    const column = await owner.client.post(`${org}/boards/${board.body.board.id}/columns`, { kind: 'team', channelAccountId: channel.body.channel.id });
    const contact = await owner.client.post(`${org}/contacts`, { displayName: 'contact to edit' });
    for (const created of [channel, post, media, board, column, contact]) expect(created.status, created.raw).toBe(201);
    const company = await owner.client.post(`${org}/companies`, { name: 'company to edit' });
    const task = await owner.client.post(`${org}/tasks`, { title: 'task to edit' });
    const form = await owner.client.post(`${org}/forms`, { name: 'form to edit', fields: [{ name: 'email', type: 'email', required: true }] });
    const campaign = await owner.client.post(`${org}/campaigns`, { name: 'campaign to edit' });
    for (const created of [company, task, form, campaign]) expect(created.status, created.raw).toBe(201);
    const [conversationId] = await ingestAndCollect(app, owner.orgId, await offlineBlueskyAccount(app, owner.orgId), [
      blueskyPost('carol.test', '@acme.test a conversation to edit'),
    ]);

    const rowIds: Record<string, string> = {
      orgId: owner.orgId,
      userId: teammate.userId,
      mediaId: media.body.media.id,
      postId: post.body.post.id,
      boardId: board.body.board.id,
      columnId: column.body.column.id,
      contactId: contact.body.contact.id,
      conversationId: conversationId!,
      companyId: company.body.company.id,
      taskId: task.body.task.id,
      formId: form.body.form.id,
      campaignId: campaign.body.campaign.id,
    };
    const document = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json() as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
    };
    const patchRoutes = app.registeredRoutes.filter((route) => route.method === 'PATCH');
    expect(patchRoutes.length).toBeGreaterThanOrEqual(8);

    for (const route of patchRoutes) {
      const params = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      expect(
        params.filter((p) => !(p in rowIds)),
        `PATCH ${route.url} has a parameter this test has no row for: add one`,
      ).toEqual([]);
      const url = route.url.replace(/:(\w+)/g, (_, name: string) => rowIds[name]!);
      const schema = document.paths[route.url.replace(/:(\w+)/g, '{$1}')]?.patch?.requestBody?.content['application/json']?.schema;
      expect(schema, `PATCH ${route.url} publishes no JSON body schema`).toBeDefined();
      await fc.assert(
        fc.asyncProperty(arbitraryOf(schema!), async (body) => {
          const res = await owner.client.patch(url, body);
          expect(res.status, `PATCH ${route.url} ${JSON.stringify(body)} answered ${res.status}: ${res.raw.slice(0, 300)}`).toBeLessThan(500);
          if (res.status >= 400) expect(res.body.error, res.raw).toMatchObject({ code: expect.any(String), message: expect.any(String) });
        }),
        { numRuns: RUNS_PER_ROUTE, examples: [[{}]] },
      );
    }
  });
});
