import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.js';
import { LoggedUrls } from '../../src/http/request-log.js';
import { ApiClient, PASSWORD, setUpOwner } from '../support/api-client.js';
import { describeEachStore } from '../support/stores.js';

describeEachStore('request log', (current) => {
  let app: FastifyInstance;
  let lines: string[];
  beforeEach(async () => {
    lines = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    app = await buildServer({ store: current().store, webRoot: null, logger: pino({ level: 'info' }, sink) });
    await app.ready();
  });
  afterEach(() => app.close());

  it('never writes an invitation token or an OAuth code or state, in any spelling of the URL', async () => {
    const owner = await setUpOwner(app);
    const invite = await owner.client.post(`/api/orgs/${owner.orgId}/invitations`, { role: 'editor' });
    const token: string = invite.body.token;
    expect(token.length).toBeGreaterThan(20);
    const guest = new ApiClient(app);
    const visits = [
      `/api/invitations/${token}`,
      `/%61pi/INVITATIONS/${token}`,
      `//api//invitations/./${token}`,
      `/api/x/../invitations/${token}?utm=1`,
      `/invite/${token}`,
      `/api/invitations/${token}/unknown-action`,
      `/api/channels/oauth/callback?code=${token}&state=${token}&iss=https%3A%2F%2Fmastodon.example`,
      `/api/anything?token=${token}&access_token=${token}&State=${token}`,
    ];
    for (const url of visits) await guest.get(url);
    const signup = await guest.post(`/api/invitations/${token}/signup`, { name: 'Gina Guest', email: 'gina@example.com', password: PASSWORD });
    expect(signup.status, signup.raw).toBe(201);

    const logged = lines.map((line) => JSON.parse(line) as { msg: string; req?: { url: string } });
    const urls = logged.filter((l) => l.msg === 'incoming request').map((l) => l.req!.url);
    // setup, the invitation, the visits and the sign-up: each logged once.
    expect(urls).toHaveLength(visits.length + 3);
    for (const line of lines) expect(line).not.toContain(token);
    expect(urls).toEqual(
      expect.arrayContaining([
        '/api/invitations/[redacted]',
        '/%61pi/INVITATIONS/[redacted]',
        '//api//invitations/[redacted]',
        '/api/invitations/[redacted]?utm=1',
        '/invite/[redacted]',
        '/api/invitations/[redacted]/signup',
        '/api/channels/oauth/callback?code=[redacted]&state=[redacted]&iss=https%3A%2F%2Fmastodon.example',
        '/api/anything?token=[redacted]&access_token=[redacted]&State=[redacted]',
        `/api/orgs/${owner.orgId}/invitations`,
      ]),
    );
  });
});

describe('logged URLs', () => {
  it('keeps ids that are not capabilities and every other query parameter', () => {
    const urls = new LoggedUrls();
    urls.addRoute('/api/invitations/:token');
    urls.addRoute('/api/orgs/:orgId/invitations/:invitationId');
    urls.addRoute('/api/me/tokens/:tokenId');
    expect(urls.redact('/api/orgs/o1/invitations/i1')).toBe('/api/orgs/o1/invitations/i1');
    expect(urls.redact('/api/me/tokens/t1?limit=5')).toBe('/api/me/tokens/t1?limit=5');
    expect(urls.redact('/api/invitations/%E0%A4%A')).toBe('/api/invitations/[redacted]');
    expect(urls.redact('/api/invitations')).toBe('/api/invitations');
    // Sent over a raw socket, dot segments reach the router (inject resolves them first).
    expect(urls.redact('/api/x/../invitations/./t0k3n?utm=1')).toBe('/api/x/../invitations/./[redacted]?utm=1');
    expect(urls.redact('/?code')).toBe('/?code');
    expect(urls.redact('/?c%6Fde=abc&q=x+y')).toBe('/?c%6Fde=[redacted]&q=x+y');
  });
});
