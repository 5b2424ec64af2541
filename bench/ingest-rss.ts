/**
 * Resident memory under ingest: `chorus serve` (built dist/, embedded SQLite, its own ingest worker)
 * with 100 feed channel accounts and 1 000 columns (10 on each feed, spread over 10 boards), all
 * read from a local feed server. Every feed starts with `--entries` entries (the first poll reads
 * the whole document); then, every `--round-seconds`, each feed gets `--new-per-round` new entries
 * and the bench makes every ingest job due again (next_poll_at = now, request budget reset: what
 * 15 minutes and a watched board do in real time). RSS is sampled from /proc every 250 ms; the
 * kernel's own high-water mark (VmHWM) is read at the end. Run from the repository root after
 * `npm run build:server`; the command is in bench/README.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';

const { values: args } = parseArgs({
  options: {
    accounts: { type: 'string', default: '100' },
    'columns-per-account': { type: 'string', default: '10' },
    entries: { type: 'string', default: '100' },
    'new-per-round': { type: 'string', default: '10' },
    'round-seconds': { type: 'string', default: '10' },
    seconds: { type: 'string', default: '120' },
    // Builds to compare, run one after the other (e.g. a copy of the parent's dist/ beside this one's).
    cli: { type: 'string', multiple: true, default: ['dist/src/cli/main.js'] },
    // V8 flags for the server, e.g. "--max-semi-space-size=4" (one run per value; '' is none).
    'node-args': { type: 'string', multiple: true, default: [''] },
  },
});
const ACCOUNTS = Number(args.accounts);
const COLUMNS_PER_ACCOUNT = Number(args['columns-per-account']);
const LIMIT_MB = 256;

/** Feed n: an RSS 2.0 document of its newest `entries` items; `grow()` adds new ones to every feed. */
function startFeedServer(entries: number): Promise<{ url: string; grow: (count: number) => void; requests: () => number; close: () => void }> {
  let total = entries;
  let requests = 0;
  const server = http.createServer((request, response) => {
    requests++;
    const feed = /^\/feed\/(\d+)\.xml$/.exec(request.url ?? '')?.[1];
    if (feed === undefined) return response.writeHead(404).end();
    const items: string[] = [];
    for (let i = total - 1; i >= Math.max(0, total - entries); i--) {
      const published = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toUTCString();
      items.push(
        `<item><guid isPermaLink="false">f${feed}-${i}</guid><title>Feed ${feed} entry ${i}</title>` +
          `<link>https://blog${feed}.example/posts/${i}</link><pubDate>${published}</pubDate>` +
          `<description>&lt;p&gt;Entry ${i} of feed ${feed}: a paragraph of text such as a small business blog posts, ` +
          `with a &lt;a href="https://blog${feed}.example/more/${i}"&gt;link&lt;/a&gt; and a few more words to fill it out.&lt;/p&gt;</description></item>`,
      );
    }
    response.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
    response.end(
      `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Bench feed ${feed}</title>` +
        `<link>https://blog${feed}.example/</link><description>feed ${feed}</description>${items.join('')}</channel></rss>`,
    );
  });
  // Longer than Chorus keeps an idle pooled connection, as real web servers do: Node's 5 s default
  // closes sockets the poller is about to reuse ("socket hang up").
  server.keepAliveTimeout = 120_000;
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${port}`,
        grow: (count) => (total += count),
        requests: () => requests,
        close: () => server.close(),
      });
    }),
  );
}

async function startServer(cli: string, nodeArgs: string[], dataDir: string): Promise<{ child: ChildProcess; baseUrl: string }> {
  const env = {
    ...process.env,
    CHORUS_DATA_DIR: dataDir,
    CHORUS_ALLOW_PRIVATE_NETWORK: 'true',
    CHORUS_BACKUP_INTERVAL_MINUTES: '0',
    CHORUS_STATUS_PROBE_SECONDS: '0',
    LOG_LEVEL: 'info',
  };
  const child = spawn(process.execPath, [...nodeArgs, cli, 'serve', '--port', '0', '--host', '127.0.0.1'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
  child.stderr!.on('data', keep);
  const baseUrl = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      keep(chunk);
      const match = /running at (http:\/\/[^"\s]+?)\/?"/.exec(output);
      if (match) resolve(match[1]!.replace('localhost', '127.0.0.1'));
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${output}`)));
  });
  return { child, baseUrl };
}

function client(baseUrl: string) {
  let headers: Record<string, string> = {};
  const call = async (method: string, url: string, body?: unknown) => {
    const response = await fetch(baseUrl + url, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json().catch(() => null)) as any;
    if (response.status >= 300) throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(json)}`);
    return { headers: response.headers, body: json };
  };
  return {
    call,
    signIn: (cookie: string, csrfToken: string) => (headers = { cookie, 'x-csrf-token': csrfToken }),
  };
}

const rssMbOf = (pid: number, field: 'VmRSS' | 'VmHWM') =>
  Number(new RegExp(`${field}:\\s+(\\d+)`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

interface RunResult {
  cli: string;
  nodeArgs: string;
  idleMb: number;
  maxSampledMb: number;
  hwmMb: number;
  items: number;
  memberships: number;
  feedRequests: number;
  rounds: number;
  load: string;
}

async function run(cli: string, nodeArgs: string[]): Promise<RunResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-bench-ingest-rss-'));
  const feeds = await startFeedServer(Number(args.entries));
  const load = [os.loadavg()[0]!];
  const { child, baseUrl } = await startServer(cli, nodeArgs, dataDir);
  const pid = child.pid!;
  let maxSampledMb = 0;
  const sampler = setInterval(() => {
    try {
      maxSampledMb = Math.max(maxSampledMb, rssMbOf(pid, 'VmRSS'));
    } catch {
      // the process is gone; the run fails below
    }
  }, 250);
  try {
    await sleep(3000);
    const idleMb = rssMbOf(pid, 'VmRSS');
    const { call, signIn } = client(baseUrl);
    const setup = await call('POST', '/api/setup', {
      name: 'Bench Owner',
      email: 'bench@example.com',
      password: 'correct horse battery staple',
      orgName: 'Bench',
    });
    signIn(setup.headers.get('set-cookie')!.split(';')[0]!, setup.body.csrfToken);
    const api = `/api/orgs/${setup.body.orgs[0].id}`;
    const boards: string[] = [];
    for (let b = 0; b < 10; b++) boards.push((await call('POST', `${api}/boards`, { name: `Board ${b}` })).body.board.id);
    for (let a = 0; a < ACCOUNTS; a++) {
      const channel = (await call('POST', `${api}/channels`, { network: 'feed', credentials: { url: `${feeds.url}/feed/${a}.xml` } })).body.channel;
      for (let c = 0; c < COLUMNS_PER_ACCOUNT; c++)
        await call('POST', `${api}/boards/${boards[(a * COLUMNS_PER_ACCOUNT + c) % boards.length]}/columns`, {
          title: `Feed ${a} column ${c}`,
          kind: 'feed',
          channelAccountId: channel.id,
        });
    }
    // Another connection to the server's own file (WAL: the server keeps writing meanwhile).
    const db = new SQLite(path.join(dataDir, 'chorus.db'));
    db.pragma('busy_timeout = 5000');
    const makeAllDue = db.prepare('update ingest_jobs set next_poll_at = ?, budget_used = 0, budget_window_start = ?');
    const ends = Date.now() + Number(args.seconds) * 1000;
    let rounds = 0;
    while (Date.now() < ends) {
      await sleep(Number(args['round-seconds']) * 1000);
      feeds.grow(Number(args['new-per-round']));
      const now = new Date().toISOString();
      makeAllDue.run(now, now);
      rounds++;
    }
    const items = (db.prepare('select count(*) as n from stream_items').get() as { n: number }).n;
    const memberships = (db.prepare('select count(*) as n from column_items').get() as { n: number }).n;
    db.close();
    const hwmMb = rssMbOf(pid, 'VmHWM');
    load.push(os.loadavg()[0]!);
    return {
      cli: path.relative(process.cwd(), cli),
      nodeArgs: nodeArgs.join(' '),
      idleMb,
      maxSampledMb,
      hwmMb,
      items,
      memberships,
      feedRequests: feeds.requests(),
      rounds,
      load: load.map((l) => l.toFixed(1)).join(' → '),
    };
  } finally {
    clearInterval(sampler);
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    feeds.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const results: RunResult[] = [];
for (const nodeArgs of args['node-args']) for (const cli of args.cli) results.push(await run(path.resolve(cli), nodeArgs.split(' ').filter(Boolean)));

console.log(
  `\n${ACCOUNTS} feed accounts, ${ACCOUNTS * COLUMNS_PER_ACCOUNT} columns, ${args.seconds} s of rounds every ${args['round-seconds']} s; ${os.cpus().length} CPUs, Node ${process.version}\n`,
);
console.log(
  '| build | node flags | idle RSS | max RSS (sampled) | max RSS (VmHWM) | VmHWM / 256 MB | items | column memberships | feed requests | rounds | load average |',
);
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
for (const r of results)
  console.log(
    `| ${r.cli} | ${r.nodeArgs || '—'} | ${r.idleMb.toFixed(0)} MB | ${r.maxSampledMb.toFixed(0)} MB | ${r.hwmMb.toFixed(0)} MB | ${(r.hwmMb / LIMIT_MB).toFixed(2)} | ${r.items} | ${r.memberships} | ${r.feedRequests} | ${r.rounds} | ${r.load} |`,
  );
