/**
 * Board load in a real Chromium (issue 18): a board of 10 feed columns, 258 items in their first
 * pages, loaded N times; each load is timed from navigation to every column showing at least one
 * item. Two ways the images go: `blocked` (the browser aborts every image-proxy request, so only
 * the API and rendering count) and `hanging` (avatars on a host that accepts connections and never
 * answers, pictures on a host that refuses them: what a board sees when image hosts are down).
 * Next to each load, the same run's baseline: when the page's API calls were done (the last
 * /api/ answer, image proxy and the live event stream left out) and when /api/session was.
 *
 * `--build name=dir` (repeatable) names built checkouts (`npm run build` in each) to load side
 * by side: each gets its own server and data, and their loads alternate, so a change and its
 * baseline share the machine's load. `--behind-h2 name` also loads that build through HAProxy
 * with TLS and HTTP/2 (as docs/operations.md describes), as `name+h2`. `--waterfall` prints each
 * last load's requests and paints on a timeline; `--cpu-profile-dir dir` keeps its JavaScript CPU
 * profile. Run from the repository root; the command is in bench/README.md.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../test/e2e/support/chromium.js';

const { values: args } = parseArgs({
  options: {
    loads: { type: 'string', default: '7' },
    build: { type: 'string', multiple: true, default: [`this=${process.cwd()}`] },
    'behind-h2': { type: 'string', multiple: true, default: [] },
    modes: { type: 'string', default: 'blocked,hanging' },
    'ready-timeout-seconds': { type: 'string', default: '60' },
    /** Also print each build and mode's last load as a timeline: every request, first paint, ready. */
    waterfall: { type: 'boolean', default: false },
    /** Write the page's JavaScript CPU profile of each build and mode's last load here (a .cpuprofile per load, Chrome DevTools reads it). */
    'cpu-profile-dir': { type: 'string' },
  },
});

const FEEDS = 10;
/** 8 feeds of 26 and 2 of 25: the issue's 258 items in the columns' first pages. */
const itemsOfFeed = (feed: number) => (feed < 8 ? 26 : 25);
const AUTHORS_PER_FEED = 8;
type Mode = 'blocked' | 'hanging';

interface Servers {
  feeds: http.Server;
  feedBase: string;
  close(): Promise<void>;
}

/**
 * The feed host (JSON Feed: each entry's author has an avatar), the avatar host that holds every
 * connection open without a byte, and a port nothing listens on for the entries' pictures.
 */
async function startFeedHosts(): Promise<Servers> {
  const held = new Set<net.Socket>();
  const hanging = net.createServer((socket) => {
    held.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => held.delete(socket));
  });
  const hangingPort = await listen(hanging);
  const refusing = net.createServer();
  const refusedPort = await listen(refusing);
  await new Promise((resolve) => refusing.close(resolve));
  const feeds = http.createServer((req, res) => {
    const match = /^\/feed-(\d+)\.json$/.exec(req.url ?? '');
    if (!match) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/feed+json' }).end(JSON.stringify(jsonFeed(Number(match[1]), hangingPort, refusedPort)));
  });
  const feedPort = await listen(feeds);
  return {
    feeds,
    feedBase: `http://127.0.0.1:${feedPort}`,
    async close() {
      for (const socket of held) socket.destroy();
      await Promise.all([new Promise((resolve) => hanging.close(resolve)), new Promise((resolve) => feeds.close(resolve))]);
    },
  };
}

function jsonFeed(feed: number, hangingPort: number, refusedPort: number) {
  const start = Date.UTC(2026, 11, 1);
  return {
    version: 'https://jsonfeed.org/version/1.1',
    title: `Bench blog ${feed}`,
    home_page_url: `https://blog${feed}.example/`,
    items: Array.from({ length: itemsOfFeed(feed) }, (_, i) => {
      const author = i % AUTHORS_PER_FEED;
      return {
        id: `https://blog${feed}.example/posts/${i}`,
        url: `https://blog${feed}.example/posts/${i}`,
        title: `記事 ${feed}-${i}: Maintenance window tonight`,
        content_html: `<p>新作の予約を開始 ${feed}-${i}. Our shop opens at 9 tomorrow; read the <a href="https://blog${feed}.example/posts/${i}">postmortem</a>.</p>`,
        date_published: new Date(start + (feed * 100 + i) * 60_000).toISOString(),
        authors: [{ name: `Author ${feed}-${author}`, avatar: `http://127.0.0.1:${hangingPort}/avatar/${feed}-${author}.png` }],
        ...(i % 3 === 0 ? { image: `http://127.0.0.1:${refusedPort}/img/${feed}-${i}.jpg` } : {}),
      };
    }),
  };
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

interface Chorus {
  name: string;
  baseUrl: string;
  boardUrl: string;
  cookie: { name: string; value: string };
  process: ChildProcess;
  proxy: ChildProcess | null;
  dataDir: string;
}

/** HAProxy terminating TLS with ALPN h2 in front of a Chorus, with a throwaway self-signed certificate. */
async function startH2Proxy(chorus: Chorus): Promise<Chorus> {
  const dir = fs.mkdtempSync(path.join(chorus.dataDir, 'h2-'));
  const made = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`, '-days', '1', '-subj', '/CN=127.0.0.1'],
    { stdio: 'ignore' },
  );
  if (made.status !== 0) throw new Error('openssl could not make a certificate');
  fs.writeFileSync(`${dir}/chorus.pem`, fs.readFileSync(`${dir}/cert.pem`, 'utf8') + fs.readFileSync(`${dir}/key.pem`, 'utf8'));
  const probe = net.createServer();
  const port = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  fs.writeFileSync(
    `${dir}/haproxy.cfg`,
    [
      'defaults',
      '  mode http',
      '  timeout connect 5s',
      '  timeout client 60s',
      '  timeout server 60s',
      '  timeout tunnel 1h',
      'frontend chorus',
      `  bind 127.0.0.1:${port} ssl crt ${dir}/chorus.pem alpn h2,http/1.1`,
      '  http-request set-header X-Forwarded-Proto https',
      '  default_backend chorus',
      'backend chorus',
      `  server chorus1 ${new URL(chorus.baseUrl).host}`,
      '',
    ].join('\n'),
  );
  const proxy = spawn('haproxy', ['-f', `${dir}/haproxy.cfg`], { stdio: 'ignore' });
  const baseUrl = `https://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    if (await tlsAnswers(port)) break;
    if (tries > 100 || proxy.exitCode !== null) throw new Error('haproxy did not start (is it installed?)');
    await sleep(100);
  }
  return { ...chorus, name: `${chorus.name}+h2`, baseUrl, boardUrl: chorus.boardUrl.replace(chorus.baseUrl, baseUrl), proxy };
}

/** HAProxy listens (a connection is taken; Node's fetch would refuse the self-signed certificate). */
async function tlsAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function startChorus(name: string, root: string, feedBase: string): Promise<Chorus> {
  const cli = path.join(root, 'dist/src/cli/main.js');
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run npm run build in ${root}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `chorus-bench-board-${name}-`));
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'info'], {
    cwd: root,
    env: { ...process.env, CHORUS_ALLOW_PRIVATE_NETWORK: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk) => (output += chunk));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /running at (http:\/\/\S+?)"/.exec(line);
      if (match) resolve(match[1]!.replace(/\/$/, '').replace('localhost', '127.0.0.1'));
    });
    child.once('exit', (code) => reject(new Error(`${name}: server exited (${code}):\n${output}`)));
  });

  const call = async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(baseUrl + url, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, headers: response.headers, body: (await response.json().catch(() => null)) as any };
  };
  const setup = await call('POST', '/api/setup', {
    name: 'Bench Owner',
    email: 'bench@example.com',
    password: 'correct horse battery staple',
    orgName: 'Bench',
  });
  if (setup.status !== 201) throw new Error(`${name}: setup answered ${setup.status} ${JSON.stringify(setup.body)}`);
  const [cookieName, cookieValue] = setup.headers.get('set-cookie')!.split(';')[0]!.split('=') as [string, string];
  const session = { cookie: `${cookieName}=${cookieValue}`, 'x-csrf-token': setup.body.csrfToken as string };
  const api = `/api/orgs/${setup.body.orgs[0].id}`;
  const board = await call('POST', `${api}/boards`, { name: 'Blogs' }, session);
  if (board.status !== 201) throw new Error(`${name}: board answered ${board.status} ${JSON.stringify(board.body)}`);
  const columnIds: string[] = [];
  for (let feed = 0; feed < FEEDS; feed++) {
    const column = await call('POST', `${api}/boards/${board.body.board.id}/columns`, { kind: 'feed', target: `${feedBase}/feed-${feed}.json` }, session);
    if (column.status !== 201) throw new Error(`${name}: column answered ${column.status} ${JSON.stringify(column.body)}`);
    columnIds.push(column.body.column.id);
  }
  // Ingest fills the columns in the background: wait until every first page holds its feed.
  const deadline = Date.now() + 120_000;
  for (;;) {
    const counts = await Promise.all(
      columnIds.map((id) => call('GET', `${api}/columns/${id}/items?limit=50`, undefined, session).then((r) => r.body?.items?.length ?? 0)),
    );
    if (counts.every((count, feed) => count === itemsOfFeed(feed))) break;
    if (Date.now() > deadline) throw new Error(`${name}: columns not filled after 120 s: ${counts.join(', ')}`);
    await sleep(500);
  }
  return {
    name,
    baseUrl,
    boardUrl: `${baseUrl}/orgs/${setup.body.orgs[0].id}/streams`,
    cookie: { name: cookieName, value: cookieValue },
    process: child,
    proxy: null,
    dataDir,
  };
}

async function stopChorus(chorus: Chorus): Promise<void> {
  if (chorus.proxy) {
    chorus.proxy.kill('SIGTERM');
    return;
  }
  if (chorus.process.exitCode === null) {
    const exited = new Promise((resolve) => chorus.process.once('exit', resolve));
    chorus.process.kill('SIGTERM');
    await exited;
  }
  fs.rmSync(chorus.dataDir, { recursive: true, force: true });
}

interface Load {
  readyMs: number;
  apiDoneMs: number;
  sessionMs: number;
  domNodes: number;
  columns: number;
  items: number;
  imageRequests: number;
  /** How the browser spoke to Chorus (nextHopProtocol of /api/session): http/1.1 or h2. */
  protocol: string;
  /** Every request of the page (image proxy left out) and the first paint, in ms from navigation start. */
  timeline: { name: string; startMs: number; endMs: number }[];
}

/** One load in a fresh browser context (cold cache, signed in by cookie), timed inside the page from navigation start. */
async function loadBoard(browser: Browser, chorus: Chorus, mode: Mode): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, ignoreHTTPSErrors: true });
  try {
    await context.addCookies([{ ...chorus.cookie, url: chorus.baseUrl }]);
    let imageRequests = 0;
    await context.route('**/image-proxy?**', (route) => {
      imageRequests += 1;
      return mode === 'blocked' ? route.abort('blockedbyclient') : route.fallback();
    });
    const page = await context.newPage();
    const profileDir = args['cpu-profile-dir'];
    const cdp = profileDir ? await context.newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    await page.goto(chorus.boardUrl, { waitUntil: 'commit' });
    const readyMs = await page.waitForFunction(
      (count) => {
        const columns = [...document.querySelectorAll('[data-testid="stream-column"]')];
        return columns.length === count && columns.every((column) => column.querySelector('[data-testid="stream-item"]')) && performance.now();
      },
      FEEDS,
      { polling: 20, timeout: Number(args['ready-timeout-seconds']) * 1000 },
    );
    const measured = await page.evaluate(() => {
      const api = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter(
        (entry) => entry.name.includes('/api/') && !entry.name.includes('/image-proxy') && !entry.name.includes('/stream-events'),
      );
      return {
        apiDoneMs: Math.max(...api.map((entry) => entry.responseEnd)),
        sessionMs: api.find((entry) => new URL(entry.name).pathname === '/api/session')?.responseEnd ?? NaN,
        protocol: api.find((entry) => new URL(entry.name).pathname === '/api/session')?.nextHopProtocol ?? '',
        domNodes: document.getElementsByTagName('*').length,
        columns: document.querySelectorAll('[data-testid="stream-column"]').length,
        items: document.querySelectorAll('[data-testid="stream-item"]').length,
        timeline: [
          ...(performance.getEntriesByType('resource') as PerformanceResourceTiming[])
            .filter((entry) => !entry.name.includes('/image-proxy'))
            .map((entry) => {
              const url = new URL(entry.name);
              return { name: url.pathname.replace(/\/orgs\/[^/]+/, '/orgs/…') + url.search, startMs: entry.startTime, endMs: entry.responseEnd };
            }),
          ...performance.getEntriesByType('paint').map((entry) => ({ name: `(${entry.name})`, startMs: entry.startTime, endMs: entry.startTime })),
        ],
      };
    });
    if (cdp) {
      fs.mkdirSync(profileDir!, { recursive: true });
      fs.writeFileSync(path.join(profileDir!, `${chorus.name}-${mode}.cpuprofile`), JSON.stringify((await cdp.send('Profiler.stop')).profile));
    }
    return { readyMs: (await readyMs.jsonValue()) as number, ...measured, imageRequests };
  } finally {
    await context.close();
  }
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const load1 = () => os.loadavg()[0]!.toFixed(1);

async function main(): Promise<void> {
  const builds = args.build.map((spec) => {
    const [name, dir] = spec.includes('=') ? (spec.split('=', 2) as [string, string]) : [path.basename(spec), spec];
    return { name, root: path.resolve(dir) };
  });
  const modes = args.modes.split(',') as Mode[];
  const loads = Number(args.loads);
  const hosts = await startFeedHosts();
  const started: Chorus[] = [];
  let browser: Browser | null = null;
  const loadAtStart = load1();
  try {
    for (const build of builds) {
      const chorus = await startChorus(build.name, build.root, hosts.feedBase);
      started.push(chorus);
      if (args['behind-h2'].includes(build.name)) started.push(await startH2Proxy(chorus));
    }
    browser = await launchChromium();
    const results = new Map<string, Load[]>();
    // One warm-up load per build and mode (the server's first reads, the browser's first page), not counted.
    for (const chorus of started) for (const mode of modes) await loadBoard(browser, chorus, mode);
    for (let round = 0; round < loads; round++)
      for (const mode of modes)
        for (const chorus of started) {
          const key = `${chorus.name}\t${mode}`;
          results.set(key, [...(results.get(key) ?? []), await loadBoard(browser, chorus, mode)]);
        }
    const loadAtEnd = load1();
    const rows = [...results].map(([key, runs]) => {
      const [build, mode] = key.split('\t') as [string, Mode];
      const ready = runs.map((r) => r.readyMs);
      const apiDone = runs.map((r) => r.apiDoneMs);
      return {
        build,
        mode,
        loads: runs.length,
        readyMedianMs: Math.round(percentile(ready, 50)),
        readyP95Ms: Math.round(percentile(ready, 95)),
        apiDoneMedianMs: Math.round(percentile(apiDone, 50)),
        sessionMedianMs: Math.round(
          percentile(
            runs.map((r) => r.sessionMs),
            50,
          ),
        ),
        readyOverApiDone: Number((percentile(ready, 50) / percentile(apiDone, 50)).toFixed(2)),
        domNodes: Math.round(
          percentile(
            runs.map((r) => r.domNodes),
            50,
          ),
        ),
        itemsRendered: Math.round(
          percentile(
            runs.map((r) => r.items),
            50,
          ),
        ),
        imageRequests: Math.round(
          percentile(
            runs.map((r) => r.imageRequests),
            50,
          ),
        ),
        protocol: [...new Set(runs.map((r) => r.protocol))].join('/'),
      };
    });
    if (args.waterfall)
      for (const [key, runs] of results) {
        const last = runs.at(-1)!;
        console.log(`\n${key.replace('\t', ' ')}: last load, ready at ${Math.round(last.readyMs)} ms`);
        for (const entry of [...last.timeline].sort((a, b) => a.startMs - b.startMs))
          console.log(`${String(Math.round(entry.startMs)).padStart(6)} → ${String(Math.round(entry.endMs)).padStart(6)} ms  ${entry.name}`);
      }
    console.log(JSON.stringify({ bench: 'board-load', columns: FEEDS, loads, load1: { start: Number(loadAtStart), end: Number(loadAtEnd) }, rows }));
    console.log(`\nload average (1 min): ${loadAtStart} at start, ${loadAtEnd} at end`);
    console.log(
      'build      mode      protocol  ready p50   ready p95   API done p50   /api/session p50   ready ÷ API done   DOM nodes   items shown   image requests',
    );
    for (const row of rows)
      console.log(
        [
          row.build.padEnd(10),
          row.mode.padEnd(9),
          row.protocol.padEnd(9),
          `${row.readyMedianMs} ms`.padStart(9),
          `${row.readyP95Ms} ms`.padStart(11),
          `${row.apiDoneMedianMs} ms`.padStart(14),
          `${row.sessionMedianMs} ms`.padStart(18),
          String(row.readyOverApiDone).padStart(18),
          String(row.domNodes).padStart(11),
          String(row.itemsRendered).padStart(13),
          String(row.imageRequests).padStart(16),
        ].join(' '),
      );
  } finally {
    await browser?.close();
    // Proxies first: each shares its server process with the build it stands in front of.
    for (const chorus of [...started].reverse()) await stopChorus(chorus);
    await hosts.close();
  }
}

await main();
