import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../channels/support/local-server.js';
import { buildServerOnce, CLI, httpClient, setUpOwnerOverHttp, startChildServer, stopChildServer, type ChildServer } from '../ops/support/child-server.js';

/** The built `chorus` command reads its settings once at start, from the real environment. */
describe('configuration at start', () => {
  beforeAll(() => buildServerOnce(), 180_000);

  it('stops serve, worker and every other command on an invalid setting, naming it and what it accepts', () => {
    const dataDir = path.join(os.tmpdir(), `chorus-config-${randomBytes(6).toString('hex')}`);
    const cases: [string[], string, string, string][] = [
      [
        ['serve', '--port', '0'],
        'CHORUS_ALLOW_PRIVATE_NETWORK',
        'maybe',
        'CHORUS_ALLOW_PRIVATE_NETWORK: "maybe" is not accepted; use true, false, 1, 0, yes or no',
      ],
      [['serve', '--port', '0'], 'CHORUS_NO_WORKER', 'perhaps', 'CHORUS_NO_WORKER: "perhaps" is not accepted; use true, false, 1, 0, yes or no'],
      [
        ['worker'],
        'CHORUS_PUBLISH_LEASE_MS',
        'soon',
        'CHORUS_PUBLISH_LEASE_MS: "soon" is not accepted; use a whole number of milliseconds from 1000 to 86400000',
      ],
      [['doctor'], 'CHORUS_TRUST_PROXY', 'sometimes', 'CHORUS_TRUST_PROXY: "sometimes" is not accepted; use true, false, 1, 0, yes or no'],
      [
        ['migrate'],
        'CHORUS_SMTP_URL',
        'mail.example.com',
        'CHORUS_SMTP_URL: the value (not shown: it may hold a password) is not accepted; use a URL like smtp://',
      ],
    ];
    for (const [args, variable, value, message] of cases) {
      // A server that did start would run until the timeout; the status would then be null.
      const run = spawnSync(process.execPath, [CLI, ...args, '--data-dir', dataDir], {
        env: { ...process.env, LOG_LEVEL: 'silent', [variable]: value },
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect([args[0], run.status]).toEqual([args[0], 2]);
      expect(run.stderr).toContain(`Invalid configuration:\n  ${message}`);
      // Nothing was touched before the check: no data dir, no database, no secret key.
      expect(fs.existsSync(dataDir)).toBe(false);
    }
  });

  describe('CHORUS_ALLOW_PRIVATE_NETWORK', () => {
    let feeds: LocalServer;
    const servers: ChildServer[] = [];
    beforeAll(async () => {
      const rss = fs.readFileSync('/work/shared/fixtures/feeds/ja-blog-shift_jis.rss');
      feeds = await startLocalServer((_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss));
    });
    afterAll(async () => {
      await Promise.all(servers.map((server) => stopChildServer(server)));
      await feeds.close();
    });

    /** Starts `chorus serve` with this setting and connects the loopback feed through its API. */
    async function connectLoopbackFeed(setting: string) {
      const server = await startChildServer(fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-config-serve-')), { CHORUS_ALLOW_PRIVATE_NETWORK: setting });
      servers.push(server);
      const owner = await setUpOwnerOverHttp(server.baseUrl);
      return httpClient(server.baseUrl, owner.token)('POST', `/api/orgs/${owner.orgId}/channels`, {
        network: 'feed',
        credentials: { url: `${feeds.url}/feed.xml` },
      });
    }

    it('=1 lets a served Chorus reach a feed on a private address, as =true does', async () => {
      const allowed = await connectLoopbackFeed('1');
      expect(allowed.status).toBe(201);
      expect(allowed.body.channel).toMatchObject({ network: 'feed', health: { status: 'ok' } });
    });

    it('=no keeps it refused, and the answer names the setting', async () => {
      const refused = await connectLoopbackFeed('no');
      expect(refused.status).toBe(422);
      expect(refused.body.error.message).toContain('CHORUS_ALLOW_PRIVATE_NETWORK=true');
    });
  });
});
