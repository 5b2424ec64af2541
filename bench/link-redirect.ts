/**
 * GET /s/<code> with click recording on, against a bare Fastify route answering the same 302 with
 * no recording, in the same run: requests per second from 16 keep-alive lanes in this process,
 * the server in a child process, server time per request (Fastify's reply.elapsedTime, p50/p99)
 * and the server's CPU time per redirect. The two servers take turns, `--rounds` each (medians
 * printed): the load generator shares the machine's CPUs, so a bare server is often client-bound,
 * and CPU per redirect is the comparison that does not move with what else the machine runs.
 * Then the same load on Chorus is cut by SIGKILL, and the clicks answered with a 302 are compared
 * with those stored: what a crash loses (at most the unflushed last second).
 *
 *   npm run build:server
 *   npx tsc --outDir .tmp/bench --rootDir . --module nodenext --moduleResolution nodenext --target es2023 \
 *     --strict --skipLibCheck --types node --esModuleInterop --resolveJsonModule bench/link-redirect.ts
 *   node .tmp/bench/bench/link-redirect.js --seconds 10   # embedded SQLite, a fresh file per server
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const seconds = Number(option('--seconds') ?? 10);
const rounds = Number(option('--rounds') ?? 3);
const lanes = 16;
const AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
// Run from the repository root (the compiled script lives in .tmp/bench/).
const ROOT = process.cwd();

type Report =
  | { kind: 'ready'; port: number; code: string }
  | { kind: 'stats'; p50: number; p99: number; requests: number; cpuMicros: number; flushed: number; slowestFlushMs: number }
  | { kind: 'flushed'; flushed: number };

// ---- child: one server, reporting its own timings ----
async function serve(kind: 'chorus' | 'bare', databaseUrl: string): Promise<void> {
  const times: number[] = [];
  let app: FastifyInstance;
  let code = 'AAAAAAAAAAA';
  let flushed = () => 0;
  let slowestFlushMs = () => 0;
  if (kind === 'bare') {
    app = Fastify({ logger: false });
    app.addHook('onResponse', async (_request, reply) => {
      times.push(reply.elapsedTime);
    });
    app.get('/s/:code', async (_request, reply) =>
      reply.status(302).header('location', 'https://shop.example.com/sale').header('cache-control', 'private, no-store').send(),
    );
  } else {
    const dist = path.join(ROOT, 'dist/src');
    const { openStore } = await import(path.join(dist, 'store/open.js'));
    const { migrateToLatest } = await import(path.join(dist, 'app/migrations.js'));
    const { buildServer } = await import(path.join(dist, 'app/server.js'));
    const store = openStore(databaseUrl);
    await migrateToLatest(store);
    app = await buildServer({ store, webRoot: null, shortLinks: { ratePerMinute: 1_000_000_000 } });
    // The same timing hook on both servers; it must be added before the first inject makes the app ready.
    app.addHook('onResponse', async (_request, reply) => {
      times.push(reply.elapsedTime);
    });
    const setup = await app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { name: 'Bench Owner', email: 'bench@example.com', password: 'correct horse battery staple', orgName: 'Bench' },
    });
    const { orgs, csrfToken } = setup.json();
    const cookie = String(setup.headers['set-cookie']).split(';')[0]!;
    const link = await app.inject({
      method: 'POST',
      url: `/api/orgs/${orgs[0].id}/links`,
      headers: { cookie, 'x-csrf-token': csrfToken },
      payload: { url: 'https://shop.example.com/sale' },
    });
    code = link.json().link.code;
    const recorder = (app as FastifyInstance & { clickRecorder: { stats(): { flushed: number; slowestFlushMs: number } } }).clickRecorder;
    flushed = () => recorder.stats().flushed;
    slowestFlushMs = () => recorder.stats().slowestFlushMs;
    setInterval(() => process.send!({ kind: 'flushed', flushed: flushed() } satisfies Report), 50).unref();
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  let cpuAtReset = process.cpuUsage();
  process.on('message', (message: { kind: string }) => {
    if (message.kind === 'reset') {
      times.length = 0;
      cpuAtReset = process.cpuUsage();
    }
    if (message.kind === 'stats') {
      const sorted = [...times].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
      process.send!({
        kind: 'stats',
        p50: at(0.5),
        p99: at(0.99),
        requests: sorted.length,
        cpuMicros: (({ user, system }) => user + system)(process.cpuUsage(cpuAtReset)),
        flushed: flushed(),
        slowestFlushMs: slowestFlushMs(),
      } satisfies Report);
    }
  });
  // A clean exit on SIGTERM, so --cpu-prof writes its profile.
  process.once('SIGTERM', () => process.exit(0));
  process.send!({ kind: 'ready', port, code } satisfies Report);
}

// ---- parent: load, compare, crash ----
function start(kind: 'chorus' | 'bare', databaseUrl: string): Promise<{ child: ChildProcess; port: number; code: string; flushed: () => number }> {
  // BENCH_PROFILE=<dir> writes a CPU profile of each server to that folder.
  const execArgv = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = fork(import.meta.filename, ['--child', kind, '--database-url', databaseUrl], { stdio: 'inherit', execArgv });
  let flushed = 0;
  return new Promise((resolve, reject) => {
    child.on('message', (message: Report) => {
      if (message.kind === 'ready') resolve({ child, port: message.port, code: message.code, flushed: () => flushed });
      if (message.kind === 'flushed') flushed = message.flushed;
    });
    child.once('exit', (code) => reject(new Error(`${kind} server exited (${code})`)));
  });
}

const ask = (child: ChildProcess): Promise<Extract<Report, { kind: 'stats' }>> =>
  new Promise((resolve) => {
    const listen = (message: Report) => {
      if (message.kind === 'stats') {
        child.off('message', listen);
        resolve(message);
      }
    };
    child.on('message', listen);
    child.send({ kind: 'stats' });
  });

async function load(port: number, code: string, forMs: number, stop: { now: boolean } = { now: false }): Promise<{ perSecond: number; redirected: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: lanes });
  const end = Date.now() + forMs;
  let redirected = 0;
  const started = Date.now();
  const lane = async () => {
    while (Date.now() < end && !stop.now) {
      const status = await new Promise<number>((resolve) => {
        http
          .get({ host: '127.0.0.1', port, path: `/s/${code}`, agent, headers: { 'user-agent': AGENT } }, (res) =>
            res.resume().on('end', () => resolve(res.statusCode ?? 0)),
          )
          .on('error', () => resolve(0));
      });
      if (status === 302) redirected++;
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  agent.destroy();
  return { perSecond: redirected / ((Date.now() - started) / 1000), redirected };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function compare(databaseUrl: string): Promise<void> {
  const kinds = ['bare', 'chorus'] as const;
  const servers = { bare: await start('bare', databaseUrl), chorus: await start('chorus', databaseUrl) };
  type Run = { perSecond: number; stats: Extract<Report, { kind: 'stats' }> };
  const runs: Record<(typeof kinds)[number], Run[]> = { bare: [], chorus: [] };
  for (const kind of kinds) await load(servers[kind].port, servers[kind].code, 2000); // warm-up
  for (let round = 0; round < rounds; round++) {
    for (const kind of kinds) {
      const server = servers[kind];
      server.child.send({ kind: 'reset' });
      const { perSecond } = await load(server.port, server.code, seconds * 1000);
      runs[kind].push({ perSecond, stats: await ask(server.child) });
    }
  }
  const summary = (kind: (typeof kinds)[number]) => ({
    perSecond: median(runs[kind].map((run) => run.perSecond)),
    cpuPerRedirect: median(runs[kind].map((run) => run.stats.cpuMicros / Math.max(1, run.stats.requests))),
    p50: median(runs[kind].map((run) => run.stats.p50)),
    p99: median(runs[kind].map((run) => run.stats.p99)),
    last: runs[kind].at(-1)!.stats,
  });
  const bare = summary('bare');
  const chorus = summary('chorus');
  console.log(`| server | 302/s (median of ${rounds}) | p50 server time | p99 server time | CPU per redirect | clicks stored | slowest flush |`);
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [label, row, extra] of [
    ['bare Fastify 302, no recording', bare, ' | '],
    ['Chorus /s/<code>, clicks recorded', chorus, ` ${chorus.last.flushed} | ${chorus.last.slowestFlushMs.toFixed(1)} ms`],
  ] as const) {
    console.log(
      `| ${label} | ${row.perSecond.toFixed(0)} | ${row.p50.toFixed(3)} ms | ${row.p99.toFixed(3)} ms | ${row.cpuPerRedirect.toFixed(1)} µs |${extra} |`,
    );
  }
  console.log(`rounds, 302/s bare / Chorus: ${kinds.map((k) => runs[k].map((run) => run.perSecond.toFixed(0)).join(' ')).join(' / ')}`);
  console.log(
    `ratio (Chorus / bare): throughput ${(chorus.perSecond / bare.perSecond).toFixed(2)}, CPU per redirect ${(bare.cpuPerRedirect / chorus.cpuPerRedirect).toFixed(2)}; load average ${os.loadavg()[0]!.toFixed(2)}`,
  );
  for (const kind of kinds) {
    servers[kind].child.kill('SIGTERM');
    await new Promise((r) => servers[kind].child.once('exit', r));
  }
}

async function crash(databaseUrl: string): Promise<void> {
  const server = await start('chorus', databaseUrl);
  const stop = { now: false };
  const flood = load(server.port, server.code, 60_000, stop);
  await new Promise((r) => setTimeout(r, 3_300));
  server.child.kill('SIGKILL');
  stop.now = true;
  const acknowledged = server.flushed();
  const { redirected } = await flood;
  const dist = path.join(ROOT, 'dist/src');
  const { openStore } = await import(path.join(dist, 'store/open.js'));
  const store = openStore(databaseUrl);
  const stored = Number(
    (
      await store.db
        .selectFrom('link_clicks')
        .select((eb: any) => eb.fn.countAll().as('n'))
        .executeTakeFirst()
    ).n,
  );
  await store.close();
  console.log(
    `SIGKILL under load: 302s answered ${redirected}, acknowledged (flushed) ${acknowledged}, stored ${stored}, lost ${redirected - stored} (${((100 * (redirected - stored)) / Math.max(1, redirected)).toFixed(1)} %)`,
  );
}

if (args.includes('--child')) {
  await serve(option('--child') as 'chorus' | 'bare', option('--database-url')!);
} else {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-bench-links-'));
  try {
    await compare(`sqlite:${path.join(dir, 'compare.db')}`);
    await crash(`sqlite:${path.join(dir, 'crash.db')}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
