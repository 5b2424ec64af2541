import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServerOnce } from '../ops/support/child-server.js';
import { startBlueskyNetwork, type BlueskyTestNetwork, type TestAccount } from '../support/bluesky-network.js';
import { api, postsOnPds, setUpOwner, startChorus, type ChorusProcess } from './zone-outage-chorus.js';
import { LoopbackCluster } from './zone-outage-cluster.js';

/**
 * The zone-outage drill (`npm run drill:zone-outage`): a 3-zone Patroni cluster on loopback
 * (deploy/cluster.sh), two `chorus serve` and two `chorus worker` processes on HAProxy's write
 * port, steady API writes from a client that records every 2xx, and a burst of posts to two
 * accounts on a real local Bluesky network, due while the leader's zone is gone. Each round
 * SIGKILLs the leader's PostgreSQL, Patroni and etcd member at once, then brings the zone
 * back for the next round. Pass/fail: no acknowledged write lost (RPO = 0), every scheduled
 * post on the PDS exactly once, no target stuck, writes flowing again within 30 s (RTO).
 */

const ROUNDS = Number(process.env.CHORUS_DRILL_ROUNDS ?? 2);
const RTO_LIMIT_MS = 30_000;
const LANES = 6;
const POSTS_PER_ROUND = 12; // × 2 accounts
const STEADY_BEFORE_KILL_MS = 6_000;
const LOAD_AFTER_RECOVERY_MS = 8_000;
const REPORT = path.resolve(import.meta.dirname, '../../test-results/zone-outage.json');

interface Ack {
  kind: 'org' | 'invitation' | 'post';
  id: string;
  /** What the row must hold (an org's name, a draft's text). */
  value: string;
  sentAt: number;
  ackedAt: number;
}

interface RoundResult {
  round: number;
  killedZone: number;
  newLeaderZone: number;
  rtoMs: number;
  writesAttempted: number;
  writesAcknowledged: number;
  writesLost: number;
  answered503: number;
  otherErrors: number;
  publishesExpected: number;
  publishesDone: number;
  publishesDuplicated: number;
  publishesMissed: number;
  targetsStuck: number;
}

const cluster = new LoopbackCluster({ dir: path.join(os.tmpdir(), 'chorus-ha-zone-drill'), portBase: 15000 });
let bluesky: BlueskyTestNetwork;
const processes: ChorusProcess[] = [];
let servers: ChorusProcess[] = [];
let owner: Awaited<ReturnType<typeof setUpOwner>>;
let accounts: TestAccount[] = [];
let channelIds: string[] = [];
let databaseUrl: string;

beforeAll(async () => {
  buildServerOnce();
  cluster.down(); // a previous run killed halfway
  const started = performance.now();
  cluster.up();
  console.log(`cluster up in ${Math.round(performance.now() - started)} ms\n${cluster.status()}`);
  databaseUrl = cluster.url();
  bluesky = await startBlueskyNetwork();
  const env = {
    DATABASE_URL: databaseUrl,
    CHORUS_SECRET_KEY: 'zone-outage-drill-secret-key-0123456789',
    CHORUS_ALLOW_PRIVATE_NETWORK: 'true',
    LOG_LEVEL: 'warn',
  };
  const first = await startChorus('serve', 'serve-a', { ...env, LOG_LEVEL: 'info' });
  processes.push(first);
  processes.push(
    ...(await Promise.all([
      startChorus('serve', 'serve-b', { ...env, LOG_LEVEL: 'info' }),
      startChorus('worker', 'worker-1', { ...env, LOG_LEVEL: 'info' }),
      startChorus('worker', 'worker-2', { ...env, LOG_LEVEL: 'info' }),
    ])),
  );
  servers = processes.filter((p) => p.kind === 'serve');
  owner = await setUpOwner(first.baseUrl);
  accounts = [await bluesky.createAccount('drillalpha'), await bluesky.createAccount('drillbeta')];
  for (const account of accounts) {
    const connected = await api(first.baseUrl, 'POST', `/api/orgs/${owner.orgId}/channels`, {
      token: owner.token,
      body: { network: 'bluesky', credentials: { service: bluesky.pdsUrl, identifier: account.handle, appPassword: account.password } },
    });
    if (connected.status !== 201) throw new Error(`connect failed: ${connected.status} ${JSON.stringify(connected.body)}`);
    channelIds.push(connected.body.channel.id);
  }
}, 300_000);

/**
 * Teardown runs every step with its own bound and says how long each took: once, closing the
 * local Bluesky network hung past the hook's limit after a passing drill, leaving the Patroni
 * cluster up. The verdict is the test's; a stuck teardown step is reported, not waited on.
 */
async function teardownStep(name: string, work: () => Promise<unknown>, limitMs: number): Promise<void> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    work().then(() => 'done'),
    new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`still running after ${limitMs} ms, left behind`), limitMs))),
  ]);
  clearTimeout(timer);
  console.log(`teardown: ${name}: ${outcome} (${Math.round(performance.now() - started)} ms)`);
}

afterAll(async () => {
  await teardownStep('stop the Chorus processes', () => Promise.all(processes.map((p) => p.stop())), 30_000);
  await teardownStep('stop the cluster', async () => cluster.down(), 120_000);
  await teardownStep('close the local Bluesky network', () => bluesky?.close() ?? Promise.resolve(), 45_000);
}, 240_000);

/** Steady writes through both servers, recording every acknowledged one. */
function startLoad(round: number) {
  const acks: Ack[] = [];
  const counts = { attempted: 0, answered503: 0, otherErrors: 0 };
  const otherErrorSamples: string[] = [];
  let stop = false;
  let sequence = 0;
  const lane = async (laneNo: number) => {
    while (!stop) {
      const n = sequence++;
      const server = servers[n % servers.length]!;
      const kind = (['org', 'invitation', 'post'] as const)[n % 3]!;
      const value = `r${round}-w${n}`;
      const sentAt = performance.now();
      counts.attempted++;
      try {
        const response =
          kind === 'org'
            ? await api(server.baseUrl, 'POST', '/api/orgs', { token: owner.token, body: { name: value }, timeoutMs: 15_000 })
            : kind === 'invitation'
              ? await api(server.baseUrl, 'POST', `/api/orgs/${owner.orgId}/invitations`, {
                  token: owner.token,
                  body: { role: 'editor', email: `${value}@example.com` },
                  timeoutMs: 15_000,
                })
              : await api(server.baseUrl, 'POST', `/api/orgs/${owner.orgId}/posts`, {
                  token: owner.token,
                  body: { text: value, channelAccountIds: channelIds, action: 'draft' },
                  timeoutMs: 15_000,
                });
        if (response.status === 201) {
          const id = kind === 'org' ? response.body.org.id : kind === 'invitation' ? response.body.invitation.id : response.body.post.id;
          acks.push({ kind, id, value, sentAt, ackedAt: performance.now() });
        } else if (response.status === 503) {
          counts.answered503++;
          expect(response.body.error.code).toBe('store_unavailable');
          expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
          await new Promise((resolve) => setTimeout(resolve, 100));
        } else {
          counts.otherErrors++;
          if (otherErrorSamples.length < 5) otherErrorSamples.push(`${response.status} ${JSON.stringify(response.body).slice(0, 300)}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      } catch (error) {
        counts.otherErrors++;
        if (otherErrorSamples.length < 5) otherErrorSamples.push(`lane ${laneNo}: ${(error as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const running = Promise.all(Array.from({ length: LANES }, (_, i) => lane(i)));
  return {
    acks,
    counts,
    otherErrorSamples,
    async stop() {
      stop = true;
      await running;
    },
  };
}

/** Wall-clock "YYYY-MM-DDTHH:mm:ss" in UTC, rounded up to the next whole second. */
function utcLocal(epochMs: number): string {
  return new Date(Math.ceil(epochMs / 1000) * 1000).toISOString().slice(0, 19);
}

async function scheduleBurst(round: number, killAtEpochMs: number): Promise<{ postIds: string[]; texts: string[] }> {
  const postIds: string[] = [];
  const texts: string[] = [];
  for (let i = 0; i < POSTS_PER_ROUND; i++) {
    const text = `zone drill round ${round} post ${i}`;
    // Due from 1 s to 12 s after the kill: inside the window with no leader.
    const due = utcLocal(killAtEpochMs + 1000 + i * 1000);
    const response = await api(servers[i % 2]!.baseUrl, 'POST', `/api/orgs/${owner.orgId}/posts`, {
      token: owner.token,
      body: { text, channelAccountIds: channelIds, action: 'schedule', scheduledAt: { local: due, timeZone: 'UTC' } },
    });
    if (response.status !== 201) throw new Error(`schedule failed: ${response.status} ${JSON.stringify(response.body)}`);
    postIds.push(response.body.post.id);
    texts.push(text);
  }
  return { postIds, texts };
}

async function verifyAcknowledged(acks: Ack[]): Promise<{ lost: Ack[] }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const lost: Ack[] = [];
    const tables = { org: ['orgs', 'name'], invitation: ['invitations', 'email'], post: ['posts', 'text'] } as const;
    for (const kind of ['org', 'invitation', 'post'] as const) {
      const mine = acks.filter((a) => a.kind === kind);
      if (!mine.length) continue;
      const [table, column] = tables[kind];
      const rows = await client.query<{ id: string; value: string }>(`select id, ${column} as value from ${table} where id = any($1)`, [mine.map((a) => a.id)]);
      const stored = new Map(rows.rows.map((r) => [r.id, r.value]));
      for (const ack of mine) {
        const expected = kind === 'invitation' ? `${ack.value}@example.com` : ack.value;
        if (stored.get(ack.id) !== expected) lost.push(ack);
      }
    }
    return { lost };
  } finally {
    await client.end();
  }
}

async function waitForPublishing(postIds: string[], timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let states: string[] = [];
  while (Date.now() < deadline) {
    try {
      const posts = await Promise.all(postIds.map((id) => api(servers[0]!.baseUrl, 'GET', `/api/orgs/${owner.orgId}/posts/${id}`, { token: owner.token })));
      if (posts.every((p) => p.status === 200)) {
        states = posts.flatMap((p) => (p.body.post.targets as { state: string }[]).map((t) => t.state));
        if (states.every((s) => s === 'published' || s === 'failed' || s === 'cancelled')) return states;
      }
    } catch {
      // The store may still be settling; ask again.
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return states;
}

function printReport(results: RoundResult[]): void {
  const columns: [keyof RoundResult, string][] = [
    ['round', 'round'],
    ['killedZone', 'killed zone'],
    ['newLeaderZone', 'new leader'],
    ['rtoMs', 'RTO ms'],
    ['writesAcknowledged', 'writes acked'],
    ['writesLost', 'lost'],
    ['answered503', '503s'],
    ['otherErrors', 'other errors'],
    ['publishesExpected', 'publishes expected'],
    ['publishesDone', 'done'],
    ['publishesDuplicated', 'duplicated'],
    ['publishesMissed', 'missed'],
    ['targetsStuck', 'stuck'],
  ];
  const widths = columns.map(([key, label]) => Math.max(label.length, ...results.map((r) => String(r[key]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join(' | ');
  const table = [
    line(columns.map(([, label]) => label)),
    widths.map((w) => '-'.repeat(w)).join('-+-'),
    ...results.map((r) => line(columns.map(([key]) => String(r[key])))),
  ].join('\n');
  const verdict = results.every(
    (r) => r.writesLost === 0 && r.publishesDuplicated === 0 && r.publishesMissed === 0 && r.targetsStuck === 0 && r.rtoMs <= RTO_LIMIT_MS,
  )
    ? 'PASS'
    : 'FAIL';
  const json = { drill: 'zone-outage', verdict, rtoLimitMs: RTO_LIMIT_MS, rounds: results };
  fs.mkdirSync(path.dirname(REPORT), { recursive: true });
  fs.writeFileSync(REPORT, JSON.stringify(json, null, 2));
  console.log(`\nZone-outage drill: ${verdict}\n${table}\n\n${JSON.stringify(json)}\n(report: ${REPORT})\n`);
}

describe('zone-outage drill', () => {
  it(
    `loses no acknowledged write, publishes every due post exactly once and recovers within ${RTO_LIMIT_MS / 1000} s, over ${ROUNDS} zone kills`,
    { timeout: 900_000 },
    async () => {
      const results: RoundResult[] = [];
      const expectedTexts = new Map<string, Set<string>>(accounts.map((a) => [a.did, new Set()]));
      for (let round = 1; round <= ROUNDS; round++) {
        const killedZone = cluster.leaderZone();
        const killAtEpoch = Date.now() + STEADY_BEFORE_KILL_MS;
        const burst = await scheduleBurst(round, killAtEpoch);
        for (const account of accounts) for (const text of burst.texts) expectedTexts.get(account.did)!.add(text);

        const load = startLoad(round);
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, killAtEpoch - Date.now())));
        const killedAt = performance.now();
        cluster.killZone(killedZone);
        // RTO: from the kill to the first write sent after it that was acknowledged.
        let rtoMs = Number.POSITIVE_INFINITY;
        while (performance.now() - killedAt < 90_000) {
          const first = load.acks.find((a) => a.sentAt >= killedAt);
          if (first) {
            rtoMs = Math.round(first.ackedAt - killedAt);
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await new Promise((resolve) => setTimeout(resolve, LOAD_AFTER_RECOVERY_MS));
        await load.stop();
        if (load.otherErrorSamples.length) console.log(`round ${round}: errors other than 503:\n  ${load.otherErrorSamples.join('\n  ')}`);
        // A Chorus process must ride out the outage, never exit.
        const dead = processes.filter((p) => p.process.exitCode !== null || p.process.signalCode !== null);
        for (const p of dead) console.log(`${p.name} exited (${p.process.exitCode ?? p.process.signalCode}); last log:\n${p.log().slice(-6000)}`);
        expect(
          dead.map((p) => p.name),
          'Chorus processes that died during the outage',
        ).toEqual([]);

        const { lost } = await verifyAcknowledged(load.acks);
        // Workers back off up to 30 s while the store is down, and a lease held by a publish the
        // kill interrupted expires after 60 s: allow for both.
        const states = await waitForPublishing(burst.postIds, 150_000);
        const onPds = new Map<string, string[]>();
        for (const account of accounts)
          onPds.set(
            account.did,
            (await postsOnPds(bluesky.pdsUrl, account.did)).map((r) => r.value.text),
          );
        let done = 0;
        let duplicated = 0;
        let missed = 0;
        for (const account of accounts) {
          const texts = onPds.get(account.did)!;
          for (const text of burst.texts) {
            const copies = texts.filter((t) => t === text).length;
            if (copies >= 1) done++;
            if (copies > 1) duplicated += copies - 1;
            if (copies === 0) missed++;
          }
        }
        const newLeaderZone = cluster.leaderZone();
        results.push({
          round,
          killedZone,
          newLeaderZone,
          rtoMs,
          writesAttempted: load.counts.attempted,
          writesAcknowledged: load.acks.length,
          writesLost: lost.length,
          answered503: load.counts.answered503,
          otherErrors: load.counts.otherErrors,
          publishesExpected: burst.texts.length * accounts.length,
          publishesDone: done,
          publishesDuplicated: duplicated,
          publishesMissed: missed,
          targetsStuck:
            states.length === burst.postIds.length * accounts.length ? states.filter((s) => s !== 'published').length : burst.postIds.length * accounts.length,
        });
        console.log(`round ${round}: ${JSON.stringify(results.at(-1))}`);
        if (lost.length) console.log(`lost writes: ${JSON.stringify(lost.slice(0, 10))}`);
        // The zone comes back (etcd rejoins, Patroni rewinds the old leader) before the next round.
        cluster.startZone(killedZone);
      }

      // Nothing published that was not scheduled, across all rounds.
      for (const account of accounts) {
        const texts = (await postsOnPds(bluesky.pdsUrl, account.did)).map((r) => r.value.text);
        expect(new Set(texts).size, 'no duplicate record on the PDS').toBe(texts.length);
        expect(texts.filter((t) => !expectedTexts.get(account.did)!.has(t))).toEqual([]);
      }
      printReport(results);
      for (const result of results) {
        expect(result.writesAcknowledged, `round ${result.round} acknowledged writes`).toBeGreaterThan(50);
        expect(result.writesLost, `round ${result.round} lost writes`).toBe(0);
        expect(result.publishesDuplicated, `round ${result.round} duplicates`).toBe(0);
        expect(result.publishesMissed, `round ${result.round} missed`).toBe(0);
        expect(result.targetsStuck, `round ${result.round} stuck targets`).toBe(0);
        expect(result.rtoMs, `round ${result.round} RTO`).toBeLessThanOrEqual(RTO_LIMIT_MS);
      }
    },
  );
});
