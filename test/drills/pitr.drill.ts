import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServerOnce } from '../ops/support/child-server.js';
import { api, setUpOwner, startChorus, type ChorusProcess } from './zone-outage-chorus.js';
import { LoopbackCluster } from './zone-outage-cluster.js';

/**
 * Point-in-time restore drill: Chorus writes through the API while pgBackRest takes a full and
 * an incremental backup of the loopback cluster; a timestamp T is picked in the middle of the
 * load, and deploy/restore-to-time.sh restores the repository to T into a fresh server. Every
 * write acknowledged before T must be there; no write sent after T may be.
 */

const RESTORE_PORT = 16099;
const REPORT = path.resolve(import.meta.dirname, '../../test-results/pitr.json');

const cluster = new LoopbackCluster({ dir: path.join(os.tmpdir(), 'chorus-ha-pitr-drill'), portBase: 16000 });
const restoredDir = path.join(os.tmpdir(), 'chorus-pitr-restored');
let server: ChorusProcess;
let owner: Awaited<ReturnType<typeof setUpOwner>>;
let restored = false;

beforeAll(async () => {
  buildServerOnce();
  cluster.down();
  fs.rmSync(restoredDir, { recursive: true, force: true });
  cluster.up();
  server = await startChorus('serve', 'pitr-serve', {
    DATABASE_URL: cluster.url(),
    CHORUS_SECRET_KEY: 'pitr-drill-secret-key-0123456789abcdef',
    LOG_LEVEL: 'info',
  });
  owner = await setUpOwner(server.baseUrl);
}, 300_000);

afterAll(async () => {
  await server?.stop();
  if (restored) {
    try {
      cluster.stopRestored(restoredDir);
    } catch {
      // Not started.
    }
  }
  fs.rmSync(restoredDir, { recursive: true, force: true });
  cluster.down();
}, 120_000);

interface Write {
  id: string;
  name: string;
  sentAt: number;
  ackedAt: number;
}

/** Creates orgs for `ms` milliseconds from 3 lanes; returns every acknowledged one with wall-clock times. */
async function writeFor(ms: number, label: string): Promise<{ acked: Write[]; sent: { name: string; sentAt: number }[] }> {
  const acked: Write[] = [];
  const sent: { name: string; sentAt: number }[] = [];
  const until = Date.now() + ms;
  let n = 0;
  await Promise.all(
    Array.from({ length: 3 }, async () => {
      while (Date.now() < until) {
        const name = `${label}-${n++}`;
        const sentAt = Date.now();
        sent.push({ name, sentAt });
        const response = await api(server.baseUrl, 'POST', '/api/orgs', { token: owner.token, body: { name } });
        if (response.status === 201) acked.push({ id: response.body.org.id, name, sentAt, ackedAt: Date.now() });
      }
    }),
  );
  return { acked, sent };
}

describe('point-in-time restore drill (pgBackRest)', () => {
  it('restores exactly what was acknowledged before the chosen time', { timeout: 600_000 }, async () => {
    cluster.backup('full');
    const first = await writeFor(3000, 'before-incr');
    cluster.backup('incr');
    const second = await writeFor(3000, 'after-incr');
    // T is taken in the middle of the load: writes keep landing on both sides of it.
    const loadAroundT = writeFor(4000, 'around-t');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const t = Date.now();
    const around = await loadAroundT;
    const after = await writeFor(2000, 'after-t');
    // Archive the WAL holding T (a WAL switch, waited for by pgBackRest's check).
    cluster.backup('check');

    const timestamp = new Date(t).toISOString().replace('T', ' ').replace('Z', '+00');
    const started = performance.now();
    const url = cluster.restoreToTime(timestamp, restoredDir, RESTORE_PORT);
    restored = true;
    const restoreMs = Math.round(performance.now() - started);

    const everything = [...first.acked, ...second.acked, ...around.acked, ...after.acked];
    const mustExist = everything.filter((w) => w.ackedAt < t);
    const mustNotExist = [...around.sent, ...after.sent].filter((w) => w.sentAt > t).map((w) => w.name);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    let present: Map<string, string>;
    try {
      const rows = await client.query<{ id: string; name: string }>('select id, name from orgs');
      present = new Map(rows.rows.map((r) => [r.id, r.name]));
    } finally {
      await client.end();
    }
    const presentNames = new Set(present.values());
    const missing = mustExist.filter((w) => present.get(w.id) !== w.name);
    const fromTheFuture = mustNotExist.filter((name) => presentNames.has(name));
    const report = {
      drill: 'pitr',
      verdict: missing.length === 0 && fromTheFuture.length === 0 ? 'PASS' : 'FAIL',
      target: timestamp,
      restoreMs,
      acknowledgedBeforeTarget: mustExist.length,
      missingAfterRestore: missing.length,
      sentAfterTarget: mustNotExist.length,
      presentAlthoughSentAfterTarget: fromTheFuture.length,
      inFlightAtTarget: everything.length - mustExist.length - [...around.acked, ...after.acked].filter((w) => w.sentAt > t).length,
    };
    fs.mkdirSync(path.dirname(REPORT), { recursive: true });
    fs.writeFileSync(REPORT, JSON.stringify(report, null, 2));
    console.log(
      `\nPITR drill: ${report.verdict}\n` +
        `  restored to ${timestamp} in ${restoreMs} ms (full + incremental + WAL replay)\n` +
        `  acknowledged before T: ${report.acknowledgedBeforeTarget}, missing after restore: ${report.missingAfterRestore}\n` +
        `  sent after T: ${report.sentAfterTarget}, present after restore: ${report.presentAlthoughSentAfterTarget}\n` +
        `${JSON.stringify(report)}\n`,
    );
    expect(mustExist.length).toBeGreaterThan(50);
    expect(mustNotExist.length).toBeGreaterThan(10);
    expect(missing).toEqual([]);
    expect(fromTheFuture).toEqual([]);
  });
});
