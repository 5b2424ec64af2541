/**
 * Publish throughput: 10 000 targets due at the same instant, published by one and then two
 * `chorus worker` processes to a recording Bluesky server (bench/publish-recording-server.ts),
 * next to that server's raw createRecord throughput from a tight client loop at the same
 * concurrency. The ratio is what Chorus's claims, leases and bookkeeping cost per post.
 * Run from the repository root; the command is in bench/README.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
// The schema's tables, as the assembly declares them (a bench compiled alone does not see them otherwise).
import type {} from '../src/app/database.js';
import { openStore } from '../src/store/open.js';
import { startCpuAccounting, type CpuReport } from './cpu-accounting.js';
import { startRecordingServer, type RecordingServer } from './publish-recording-server.js';

const CLI = path.resolve('dist/src/cli/main.js');
const WORKER_LANES = 8; // the publisher's default concurrency per worker process
// For profiling a worker during the burst, e.g. BENCH_WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=.tmp/prof".
const WORKER_NODE_ARGS = process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];

const { values: args } = parseArgs({
  options: {
    targets: { type: 'string', default: '10000' },
    accounts: { type: 'string', default: '20' },
    workers: { type: 'string', default: '1,2' },
    'lead-seconds': { type: 'string', default: '45' },
    'database-url': { type: 'string' },
    'baseline-client': { type: 'string' },
    'baseline-count': { type: 'string' },
    'baseline-lanes': { type: 'string' },
    'baseline-mode': { type: 'string' },
  },
});

/** The tight client loop, run in its own process like a worker would be. */
async function baselineClient(url: string, count: number, lanes: number, mode: string): Promise<void> {
  const repo = `did:plc:baseline${process.pid}`;
  const call = async (method: string, init?: RequestInit, query = '') => {
    const response = await fetch(`${url}/xrpc/${method}${query}`, init);
    await response.arrayBuffer();
    return response.status;
  };
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let i = next++; i < count; i = next++) {
        const rkey = `base${String(i).padStart(9, '0')}`;
        if (mode === 'get+create') await call('com.atproto.repo.getRecord', undefined, `?repo=${repo}&collection=app.bsky.feed.post&rkey=${rkey}`);
        const status = await call('com.atproto.repo.createRecord', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer x' },
          body: JSON.stringify({
            repo,
            collection: 'app.bsky.feed.post',
            rkey,
            validate: true,
            record: { $type: 'app.bsky.feed.post', text: `baseline ${i}`, createdAt: new Date().toISOString() },
          }),
        });
        if (status !== 200) throw new Error(`baseline createRecord answered ${status}`);
      }
    }),
  );
  process.stdout.write(JSON.stringify({ ms: performance.now() - started }) + '\n');
}

async function runBaseline(url: string, count: number, lanes: number, mode: string): Promise<number> {
  const child = spawn(
    process.execPath,
    [process.argv[1]!, '--baseline-client', url, '--baseline-count', String(count), '--baseline-lanes', String(lanes), '--baseline-mode', mode],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`baseline client exited with ${code}`);
  return count / (JSON.parse(out).ms / 1000);
}

interface Child {
  process: ChildProcess;
  exited: Promise<void>;
  output(): string;
}

function startChild(command: string[], env: Record<string, string>, nodeArgs: string[] = []): Child {
  const child = spawn(process.execPath, [...nodeArgs, CLI, ...command], {
    env: { ...process.env, LOG_LEVEL: 'warn', CHORUS_BACKUP_INTERVAL_MINUTES: '0', CHORUS_STATUS_PROBE_SECONDS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return { process: child, exited: new Promise((resolve) => child.once('exit', () => resolve())), output: () => output };
}

async function stopChild(child: Child): Promise<void> {
  if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGTERM');
  await child.exited;
}

async function startServer(dataDir: string, env: Record<string, string>): Promise<{ child: Child; baseUrl: string }> {
  const child = startChild(['serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'info'], { ...env, CHORUS_NO_WORKER: 'true' });
  const lines = readline.createInterface({ input: child.process.stdout! });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      const match = /running at (http:\/\/\S+?)"/.exec(line);
      if (match) resolve(match[1]!.replace(/\/$/, ''));
    });
    child.process.once('exit', (code) => reject(new Error(`server exited (${code}):\n${child.output()}`)));
  });
  return { child, baseUrl };
}

function client(baseUrl: string, token: string | null) {
  return async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(baseUrl + url, {
      method,
      headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, headers: response.headers, body: (await response.json().catch(() => null)) as any };
  };
}

async function setUpOwner(baseUrl: string): Promise<{ token: string; orgId: string }> {
  const call = client(baseUrl, null);
  const setup = await call('POST', '/api/setup', {
    name: 'Bench Owner',
    email: 'bench@example.com',
    password: 'correct horse battery staple',
    orgName: 'Bench',
  });
  if (setup.status !== 201) throw new Error(`setup: ${setup.status} ${JSON.stringify(setup.body)}`);
  const cookie = setup.headers.get('set-cookie')!.split(';')[0]!;
  const token = await call('POST', '/api/me/tokens', { name: 'bench' }, { cookie, 'x-csrf-token': setup.body.csrfToken });
  return { token: token.body.token, orgId: setup.body.orgs[0].id };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

interface RunResult {
  workers: number;
  targets: number;
  scheduleMs: number;
  throughput: number;
  p50: number;
  p99: number;
  max: number;
  duplicates: number;
  collisions: number;
  published: number;
  mismatches: number;
  /** From the due instant until every result was recorded. */
  cpu: CpuReport;
}

async function runChorus(recording: RecordingServer, workerCount: number, targetCount: number, accountCount: number, leadMs: number): Promise<RunResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-bench-publish-'));
  const env: Record<string, string> = { CHORUS_ALLOW_PRIVATE_NETWORK: 'true', ...(args['database-url'] ? { DATABASE_URL: args['database-url'] } : {}) };
  const { child: server, baseUrl } = await startServer(dataDir, env);
  const workers: Child[] = [];
  try {
    const owner = await setUpOwner(baseUrl);
    const call = client(baseUrl, owner.token);
    const api = `/api/orgs/${owner.orgId}`;
    const run = `w${workerCount}${Date.now().toString(36)}`;
    const channelIds: string[] = [];
    for (let a = 0; a < accountCount; a++) {
      const connected = await call('POST', `${api}/channels`, {
        network: 'bluesky',
        credentials: { service: recording.url, identifier: `${run}-${a}.test`, appPassword: 'app-password' },
      });
      if (connected.status !== 201) throw new Error(`connect: ${connected.status} ${JSON.stringify(connected.body)}`);
      channelIds.push(connected.body.channel.id);
    }
    const postCount = Math.ceil(targetCount / accountCount);
    // Every target is due at the same whole second (think 09:00:00 for a whole team).
    const scheduleStarted = Date.now();
    const dueAt = Math.ceil((scheduleStarted + leadMs) / 1000) * 1000;
    const local = new Date(dueAt).toISOString().slice(0, 19);
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = next++; i < postCount; i = next++) {
          const ids = channelIds.slice(0, Math.min(accountCount, targetCount - i * accountCount));
          const created = await call('POST', `${api}/posts`, {
            text: `bench ${run} post ${i}`,
            channelAccountIds: ids,
            action: 'schedule',
            scheduledAt: { local, timeZone: 'UTC' },
          });
          if (created.status !== 201) throw new Error(`schedule: ${created.status} ${JSON.stringify(created.body)}`);
        }
      }),
    );
    const scheduleMs = Date.now() - scheduleStarted;
    if (Date.now() > dueAt - 2_000) throw new Error(`scheduling took ${scheduleMs} ms, past the due time: raise --lead-seconds`);

    const before = recording.posts.size;
    for (let w = 0; w < workerCount; w++) workers.push(startChild(['worker', '--data-dir', dataDir], env, WORKER_NODE_ARGS));
    await sleep(Math.max(0, dueAt - Date.now()));
    const cpu = startCpuAccounting(
      {
        workers: workers.map((worker) => worker.process.pid!),
        server: [server.process.pid!],
        ...(args['database-url'] ? { postgres: { named: 'postgres' } } : {}),
      },
      'bench and recording server',
    );
    await recording.waitForPosts(before + targetCount);
    const store = openStore(args['database-url'] ?? `sqlite:${path.join(dataDir, 'chorus.db')}`);
    try {
      // Sent is not done: wait until Chorus has recorded every result.
      for (;;) {
        const busy = await store.db
          .selectFrom('post_targets')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('state', 'in', ['scheduled', 'publishing', 'retrying'])
          .executeTakeFirstOrThrow();
        if (Number(busy.n) === 0) break;
        await sleep(200);
      }
      const cpuReport = cpu.stop();
      for (const worker of workers) await stopChild(worker);
      const ours = [...recording.posts.values()].filter((p) => p.text.startsWith(`bench ${run} `));
      const lateness = ours.map((p) => p.receivedAt - dueAt).sort((a, b) => a - b);
      const byText = new Map<string, number>();
      for (const post of ours) byText.set(`${post.repo} ${post.text}`, (byText.get(`${post.repo} ${post.text}`) ?? 0) + 1);
      const duplicates = [...byText.values()].reduce((sum, n) => sum + n - 1, 0);
      const rows = await store.db.selectFrom('post_targets').select(['state', 'remote_id', 'remote_cid']).execute();
      const cids = new Map(ours.map((p) => [`at://${p.repo}/app.bsky.feed.post/${p.rkey}`, p.cid]));
      const published = rows.filter((r) => r.state === 'published').length;
      const mismatches = rows.filter((r) => !r.remote_id || cids.get(r.remote_id) !== r.remote_cid).length;
      const first = Math.min(...ours.map((p) => p.receivedAt));
      const last = Math.max(...ours.map((p) => p.receivedAt));
      return {
        workers: workerCount,
        targets: ours.length,
        scheduleMs,
        throughput: ours.length / ((last - first) / 1000),
        p50: percentile(lateness, 50),
        p99: percentile(lateness, 99),
        max: lateness[lateness.length - 1]!,
        duplicates,
        collisions: 0,
        published,
        mismatches,
        cpu: cpuReport,
      };
    } finally {
      await store.close();
    }
  } catch (error) {
    for (const worker of workers) console.error(worker.output());
    throw error;
  } finally {
    for (const worker of workers) await stopChild(worker);
    await stopChild(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (args['baseline-client']) {
    await baselineClient(args['baseline-client'], Number(args['baseline-count']), Number(args['baseline-lanes']), args['baseline-mode'] ?? 'create');
    return;
  }
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build:server\` from the repository root first`);
  const targets = Number(args.targets);
  const accounts = Number(args.accounts);
  const workerCounts = args.workers.split(',').map(Number);
  const recording = await startRecordingServer();
  const rows: string[] = [];
  const ceilings: string[] = [];
  const cpuLines: string[] = [];
  const line = (cells: (string | number)[]) => rows.push(`| ${cells.join(' | ')} |`);
  line(['run', 'client lanes', 'targets/s', 'vs raw createRecord', 'p50 lateness', 'p99 lateness', 'max lateness', 'duplicates', 'published / mismatches']);
  line(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---']);
  const ms = (value: number) => `${Math.round(value)} ms`;
  try {
    for (const workers of workerCounts) {
      const lanes = workers * WORKER_LANES;
      const raw = await runBaseline(recording.url, targets, lanes, 'create');
      const both = await runBaseline(recording.url, targets, lanes, 'get+create');
      const collisionsBefore = recording.collisions();
      const result = await runChorus(recording, workers, targets, accounts, Number(args['lead-seconds']) * 1000);
      result.collisions = recording.collisions() - collisionsBefore;
      line([`raw createRecord loop`, lanes, Math.round(raw), '1.00', '', '', '', '', '']);
      line([`raw getRecord + createRecord loop`, lanes, Math.round(both), (both / raw).toFixed(2), '', '', '', '', '']);
      line([
        `chorus, ${workers} worker process${workers > 1 ? 'es' : ''}`,
        lanes,
        Math.round(result.throughput),
        (result.throughput / raw).toFixed(2),
        ms(result.p50),
        ms(result.p99),
        ms(result.max),
        result.duplicates,
        `${result.published} / ${result.mismatches}`,
      ]);
      ceilings.push(
        `${workers} worker(s): ${(result.throughput / both).toFixed(2)} of the raw getRecord + createRecord loop (target >= 0.5), p99 lateness ${ms(result.p99)}`,
      );
      cpuLines.push(cpuLine(workers, result));
      console.error(
        `${workers} worker(s): ${result.targets} targets scheduled in ${result.scheduleMs} ms; ${result.collisions} creates refused as already existing`,
      );
    }
  } finally {
    await recording.close();
  }
  console.log(
    `\n${targets} targets on ${accounts} accounts, all due at one instant; ${os.cpus().length} CPUs, Node ${process.version}, store ${args['database-url'] ? 'postgres' : 'sqlite'}\n`,
  );
  console.log(rows.join('\n'));
  // After the table, which outside checks read as it is.
  console.log(
    `\nRatio to the ceiling of the same run (load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}):\n${ceilings.join('\n')}`,
  );
  console.log(`\nCPU from the due instant until every result was recorded:\n${cpuLines.join('\n')}`);
}

/** Whether the machine had a core to spare: a second worker can only help if it did. */
function cpuLine(workers: number, result: RunResult): string {
  const { cpu } = result;
  const perTarget = (seconds: number) => `${((seconds * 1000) / result.targets).toFixed(2)} ms/target`;
  const groups = Object.entries(cpu.groups).map(([name, seconds]) => `${name} ${seconds.toFixed(1)} s (${perTarget(seconds)})`);
  return `${workers} worker(s), ${cpu.seconds.toFixed(1)} s: machine ${(cpu.machineBusy * 100).toFixed(0)} % busy of ${cpu.cores} cores (${(cpu.machineSteal * 100).toFixed(0)} % stolen by the hypervisor); ${groups.join(', ')}`;
}

await main();
