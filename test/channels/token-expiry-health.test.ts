/**
 * A channel's recorded health follows its token's end on both stores: connect and reconnect
 * compare it with the clock, the check endpoint runs the connector's own health test (an expired
 * Meta token needs reconnecting though Meta still accepts it), and working reads keep that
 * verdict, running the full test at most once a clock hour.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.js';
import { setUpOwner, type Person } from '../support/api-client.js';
import { startContractServer, type ContractServer } from '../support/contract-server.js';
import { describeEachStore } from '../support/stores.js';

const SECRET = 'token-expiry-health-test-secret-0123';
const APP_SECRET = 'abcdef0123456789abcdef0123456789';
const PAGE_ID = '104857600123456';
const PAGE_TOKEN = 'EAAPage'.padEnd(60, 'p');
const START = Date.parse('2026-12-05T01:30:00Z');
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const VERIFY = `GET /v21.0/${PAGE_ID}`;

describeEachStore('Health from the token end', (current) => {
  let remote: ContractServer;
  let app: FastifyInstance;
  let owner: Person;
  let now: number;

  beforeAll(async () => {
    remote = await startContractServer();
  });
  afterAll(() => remote.close());
  beforeEach(async () => {
    now = START;
    remote.requests.length = 0;
    Object.assign(remote.routes, {
      // Meta keeps answering: only the token's end says the channel is about to stop working.
      [VERIFY]: () => ({ json: { id: PAGE_ID, name: 'ACME ベーカリー', username: 'acmebakery', link: 'https://www.facebook.com/acmebakery' } }),
      [`GET /v21.0/${PAGE_ID}/posts`]: () => ({ json: { data: [] } }),
    });
    app = await buildServer({
      store: current().store,
      webRoot: null,
      secretKey: SECRET,
      clock: () => new Date(now),
      addressPolicy: { allowPrivateNetwork: true },
    });
    await app.ready();
    owner = await setUpOwner(app);
  });
  afterEach(async () => {
    await app.close();
  });

  const channels = () => `/api/orgs/${owner.orgId}/channels`;
  const connectPage = async (tokenExpiresAt: string) => {
    const answer = await owner.client.post(channels(), {
      network: 'facebook',
      credentials: { apiBase: remote.url, pageId: PAGE_ID, pageAccessToken: PAGE_TOKEN, appSecret: APP_SECRET, tokenExpiresAt },
    });
    expect(answer.status).toBe(201);
    return answer.body.channel.id as string;
  };
  const check = async (id: string) => {
    const answer = await owner.client.post(`${channels()}/${id}/check`);
    expect(answer.status).toBe(200);
    return answer.body.channel.health;
  };
  const listedHealth = async (id: string) => {
    const answer = await owner.client.get(channels());
    return answer.body.channels.find((c: { id: string }) => c.id === id).health;
  };
  const read = async (id: string) => {
    const answer = await owner.client.get(`${channels()}/${id}/stream?kind=user_posts`);
    expect(answer.status).toBe(200);
  };

  it('check: a Facebook Page whose token has passed its end needs reconnecting, named in the list, without asking Meta', async () => {
    const end = new Date(START + 3 * DAY).toISOString();
    const id = await connectPage(end);
    now = START + 4 * DAY;
    const verifiedBefore = remote.sent(VERIFY).length;
    const expired = { status: 'needs_reconnect', reason: `The access token expired at ${end}: reconnect the channel` };
    expect(await check(id)).toEqual(expired);
    expect(remote.sent(VERIFY).length).toBe(verifiedBefore);
    expect(await listedHealth(id)).toEqual(expired);
  });

  it('check: a Facebook Page whose token ends later stays ok, and Meta is asked', async () => {
    const id = await connectPage(new Date(START + 3 * DAY).toISOString());
    now = START + 2 * DAY;
    const verifiedBefore = remote.sent(VERIFY).length;
    expect(await check(id)).toEqual({ status: 'ok' });
    expect(remote.sent(VERIFY).length).toBeGreaterThan(verifiedBefore);
    expect(await listedHealth(id)).toEqual({ status: 'ok' });
  });

  it('reads: a token that ends while reads still work turns the channel to needs_reconnect at the next refresh, and it stays so', async () => {
    const end = new Date(START + 10 * MINUTE).toISOString();
    const id = await connectPage(end);
    now = START + 11 * MINUTE;
    await read(id);
    expect(await listedHealth(id)).toEqual({ status: 'needs_reconnect', reason: expect.stringContaining(end) });
    now = START + 15 * MINUTE;
    await read(id);
    expect((await listedHealth(id)).status).toBe('needs_reconnect');
  });

  it("reads: the connector's full health test runs once a clock hour, not at every refresh", async () => {
    const id = await connectPage(new Date(START + 30 * DAY).toISOString());
    const verifiedAfterConnect = remote.sent(VERIFY).length;
    // 01:36 and 01:42: refreshes in the hour the channel was connected in ask Meta nothing more.
    now = START + 6 * MINUTE;
    await read(id);
    now = START + 12 * MINUTE;
    await read(id);
    expect(remote.sent(VERIFY).length).toBe(verifiedAfterConnect);
    // 02:01: the first refresh of a new hour runs health(), which verifies the Page once.
    remote.routes[VERIFY] = () => ({ status: 400, json: { error: { message: 'Error validating access token', type: 'OAuthException', code: 190 } } });
    now = START + 31 * MINUTE;
    await read(id);
    expect(remote.sent(VERIFY).length).toBe(verifiedAfterConnect + 1);
    expect(await listedHealth(id)).toMatchObject({ status: 'needs_reconnect', reason: expect.stringContaining('Error validating access token') });
  });

  it('connect and reconnect record a token given with an end already past as needs_reconnect, and a fresh one as ok', async () => {
    const past = new Date(START - MINUTE).toISOString();
    const id = await connectPage(past);
    expect(await listedHealth(id)).toEqual({ status: 'needs_reconnect', reason: `The access token expired at ${past}: reconnect the channel` });
    const reconnect = (tokenExpiresAt: string) =>
      owner.client.request('PUT', `${channels()}/${id}/credentials`, {
        credentials: { apiBase: remote.url, pageId: PAGE_ID, pageAccessToken: PAGE_TOKEN, appSecret: APP_SECRET, tokenExpiresAt },
      });
    expect((await reconnect(new Date(START + 60 * DAY).toISOString())).body.channel.health).toEqual({ status: 'ok' });
    expect((await reconnect(past)).body.channel.health).toMatchObject({ status: 'needs_reconnect', reason: expect.stringContaining(past) });
  });

  it('listing channels asks the network nothing: it shows the health last recorded', async () => {
    const id = await connectPage(new Date(START + 10 * MINUTE).toISOString());
    const before = remote.requests.length;
    now = START + DAY;
    expect(await listedHealth(id)).toEqual({ status: 'ok' });
    expect(remote.requests.length).toBe(before);
  });
});
