import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { buildServerOnce, httpClient, setUpOwnerOverHttp, startChildServer, stopChildServer, type ChildServer } from '../ops/support/child-server.js';
import { openTestStore, testDialects, type TestStore } from '../support/stores.js';

/**
 * The click recorder's promise (docs/analytics.md): clicks wait in memory at most a second and
 * are written in batches; a batch the server logged as flushed survives a SIGKILL, and no click
 * is stored twice. A real `chorus serve` is flooded with redirects and killed mid-flood.
 */

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const WORKERS = 16;

beforeAll(() => buildServerOnce(), 240_000);

/** The highest `flushedTotal` the server logged: clicks in committed batches. */
function watchFlushes(server: ChildServer): { acknowledged: () => number } {
  let acknowledged = 0;
  readline.createInterface({ input: server.process.stdout! }).on('line', (line) => {
    if (!line.includes('clicks flushed')) return;
    const total = (JSON.parse(line) as { flushedTotal?: number }).flushedTotal ?? 0;
    acknowledged = Math.max(acknowledged, total);
  });
  return { acknowledged: () => acknowledged };
}

for (const dialect of testDialects()) {
  describe(`click recording survives SIGKILL [${dialect}]`, () => {
    let test: TestStore | undefined;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-click-crash-'));
    afterAll(async () => {
      await test?.dispose();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('counts every click of an acknowledged batch, none twice', async () => {
      const env: Record<string, string> = { LOG_LEVEL: 'debug', CHORUS_SHORT_LINK_RATE_PER_MINUTE: '1000000', CHORUS_NO_WORKER: 'true' };
      if (dialect === 'postgres') {
        test = await openTestStore('postgres');
        env.DATABASE_URL = test.url;
      }
      const server = await startChildServer(dataDir, env);
      const flushes = watchFlushes(server);
      const { token, orgId } = await setUpOwnerOverHttp(server.baseUrl);
      const made = await httpClient(server.baseUrl, token)('POST', `/api/orgs/${orgId}/links`, { url: 'https://shop.example.com/flood' });
      expect(made.status).toBe(201);
      const code = made.body.link.code as string;

      let sent = 0;
      let redirected = 0;
      let killed = false;
      const worker = async () => {
        while (!killed) {
          sent++;
          try {
            const res = await fetch(`${server.baseUrl}/s/${code}`, { redirect: 'manual', headers: { 'user-agent': BROWSER } });
            if (res.status === 302) redirected++;
            await res.arrayBuffer();
          } catch {
            // The kill cut this request off.
          }
        }
      };
      const workers = Array.from({ length: WORKERS }, worker);
      // Flood until several batches were acknowledged, then kill in the middle of the next second.
      while (flushes.acknowledged() < 500) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 430));
      server.process.kill('SIGKILL');
      killed = true;
      await server.exited;
      await Promise.all(workers);
      const acknowledged = flushes.acknowledged();

      const store = dialect === 'postgres' ? test!.store : openStore(`sqlite:${path.join(dataDir, 'chorus.db')}`);
      const rows = await store.db.selectFrom('link_clicks').select(['id']).execute();
      const stored = rows.length;
      if (dialect === 'sqlite') await store.close();
      console.log(
        `[${dialect}] redirects answered ${redirected}, requests sent ${sent}, acknowledged ${acknowledged}, stored ${stored}, lost (answered but not stored) ${Math.max(0, redirected - stored)}`,
      );
      expect(new Set(rows.map((r) => r.id)).size).toBe(stored);
      expect(stored).toBeGreaterThanOrEqual(acknowledged);
      expect(stored).toBeLessThanOrEqual(sent);
      expect(acknowledged).toBeGreaterThan(0);
    }, 120_000);
  });
}
