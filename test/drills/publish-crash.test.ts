import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { startBlueskyNetwork, type BlueskyTestNetwork, type TestAccount } from '../support/bluesky-network.js';
import { testPostgresUrl } from '../support/postgres-url.js';
import { testDialects } from '../support/stores.js';
import { buildServerOnce, httpClient, setUpOwnerOverHttp, startChildServer, stopChildServer, type ChildServer } from '../ops/support/child-server.js';
import { formatReport, killWorker, postsOnPds, startWorker, waitFor, type DrillReport, type WorkerProcess } from './support/publish-drill.js';

/**
 * Exactly-once publishing under crashes, against a real local Bluesky network (PLC + PDS +
 * AppView from @atproto/dev-env): 520 posts (650 targets on 3 accounts) are scheduled through the
 * API to fall due within 45 s; `chorus worker` processes publish them while the drill SIGKILLs
 * them at random points of the run (for a while two run at once) and starts new ones. Afterwards
 * the PDS's own listing must hold every post exactly once, and every target in Chorus must be
 * published with the URI and CID of that record. Needs PostgreSQL for the AppView (channel
 * verification reads the profile through it).
 */

const POSTS = 520;
const ACCOUNTS = 3;
const LEASE_MS = 5_000;
// Scheduling 520 posts over the API takes about 20 s here; post i is always created before it is due.
const FIRST_DUE_IN_MS = 25_000;
const SPREAD_MS = 45_000;
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo'];

/** At which share of published targets to kill how many workers and start how many. */
const KILL_PLAN = [
  { at: 0.05, kill: 1, start: 1 },
  { at: 0.2, kill: 1, start: 2 },
  { at: 0.35, kill: 1, start: 1 },
  { at: 0.5, kill: 2, start: 1 },
  { at: 0.65, kill: 1, start: 1 },
  { at: 0.8, kill: 1, start: 1 },
];

interface DrillStore {
  label: string;
  url: string | null;
  dispose(): Promise<void>;
}

async function freshStore(dialect: 'sqlite' | 'postgres'): Promise<DrillStore> {
  if (dialect === 'sqlite') return { label: 'sqlite', url: null, dispose: async () => {} };
  const base = testPostgresUrl()!;
  const schema = `chorus_drill_${randomBytes(5).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await admin(`create schema ${schema}`);
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { label: `postgres (schema ${schema})`, url: url.toString(), dispose: () => admin(`drop schema ${schema} cascade`) };
}

function dueLocal(dueMs: number, zone: string): string {
  return DateTime.fromMillis(dueMs, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
}

let bluesky: BlueskyTestNetwork;

beforeAll(async () => {
  buildServerOnce();
  bluesky = await startBlueskyNetwork();
});

afterAll(async () => {
  await bluesky?.close();
});

for (const dialect of testDialects()) {
  describe(`publish crash drill [${dialect}]`, () => {
    let dataDir: string;
    let drillStore: DrillStore;
    let server: ChildServer | undefined;
    let store: Store | undefined;
    const workers: WorkerProcess[] = [];
    const accounts: TestAccount[] = [];

    beforeAll(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-publish-crash-'));
      drillStore = await freshStore(dialect);
      // Fresh accounts per run, so the PDS listing holds only this run's posts.
      for (let i = 0; i < ACCOUNTS; i++) accounts.push(await bluesky.createAccount(`${dialect}${i}x${randomBytes(3).toString('hex')}`));
    });

    afterAll(async () => {
      for (const worker of workers) await killWorker(worker);
      if (server) await stopChildServer(server);
      await store?.close();
      await drillStore?.dispose();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('publishes every post exactly once while workers are SIGKILLed and restarted', { timeout: 400_000 }, async () => {
      const env: Record<string, string> = {
        // The local PDS lives on loopback, which Chorus refuses unless the operator allows it.
        CHORUS_ALLOW_PRIVATE_NETWORK: 'true',
        CHORUS_PUBLISH_LEASE_MS: String(LEASE_MS),
        ...(drillStore.url ? { DATABASE_URL: drillStore.url } : {}),
      };
      server = await startChildServer(dataDir, { ...env, CHORUS_NO_WORKER: 'true' });
      store = openStore(drillStore.url ?? `sqlite:${path.join(dataDir, 'chorus.db')}`);
      const owner = await setUpOwnerOverHttp(server.baseUrl);
      const call = httpClient(server.baseUrl, owner.token);
      const api = `/api/orgs/${owner.orgId}`;

      const channelIds: string[] = [];
      for (const account of accounts) {
        const connected = await call('POST', `${api}/channels`, {
          network: 'bluesky',
          credentials: { service: bluesky.pdsUrl, identifier: account.handle, appPassword: account.password },
        });
        expect(connected.status, JSON.stringify(connected.body)).toBe(201);
        channelIds.push(connected.body.channel.id);
      }
      const didOfChannel = new Map(channelIds.map((id, i) => [id, accounts[i]!.did]));

      // The server runs without a publisher: nothing goes out until a `chorus worker` runs.
      const tag = randomBytes(3).toString('hex');
      const scheduling = Date.now();
      const firstDue = Math.ceil((scheduling + FIRST_DUE_IN_MS) / 1000) * 1000;
      const expected = new Map<string, Set<string>>(accounts.map((a) => [a.did, new Set<string>()]));
      const postIds: string[] = [];
      let next = 0;
      const scheduleLane = async () => {
        for (let i = next++; i < POSTS; i = next++) {
          const text = `Crash drill ${tag}: post ${i} of ${POSTS}`;
          const targets = i % 4 === 0 ? [channelIds[i % ACCOUNTS]!, channelIds[(i + 1) % ACCOUNTS]!] : [channelIds[i % ACCOUNTS]!];
          // The same instants, written as wall-clock times in several zones.
          const zone = ZONES[i % ZONES.length]!;
          const due = firstDue + Math.floor((i * SPREAD_MS) / POSTS / 1000) * 1000;
          const created = await call('POST', `${api}/posts`, {
            text,
            channelAccountIds: targets,
            action: 'schedule',
            scheduledAt: { local: dueLocal(due, zone), timeZone: zone },
          });
          expect(created.status, JSON.stringify(created.body)).toBe(201);
          expect(created.body.post.dueAt).toBe(new Date(due).toISOString());
          postIds.push(created.body.post.id);
          for (const id of targets) expected.get(didOfChannel.get(id)!)!.add(text);
        }
      };
      await Promise.all(Array.from({ length: 4 }, scheduleLane));
      const targetCount = [...expected.values()].reduce((sum, texts) => sum + texts.size, 0);
      console.log(`scheduled ${POSTS} posts (${targetCount} targets) in ${Date.now() - scheduling} ms; first due ${new Date(firstDue).toISOString()}`);

      const counts = async () => {
        const rows = await store!.db
          .selectFrom('post_targets')
          .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
          .groupBy('state')
          .execute();
        return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)])) as Record<string, number>;
      };
      const live = () => workers.filter((w) => w.process.exitCode === null && w.process.signalCode === null);
      let started = 0;
      const launch = () => workers.push(startWorker(`worker-${++started}`, dataDir, env));

      launch();
      let kills = 0;
      let maxWorkersAtOnce = 1;
      for (const step of KILL_PLAN) {
        const threshold = Math.round((step.at + Math.random() * 0.08) * targetCount);
        await waitFor(
          async () => ((await counts()).published ?? 0) >= threshold || null,
          SPREAD_MS + FIRST_DUE_IN_MS + 60_000,
          async () => `waiting for ${threshold} published: ${JSON.stringify(await counts())}\n${workers.map((w) => `${w.name}: ${w.output()}`).join('\n')}`,
          100,
        );
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 500));
        const before = await counts();
        // A kill only proves something while there is still work in flight or waiting.
        expect(targetCount - (before.published ?? 0) - (before.failed ?? 0), 'a kill landed after the work was done').toBeGreaterThan(0);
        const victims = live()
          .sort(() => Math.random() - 0.5)
          .slice(0, step.kill);
        for (const victim of victims) await killWorker(victim, 'SIGKILL');
        kills += victims.length;
        for (let i = 0; i < step.start; i++) launch();
        maxWorkersAtOnce = Math.max(maxWorkersAtOnce, live().length);
        console.log(
          `${((Date.now() - firstDue) / 1000).toFixed(1)} s after the first due time, kill ${kills}: SIGKILLed ${victims.map((v) => v.name).join(', ')} at ${JSON.stringify(before)}; ${live().length} worker(s) running`,
        );
      }

      // Drained: nothing left to publish, mid-publish or waiting for a retry (expired leases included).
      await waitFor(
        async () => {
          const now = await counts();
          return (now.scheduled ?? 0) + (now.publishing ?? 0) + (now.retrying ?? 0) === 0 ? now : null;
        },
        120_000,
        async () => `still busy: ${JSON.stringify(await counts())}\n${workers.map((w) => `${w.name}: ${w.output()}`).join('\n')}`,
      );
      const lastDue = firstDue + Math.floor(((POSTS - 1) * SPREAD_MS) / POSTS / 1000) * 1000;
      const drainedAfterLastDueMs = Date.now() - lastDue;
      for (const worker of live()) await killWorker(worker, 'SIGTERM');

      // What the network holds, read from the PDS itself.
      let recordsOnPds = 0;
      let duplicates = 0;
      let missing = 0;
      const recordByText = new Map<string, { uri: string; cid: string }>();
      for (const [did, texts] of expected) {
        const records = await postsOnPds(bluesky.pdsUrl, did);
        recordsOnPds += records.length;
        const seen = new Map<string, number>();
        for (const record of records) {
          seen.set(record.value.text, (seen.get(record.value.text) ?? 0) + 1);
          recordByText.set(`${did} ${record.value.text}`, { uri: record.uri, cid: record.cid });
        }
        duplicates += [...seen.values()].reduce((sum, n) => sum + n - 1, 0);
        missing += [...texts].filter((text) => !seen.has(text)).length;
        expect(
          [...seen.keys()].filter((text) => !texts.has(text)),
          `records on ${did} that Chorus never scheduled`,
        ).toEqual([]);
      }

      // What Chorus says, through its API (states, remote ids) and its store (the CID it recorded).
      const listed = await call('GET', `${api}/posts?limit=1000`);
      expect(listed.status).toBe(200);
      const views = (
        listed.body.posts as {
          id: string;
          text: string;
          status: string;
          targets: { id: string; channelAccountId: string; state: string; remoteId: string | null; attempts: number }[];
        }[]
      ).filter((p) => postIds.includes(p.id));
      expect(views).toHaveLength(POSTS);
      const cids = new Map((await store.db.selectFrom('post_targets').select(['id', 'remote_cid']).execute()).map((r) => [r.id, r.remote_cid]));
      let published = 0;
      let failed = 0;
      let mismatches = 0;
      let reclaimed = 0;
      for (const post of views) {
        expect(post.status).toBe('published');
        for (const target of post.targets) {
          if (target.state === 'published') published++;
          if (target.state === 'failed') failed++;
          if (target.attempts > 1) reclaimed++;
          const onPds = recordByText.get(`${didOfChannel.get(target.channelAccountId)} ${post.text}`);
          if (!onPds || onPds.uri !== target.remoteId || onPds.cid !== cids.get(target.id)) mismatches++;
        }
      }

      const report: DrillReport = {
        store: drillStore.label,
        posts: POSTS,
        targets: targetCount,
        accounts: ACCOUNTS,
        kills,
        maxWorkersAtOnce,
        recordsOnPds,
        published,
        failed,
        duplicates,
        missing,
        mismatches,
        reclaimed,
        drainedAfterLastDueMs,
      };
      console.log(formatReport(report));
      expect(kills).toBeGreaterThanOrEqual(KILL_PLAN.length);
      expect(maxWorkersAtOnce).toBe(2);
      expect({ duplicates, missing, mismatches, failed }).toEqual({ duplicates: 0, missing: 0, mismatches: 0, failed: 0 });
      expect(recordsOnPds).toBe(targetCount);
      expect(published).toBe(targetCount);
    });
  });
}
