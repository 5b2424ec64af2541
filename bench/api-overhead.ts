/**
 * What an authenticated API request costs next to the cheapest route of the same server:
 * GET /healthz (no auth, no store) vs GET /api/orgs/:orgId (API token lookup, membership check,
 * one org read), same process, same run, keep-alive clients. Pass several builds to compare
 * them side by side, e.g. before and after a change:
 *   node .tmp/bench/bench/api-overhead.js --dist dist --dist /tmp/old/dist --seconds 5
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const args = process.argv.slice(2);
const dists = args.flatMap((a, i) => (a === '--dist' ? [args[i + 1]!] : []));
const seconds = Number(args[args.indexOf('--seconds') + 1] ?? 5) || 5;
const lanes = 16;

/** Builds before the core floor put the CLI at dist/cli/, later ones at dist/src/cli/ (dist/core/ beside it). */
function cliIn(dist: string): string {
  const current = path.join(dist, 'src/cli/main.js');
  return fs.existsSync(current) ? current : path.join(dist, 'cli/main.js');
}

async function load(url: string, headers: Record<string, string>): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: lanes });
  const end = Date.now() + seconds * 1000;
  let done = 0;
  const lane = async () => {
    while (Date.now() < end) {
      await new Promise<void>((resolve, reject) => {
        http.get(url, { agent, headers }, (res) => res.resume().on('end', resolve)).on('error', reject);
      });
      done++;
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  agent.destroy();
  return done / seconds;
}

async function startServer(dist: string, port: number): Promise<{ child: ChildProcess; base: string; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-bench-api-'));
  const child = spawn(process.execPath, [cliIn(dist), 'serve', '--port', String(port), '--data-dir', dir], {
    env: { ...process.env, LOG_LEVEL: 'warn', CHORUS_NO_WORKER: '1', CHORUS_STATUS_PROBE_SECONDS: '0', CHORUS_BACKUP_INTERVAL_MINUTES: '0' },
    stdio: 'ignore',
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { child, base, dir };
    await sleep(100);
  }
  throw new Error(`server from ${dist} did not start`);
}

async function measure(dist: string, port: number) {
  const { child, base, dir } = await startServer(dist, port);
  try {
    const setup = await fetch(`${base}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bench', email: 'bench@example.com', password: 'benchmark password', orgName: 'Bench' }),
    });
    const cookie = setup.headers.get('set-cookie')!.split(';')[0]!;
    const { orgs, csrfToken } = (await setup.json()) as { orgs: { id: string }[]; csrfToken: string };
    const created = await fetch(`${base}/api/me/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ name: 'bench' }),
    });
    const { token } = (await created.json()) as { token: string };
    await load(`${base}/healthz`, {}); // warm-up
    const healthz = await load(`${base}/healthz`, {});
    const org = await load(`${base}/api/orgs/${orgs[0]!.id}`, { authorization: `Bearer ${token}` });
    return { dist, healthz, org, ratio: org / healthz };
  } finally {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const results = [];
for (const [i, dist] of (dists.length ? dists : ['dist']).entries()) results.push(await measure(dist, 3900 + i));
console.log(`| build | GET /healthz req/s | GET /api/orgs/:orgId req/s | ratio |\n| --- | ---: | ---: | ---: |`);
for (const r of results) console.log(`| ${r.dist} | ${r.healthz.toFixed(0)} | ${r.org.toFixed(0)} | ${r.ratio.toFixed(2)} |`);
console.log(`(${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(1)}, ${seconds} s per route, ${lanes} keep-alive lanes)`);
