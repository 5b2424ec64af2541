import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { buildServer } from '../../src/app/server.js';
import { createSafeFetch } from '../../src/lib/outbound-http/safe-fetch.js';
import { announceTargetFailure } from '../../src/publishing/failure-announcements.js';
import { publishDueTargets } from '../../src/publishing/publisher.js';
import { invitePerson, setUpOwner, type Person } from '../support/api-client.js';
import { PRIVATE_NETWORK_ALLOWED } from '../support/private-network.js';
import { ScriptedNetwork, scriptedDirectory } from '../support/scripted-network.js';
import { describeEachStore } from '../support/stores.js';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on loopback that records what Chorus sends. */
let receiver: http.Server;
let receiverUrl: string;
const received: Received[] = [];
let answerStatus = 200;
beforeAll(async () => {
  receiver = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(answerStatus).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/chorus`;
});
afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
});

describeEachStore('notifications and webhooks', (current) => {
  let app: FastifyInstance;
  // Mutable, so one test can close private networks on the running server (the operator's setting).
  let addressPolicy: { allowPrivateNetwork: boolean };
  let network: ScriptedNetwork;
  let owner: Person;
  let directory: ReturnType<typeof scriptedDirectory>;
  beforeEach(async () => {
    received.length = 0;
    answerStatus = 200;
    network = new ScriptedNetwork();
    let orgId = '';
    directory = scriptedDirectory(network, () => orgId, [{ id: 'bsky-1', network: 'bluesky', displayName: 'Shop' }]);
    addressPolicy = { ...PRIVATE_NETWORK_ALLOWED };
    app = await buildServer({ store: current().store, webRoot: null, channelDirectory: directory, addressPolicy });
    owner = await setUpOwner(app);
    orgId = owner.orgId;
  });
  afterEach(() => app.close());

  it('tells the author in the app and signs a webhook when a target fails for good', async () => {
    const hook = await owner.client.post(`/api/orgs/${owner.orgId}/webhooks`, { url: receiverUrl, events: ['post.target_failed'] });
    expect(hook.status).toBe(201);
    expect(hook.body.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const admin = await invitePerson(owner, 'Ada Admin', 'admin');
    const post = await admin.client.post(`/api/orgs/${owner.orgId}/posts`, { text: 'Launch', channelAccountIds: ['bsky-1'], action: 'publish_now' });
    network.failNext('bsky-1', { kind: 'auth', message: 'app password revoked' });
    const fetch = createSafeFetch({ policy: { allowPrivateNetwork: true } });
    await publishDueTargets({
      store: current().store,
      clock: () => new Date(),
      directory,
      workerId: 'w',
      onFailure: announceTargetFailure(
        current().store.db,
        () => new Date(),
        () => fetch,
      ),
    });

    const inbox = await admin.client.get(`/api/orgs/${owner.orgId}/notifications`);
    expect(inbox.body.unread).toBe(1);
    expect(inbox.body.notifications[0]).toMatchObject({
      kind: 'post.target_failed',
      title: 'A post did not go out on bluesky',
      body: 'The account needs reconnecting: app password revoked',
      read: false,
    });
    expect((await owner.client.get(`/api/orgs/${owner.orgId}/notifications`)).body.unread).toBe(0);

    expect(received).toHaveLength(1);
    const signature = createHmac('sha256', hook.body.secret).update(received[0]!.body).digest('hex');
    expect(received[0]!.headers['x-chorus-signature']).toBe(`sha256=${signature}`);
    expect(JSON.parse(received[0]!.body)).toMatchObject({
      event: 'post.target_failed',
      data: { postId: post.body.post.id, network: 'bluesky', failureKind: 'auth' },
    });
    expect((await owner.client.get(`/api/orgs/${owner.orgId}/webhooks`)).body.webhooks[0]).toMatchObject({ lastDeliveryStatus: 200, lastError: null });

    expect((await admin.client.post(`/api/orgs/${owner.orgId}/notifications/read`, { all: true })).status).toBe(204);
    expect((await admin.client.get(`/api/orgs/${owner.orgId}/notifications`)).body.unread).toBe(0);
  });

  it('notifies the author of a rejection with the comment', async () => {
    const editor = await invitePerson(owner, 'Ed Editor', 'editor');
    const post = await editor.client.post(`/api/orgs/${owner.orgId}/posts`, { text: 'Please approve', channelAccountIds: ['bsky-1'], action: 'submit' });
    await owner.client.post(`/api/orgs/${owner.orgId}/posts/${post.body.post.id}/reject`, { comment: 'Add the date' });
    const inbox = await editor.client.get(`/api/orgs/${owner.orgId}/notifications`);
    expect(inbox.body.notifications[0]).toMatchObject({ kind: 'post.rejected', body: 'Add the date' });
  });

  it('records a failing receiver, tests on demand, and keeps webhooks admin-only and http(s)-only', async () => {
    answerStatus = 500;
    const hook = await owner.client.post(`/api/orgs/${owner.orgId}/webhooks`, { url: receiverUrl, events: ['webhook.test'] });
    const tested = await owner.client.post(`/api/orgs/${owner.orgId}/webhooks/${hook.body.webhook.id}/test`);
    expect(tested.body.webhook).toMatchObject({ lastDeliveryStatus: 500, lastError: 'The receiver answered HTTP 500' });
    expect(JSON.parse(received[0]!.body).event).toBe('webhook.test');
    expect((await owner.client.post(`/api/orgs/${owner.orgId}/webhooks`, { url: 'file:///etc/passwd', events: ['webhook.test'] })).status).toBe(400);
    const editor = await invitePerson(owner, 'Ed Editor', 'editor');
    expect((await editor.client.get(`/api/orgs/${owner.orgId}/webhooks`)).status).toBe(403);
    expect((await owner.client.delete(`/api/orgs/${owner.orgId}/webhooks/${hook.body.webhook.id}`)).status).toBe(204);
    expect((await owner.client.get(`/api/orgs/${owner.orgId}/webhooks`)).body.webhooks).toEqual([]);
  });

  it('refuses a webhook to a private or metadata address when it is saved, not only at delivery', async () => {
    const save = (url: string) => owner.client.post(`/api/orgs/${owner.orgId}/webhooks`, { url, events: ['webhook.test'] });
    addressPolicy.allowPrivateNetwork = false;
    try {
      const refusals = {
        'http://127.0.0.1:9/hook':
          '127.0.0.1 is not reachable from Chorus: 127.0.0.1 is a loopback address. Webhooks on private networks need the operator setting CHORUS_ALLOW_PRIVATE_NETWORK=true',
        'http://localhost:9/hook':
          'localhost is not reachable from Chorus: 127.0.0.1 is a loopback address. Webhooks on private networks need the operator setting CHORUS_ALLOW_PRIVATE_NETWORK=true',
        'https://10.1.2.3/hook':
          '10.1.2.3 is not reachable from Chorus: 10.1.2.3 is a private-network address. Webhooks on private networks need the operator setting CHORUS_ALLOW_PRIVATE_NETWORK=true',
        'http://0x7f000001/hook':
          '127.0.0.1 is not reachable from Chorus: 127.0.0.1 is a loopback address. Webhooks on private networks need the operator setting CHORUS_ALLOW_PRIVATE_NETWORK=true',
        'http://169.254.169.254/latest/meta-data/': '169.254.169.254 is not reachable from Chorus: 169.254.169.254 is a cloud metadata address',
      };
      for (const [url, message] of Object.entries(refusals)) {
        const res = await save(url);
        expect(res.status, url).toBe(400);
        expect(res.body.error, url).toEqual({ code: 'address_not_allowed', message, details: { field: 'url' }, params: { field: 'url' } });
      }
    } finally {
      addressPolicy.allowPrivateNetwork = true;
    }
    // The operator's setting opens private networks, never the metadata service, in any spelling.
    expect((await save(receiverUrl)).status).toBe(201);
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://[::ffff:169.254.169.254]/', 'http://[fd00:ec2::254]/']) {
      const res = await save(url);
      expect(res.status, url).toBe(400);
      expect(res.body.error.message, url).toContain('is a cloud metadata address');
      expect(res.body.error.message).not.toContain('CHORUS_ALLOW_PRIVATE_NETWORK');
    }
    const stored = (await owner.client.get(`/api/orgs/${owner.orgId}/webhooks`)).body.webhooks;
    expect(stored.map((w: { url: string }) => w.url)).toEqual([receiverUrl]);
  });
});
