/**
 * Issue 15: a channel's token nearing its end, and a channel that needs reconnecting, reach the
 * bell of the org's owners and admins (who may reconnect it), not of editors; once per token end
 * and once per breakage, however many rounds or workers run.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.js';
import { noticeChannelTokens } from '../../src/channels/token-notices.js';
import { createSafeFetch } from '../../src/lib/outbound-http/safe-fetch.js';
import { announceTargetFailure } from '../../src/publishing/failure-announcements.js';
import { invitePerson, setUpOwner, type Person } from '../support/api-client.js';
import { startContractServer, type ContractServer } from '../support/contract-server.js';
import { describeEachStore } from '../support/stores.js';

const SECRET = 'token-notices-test-secret-0123456789';
const APP_SECRET = 'abcdef0123456789abcdef0123456789';
const PAGE_ID = '104857600123456';
const PAGE_TOKEN = 'EAAPage'.padEnd(60, 'p');
const START = Date.parse('2026-12-05T01:30:00Z');
const DAY = 24 * 60 * 60_000;
const VERIFY = `GET /v21.0/${PAGE_ID}`;
const PAGE = { id: PAGE_ID, name: 'ACME ベーカリー', username: 'acmebakery', link: 'https://www.facebook.com/acmebakery' };
const REVOKED = {
  status: 400,
  json: { error: { message: 'Error validating access token: the user has changed the password', type: 'OAuthException', code: 190 } },
};

describeEachStore('Channel notices in the bell', (current) => {
  let remote: ContractServer;
  let app: FastifyInstance;
  let owner: Person;
  let admin: Person;
  let editor: Person;
  let now: number;

  beforeAll(async () => {
    remote = await startContractServer();
  });
  afterAll(() => remote.close());
  beforeEach(async () => {
    now = START;
    Object.assign(remote.routes, { [VERIFY]: () => ({ json: PAGE }) });
    app = await buildServer({
      store: current().store,
      webRoot: null,
      secretKey: SECRET,
      clock: () => new Date(now),
      addressPolicy: { allowPrivateNetwork: true },
    });
    await app.ready();
    owner = await setUpOwner(app);
    admin = await invitePerson(owner, 'Ada Admin', 'admin');
    editor = await invitePerson(owner, 'Eddie Editor', 'editor');
  });
  afterEach(async () => {
    await app.close();
  });

  const channels = () => `/api/orgs/${owner.orgId}/channels`;
  const sweep = () => noticeChannelTokens(current().store, () => new Date(now));
  const connectPage = async (tokenExpiresAt?: string) => {
    const answer = await owner.client.post(channels(), {
      network: 'facebook',
      credentials: { apiBase: remote.url, pageId: PAGE_ID, pageAccessToken: PAGE_TOKEN, appSecret: APP_SECRET, ...(tokenExpiresAt ? { tokenExpiresAt } : {}) },
    });
    expect(answer.status).toBe(201);
    return answer.body.channel.id as string;
  };
  const check = async (id: string) => {
    const answer = await owner.client.post(`${channels()}/${id}/check`);
    expect(answer.status).toBe(200);
    return answer.body.channel.health.status as string;
  };
  const bell = async (person: Person) =>
    (await person.client.get(`/api/orgs/${owner.orgId}/notifications`)).body.notifications as { kind: string; title: string; body: string; link: string }[];

  it('a token ten days from its end tells owners and admins once, naming the channel and linking to Settings → Channels; editors hear nothing', async () => {
    await connectPage(new Date(START + 10 * DAY).toISOString());
    expect(await sweep()).toBe(1);
    for (const person of [owner, admin]) {
      expect(await bell(person)).toEqual([
        expect.objectContaining({
          kind: 'channel.token_ending',
          title: 'Reconnect ACME ベーカリー (Facebook Page) before 2026-12-15: its access token ends then',
          body: 'ACME ベーカリー (Facebook Page)',
          link: `/orgs/${owner.orgId}/settings/channels`,
        }),
      ]);
    }
    expect(await bell(editor)).toEqual([]);

    expect(await sweep()).toBe(0);
    now = START + 5 * DAY;
    expect(await sweep()).toBe(0);
    expect(await bell(owner)).toHaveLength(1);
  });

  it('a token further than two weeks from its end is told of once it comes within them, and a new token with another end is told of again', async () => {
    const id = await connectPage(new Date(START + 20 * DAY).toISOString());
    expect(await sweep()).toBe(0);
    now = START + 7 * DAY;
    expect(await sweep()).toBe(1);
    expect((await bell(admin)).map((n) => n.kind)).toEqual(['channel.token_ending']);

    const reconnected = await owner.client.request('PUT', `${channels()}/${id}/credentials`, {
      credentials: {
        apiBase: remote.url,
        pageId: PAGE_ID,
        pageAccessToken: PAGE_TOKEN,
        appSecret: APP_SECRET,
        tokenExpiresAt: new Date(START + 40 * DAY).toISOString(),
      },
    });
    expect(reconnected.status).toBe(200);
    expect(await sweep()).toBe(0);
    now = START + 30 * DAY;
    expect(await sweep()).toBe(1);
    expect((await bell(admin)).map((n) => n.kind)).toEqual(['channel.token_ending', 'channel.token_ending']);
  });

  it('health turning needs_reconnect tells owners and admins once; back to ok and broken again is told again', async () => {
    const id = await connectPage();
    remote.routes[VERIFY] = () => REVOKED;
    expect(await check(id)).toBe('needs_reconnect');
    expect(await sweep()).toBe(1);
    for (const person of [owner, admin]) {
      expect(await bell(person)).toEqual([
        expect.objectContaining({
          kind: 'channel.needs_reconnect',
          title: 'Reconnect ACME ベーカリー (Facebook Page): publishing to it fails until then',
          link: `/orgs/${owner.orgId}/settings/channels`,
        }),
      ]);
    }
    expect(await bell(editor)).toEqual([]);

    // Every later check finds it still broken: no more notices.
    expect(await check(id)).toBe('needs_reconnect');
    expect(await sweep()).toBe(0);
    expect(await bell(owner)).toHaveLength(1);

    remote.routes[VERIFY] = () => ({ json: PAGE });
    expect(await check(id)).toBe('ok');
    expect(await sweep()).toBe(0);
    remote.routes[VERIFY] = () => REVOKED;
    expect(await check(id)).toBe('needs_reconnect');
    expect(await sweep()).toBe(1);
    expect((await bell(owner)).map((n) => n.kind)).toEqual(['channel.needs_reconnect', 'channel.needs_reconnect']);
  });

  it('a token that passes its end with nothing reading the channel turns it to needs_reconnect and tells admins, before anyone tries to publish', async () => {
    const end = new Date(START + 3 * DAY).toISOString();
    const id = await connectPage(end);
    expect(await sweep()).toBe(1);
    now = START + 3 * DAY + 60_000;
    expect(await sweep()).toBe(1);
    const listed = (await owner.client.get(channels())).body.channels.find((c: { id: string }) => c.id === id);
    expect(listed.health).toEqual({ status: 'needs_reconnect', reason: `The access token expired at ${end}: reconnect the channel` });
    expect((await bell(admin)).map((n) => n.kind)).toEqual(['channel.needs_reconnect', 'channel.token_ending']);
    expect(await sweep()).toBe(0);
  });

  it('a publish the network refuses for its credentials marks the channel needs_reconnect at once, and the bell follows; other failures leave it', async () => {
    const id = await connectPage();
    const fetch = createSafeFetch({ policy: { allowPrivateNetwork: true } });
    const failed = announceTargetFailure(
      current().store.db,
      () => new Date(now),
      () => fetch,
    );
    const failure = { orgId: owner.orgId, postId: 'p-1', targetId: 't-1', channelAccountId: id, authorUserId: owner.userId, network: 'facebook' };
    const health = async () => (await owner.client.get(channels())).body.channels.find((c: { id: string }) => c.id === id).health;

    await failed({ ...failure, kind: 'permanent', reason: 'The network refused the post: duplicate status' });
    expect(await health()).toEqual({ status: 'ok' });
    expect(await sweep()).toBe(0);

    await failed({ ...failure, kind: 'auth', reason: 'The account needs reconnecting: the user has changed the password' });
    expect(await health()).toEqual({ status: 'needs_reconnect', reason: 'The account needs reconnecting: the user has changed the password' });
    expect(await sweep()).toBe(1);
    expect((await bell(admin)).map((n) => n.kind)).toEqual(['channel.needs_reconnect']);
  });

  it('workers sweeping at the same time tell each notice once', async () => {
    await connectPage(new Date(START + 10 * DAY).toISOString());
    const rounds = await Promise.all([sweep(), sweep(), sweep()]);
    expect(rounds.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await bell(owner)).toHaveLength(1);
  });
});
