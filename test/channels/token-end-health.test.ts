/**
 * The shared expiry test behind health() of the networks whose tokens end (token-expiry.ts), and
 * each of those connectors using it: past the end, needs_reconnect without a network call.
 */
import { describe, expect, it } from 'vitest';
import type { ChannelContext } from '../../src/channels/channel-context.js';
import { failed, succeeded, type ChannelConnector, type ConnectorResult } from '../../src/channels/connector.js';
import { createFacebookConnector } from '../../src/channels/facebook/connector.js';
import { createInstagramConnector } from '../../src/channels/instagram/connector.js';
import { createLinkedinConnector } from '../../src/channels/linkedin/connector.js';
import { createThreadsConnector } from '../../src/channels/threads/connector.js';
import { expiredTokenHealth, healthWithTokenEnd } from '../../src/channels/token-expiry.js';
import { createXConnector } from '../../src/channels/x/connector.js';
import type { OrgScope } from '../../src/teams/org-scope.js';

const NOW = new Date('2026-12-05T01:30:00Z');
const PAST = '2026-12-05T01:29:59Z';
const LATER = '2026-12-05T01:30:01Z';

describe('expiredTokenHealth', () => {
  it('needs a reconnect from the end on, naming the end, and says nothing before it or without one', () => {
    expect(expiredTokenHealth(PAST, NOW)).toEqual({ status: 'needs_reconnect', reason: `The access token expired at ${PAST}: reconnect the channel` });
    expect(expiredTokenHealth(NOW.toISOString(), NOW)?.status).toBe('needs_reconnect');
    expect(expiredTokenHealth(LATER, NOW)).toBeNull();
    expect(expiredTokenHealth(null, NOW)).toBeNull();
  });
});

describe('healthWithTokenEnd', () => {
  const counting = (answer: ConnectorResult<unknown>) => {
    const verify = { calls: 0, run: async () => (verify.calls++, answer) };
    return verify;
  };

  it('answers an expired token without verifying', async () => {
    const verify = counting(succeeded({}));
    expect(await healthWithTokenEnd(PAST, NOW, verify.run)).toMatchObject({ status: 'needs_reconnect', reason: expect.stringContaining(PAST) });
    expect(verify.calls).toBe(0);
  });

  it("otherwise gives the network's verdict: ok, refused credentials, or network trouble", async () => {
    expect(await healthWithTokenEnd(LATER, NOW, counting(succeeded({})).run)).toEqual({ status: 'ok' });
    expect(await healthWithTokenEnd(null, NOW, counting(failed({ kind: 'auth', message: 'token revoked' })).run)).toEqual({
      status: 'needs_reconnect',
      reason: 'token revoked',
    });
    expect(await healthWithTokenEnd(LATER, NOW, counting(failed({ kind: 'transient', message: 'HTTP 503' })).run)).toEqual({
      status: 'degraded',
      reason: 'HTTP 503',
    });
  });
});

describe('health() of the networks whose tokens end', () => {
  const calls: string[] = [];
  const context: ChannelContext = {
    fetch: async (input) => {
      calls.push(String(input));
      return new Response(JSON.stringify({ error: 'unreachable in this test' }), { status: 503 });
    },
    now: () => NOW,
    saveCredentials: async () => {},
    org: {} as OrgScope,
    channelId: null,
    publicImages: null,
  };
  const api = 'https://api.example';
  const token = 'T'.padEnd(60, 't');
  const expired: Record<string, () => ChannelConnector> = {
    facebook: () =>
      createFacebookConnector({ pageId: '104857600123456', pageAccessToken: token, appSecret: 'a'.repeat(32), tokenExpiresAt: PAST, apiBase: api }, context),
    instagram: () =>
      createInstagramConnector({ igUserId: '17841400000000002', accessToken: token, appSecret: 'a'.repeat(32), tokenExpiresAt: PAST, apiBase: api }, context),
    threads: () => createThreadsConnector({ accessToken: token, expiresAt: PAST, apiBase: api }, context),
    linkedin: () => createLinkedinConnector({ organizationId: '2414183', accessToken: token, expiresAt: PAST, apiBase: api, authBase: api }, context),
    x: () => createXConnector({ clientId: 'client', accessToken: token, userId: '42', username: 'acme', expiresAt: PAST, apiBase: api }, context),
  };

  it.each(Object.keys(expired))('%s: an expired token needs reconnecting, and the network is not asked', async (network) => {
    calls.length = 0;
    expect(await expired[network]!().health()).toEqual({ status: 'needs_reconnect', reason: `The access token expired at ${PAST}: reconnect the channel` });
    expect(calls).toEqual([]);
  });

  it('a token Chorus renews itself is not judged by its end: the network is asked', async () => {
    calls.length = 0;
    const renewable = createXConnector(
      { clientId: 'client', accessToken: token, refreshToken: 'refresh', userId: '42', username: 'acme', expiresAt: PAST, apiBase: api },
      context,
    );
    expect((await renewable.health()).status).not.toBe('ok');
    expect(calls.length).toBeGreaterThan(0);
  });
});
