/**
 * Column read: the 50 newest items of one column holding 1 000 000 items, served by the real
 * Fastify route (session cookie, org scope, column check, items query), against a Fastify
 * hello-world route and the same bytes prebuilt, in the same process and run. Load comes from a child
 * process with keep-alive connections; server time per request is Fastify's own elapsedTime, CPU
 * per request this process's. More ceilings run inside Chorus's own server: the same bytes and a
 * hello world sent to a signed-in caller (every global hook: security headers, cookies, session,
 * metrics), and the cheapest org route (the org door, its permission check and one small query).
 * See bench/README.md.
 */
// The schema's tables, as the assembly declares them (a bench compiled alone does not see them otherwise).
import type {} from '../src/app/database.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { Session } from 'node:inspector/promises';
import Fastify from 'fastify';
import SQLite from 'better-sqlite3';
import { buildServer } from '../src/app/server.js';
import { newId, newTimeOrderedId } from '../src/lib/ids.js';
import { migrateToLatest } from '../src/app/migrations.js';
import { SQLITE_PRAGMAS, openSqliteStore } from '../src/store/sqlite.js';
import { toStoredItem } from '../src/streams/normalize.js';
import { benchItems, median } from './ingest-fixtures.js';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-bench-read-'));
const file = path.join(dir, 'chorus.db');

const store = openSqliteStore(file);
await migrateToLatest(store);
const app = await buildServer({ store, webRoot: null });
// Filled in once the page is built; the route is registered now, before the server is ready.
let signedInPage = '';
app.get('/api/bench/same-bytes', (_request, reply) => reply.type('application/json; charset=utf-8').send(signedInPage));
app.get('/api/bench/hello', async () => ({ hello: 'world' }));
const itemsTimes: number[] = [];
app.addHook('onResponse', async (request, reply) => {
  if (request.url.includes('/items')) itemsTimes.push(reply.elapsedTime);
});
const setup = await app.inject({
  method: 'POST',
  url: '/api/setup',
  payload: { name: 'Bench Owner', email: 'bench@example.com', password: 'correct horse battery staple', orgName: 'Bench' },
});
const cookie = String(setup.headers['set-cookie']).split(';')[0]!;
const { orgs } = setup.json() as { orgs: { id: string }[] };
const orgId = orgs[0]!.id;
const board = await app.inject({
  method: 'POST',
  url: `/api/orgs/${orgId}/boards`,
  headers: { cookie, 'x-csrf-token': setup.json().csrfToken },
  payload: { name: 'Bench' },
});
const boardId = board.json().board.id as string;
const columnId = newId();
await store.db
  .insertInto('stream_columns')
  .values({
    id: columnId,
    org_id: orgId,
    board_id: boardId,
    title: 'Home',
    channel_account_id: null,
    kind: 'home',
    target: null,
    width: 'normal',
    position: 0,
    filters: '{}',
    created_at: new Date().toISOString(),
  })
  .execute();

// Filling 1M items through the ingest path would take many minutes: 1 000 items are normalized once
// and copied with their own id, remote id and time, in big transactions, without fsync and without
// the search index (a column read does not touch it; its trigger is put back after the fill).
const fillStarted = performance.now();
const raw = new SQLite(file);
for (const pragma of SQLITE_PRAGMAS) raw.pragma(pragma);
raw.pragma('synchronous = OFF');
const searchTrigger = raw.prepare("select sql from sqlite_master where type = 'trigger' and name = 'stream_items_fts_insert'").pluck().get() as string;
raw.exec('drop trigger stream_items_fts_insert');
const fetchedAt = new Date().toISOString();
const templates = benchItems(1000).map((item) => ({ ...toStoredItem(item, fetchedAt), org_id: orgId, channel_account_id: null, fetched_at: fetchedAt }));
const columns = [...Object.keys(templates[0]!), 'id'];
const insertItem = raw.prepare(`insert into stream_items (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`);
const insertMembership = raw.prepare('insert into column_items (org_id, column_id, item_id, created_at, read, done) values (?, ?, ?, ?, 0, 0)');
const firstItemAt = Date.UTC(2026, 0, 1);
const fill = raw.transaction((offset: number, count: number) => {
  for (let i = offset; i < offset + count; i++) {
    const template = templates[i % templates.length]!;
    const createdAt = new Date(firstItemAt + i * 1000).toISOString();
    const row = {
      ...template,
      id: newTimeOrderedId(firstItemAt + i * 1000),
      remote_id: `${template.remote_id}/${i}`,
      created_at: createdAt,
      view: template.view.replace(template.created_at, createdAt),
    };
    insertItem.run(row);
    insertMembership.run(orgId, columnId, row.id, row.created_at);
  }
});
for (let offset = 0; offset < ITEMS; offset += 20_000) fill(offset, Math.min(20_000, ITEMS - offset));
raw.exec(searchTrigger);
raw.close();
const fillSeconds = (performance.now() - fillStarted) / 1000;

const itemsUrl = `/api/orgs/${orgId}/columns/${columnId}/items?limit=${process.env.BENCH_LIMIT ?? 50}`;
const check = await app.inject({ method: 'GET', url: itemsUrl, headers: { cookie } });
if (check.statusCode !== 200 || check.json().items.length === 0) throw new Error(`items route answered ${check.statusCode}: ${check.body.slice(0, 200)}`);
const chorusAddress = await app.listen({ port: 0, host: '127.0.0.1' });

const hello = Fastify({ logger: false });
hello.get('/hello', async () => ({ hello: 'world' }));
// The ceiling for any implementation of the items route: the same response bytes, built in advance.
const pageBytes = check.body;
signedInPage = pageBytes;
const orgFloorUrl = `/api/orgs/${orgId}/stream-settings`;
for (const url of ['/api/bench/same-bytes', '/api/bench/hello', orgFloorUrl]) {
  const probe = await app.inject({ method: 'GET', url, headers: { cookie } });
  if (probe.statusCode !== 200) throw new Error(`${url} answered ${probe.statusCode}: ${probe.body.slice(0, 200)}`);
}
hello.get('/same-bytes', (_request, reply) => reply.type('application/json; charset=utf-8').send(pageBytes));
const helloAddress = await hello.listen({ port: 0, host: '127.0.0.1' });

/**
 * Requests a keep-alive client pool gets from `url` in `SECONDS`. The pool runs in a child
 * process, so this process's CPU time (process.cpuUsage) is the servers' alone.
 */
function load(url: string, headers: Record<string, string>): Promise<{ requests: number; errors: number }> {
  const source = `
    const http = require('node:http');
    const job = JSON.parse(process.env.BENCH_LOAD);
    const agent = new http.Agent({ keepAlive: true, maxSockets: job.connections });
    const until = Date.now() + job.seconds * 1000;
    let requests = 0, errors = 0, open = job.connections;
    const once = () => {
      if (Date.now() >= until) { if (--open === 0) { process.stdout.write(JSON.stringify({ requests, errors })); agent.destroy(); } return; }
      http.get(job.url, { agent, headers: job.headers }, (res) => {
        res.resume();
        res.on('end', () => { if (res.statusCode === 200) requests++; else errors++; once(); });
      }).on('error', () => { errors++; once(); });
    };
    for (let i = 0; i < job.connections; i++) once();`;
  return new Promise((resolve, reject) => {
    const job = JSON.stringify({ url, headers, seconds: SECONDS, connections: CONNECTIONS });
    execFile(process.execPath, ['-e', source], { env: { ...process.env, BENCH_LOAD: job } }, (error, stdout) => {
      if (error) reject(error);
      else resolve(JSON.parse(stdout) as { requests: number; errors: number });
    });
  });
}

/**
 * A worker process writing `perSecond` small changes to the store (a metrics update on the
 * column's oldest item, outside the page) for `SECONDS`: every write anywhere drops the kept
 * column pages (src/streams/page-cache.ts), so this measures the column read an org gets while
 * its store is being written to, e.g. by ingest.
 */
function writer(perSecond: number): Promise<{ writes: number }> {
  const source = `
    const SQLite = require(process.env.BENCH_DRIVER);
    const job = JSON.parse(process.env.BENCH_WRITER);
    const db = new SQLite(job.file);
    for (const pragma of job.pragmas) db.pragma(pragma);
    const update = db.prepare('update stream_items set metrics = ? where id = ?');
    const until = Date.now() + job.seconds * 1000;
    let writes = 0;
    const timer = setInterval(() => {
      if (Date.now() >= until) { clearInterval(timer); db.close(); process.stdout.write(JSON.stringify({ writes })); return; }
      update.run(JSON.stringify({ likes: writes }), job.itemId);
      writes++;
    }, 1000 / job.perSecond);`;
  return new Promise((resolve, reject) => {
    const job = JSON.stringify({ file, pragmas: SQLITE_PRAGMAS, seconds: SECONDS, perSecond, itemId: oldestItemId });
    execFile(process.execPath, ['-e', source], { env: { ...process.env, BENCH_WRITER: job, BENCH_DRIVER: driver } }, (error, stdout) => {
      if (error) reject(error);
      else resolve(JSON.parse(stdout) as { writes: number });
    });
  });
}
const driver = createRequire(import.meta.url).resolve('better-sqlite3');
const oldestItemId = (await store.db.selectFrom('stream_items').select('id').orderBy('created_at').limit(1).executeTakeFirstOrThrow()).id;
const WRITE_RATES = (process.env.BENCH_WRITE_RATES ?? '10,100,1000').split(',').map(Number);

/** BENCH_PROFILE=<file.cpuprofile>: a CPU profile of the server during the column-read runs only. */
const profileFile = process.env.BENCH_PROFILE;
const profiler = profileFile ? new Session() : null;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
}

/**
 * The servers' CPU milliseconds (user + system) per answered request. Requests per second
 * follow whatever else the two CPUs are doing; CPU time per request moves far less, so the
 * ratio of the two routes' CPU per request is the steadiest number here.
 */
async function cpuPerRequest(run: () => Promise<{ requests: number; errors: number }>) {
  const before = process.cpuUsage();
  const result = await run();
  const used = process.cpuUsage(before);
  return { ...result, cpuMs: (used.user + used.system) / 1000 / Math.max(1, result.requests) };
}

const loadAtStart = os.loadavg()[0]!;
const helloRates: number[] = [];
const sameBytesRates: number[] = [];
const sameBytesCpu: number[] = [];
const chorusCpu: number[] = [];
const chorusRates: number[] = [];
const signedInRates: number[] = [];
const signedInCpu: number[] = [];
const signedInHelloCpu: number[] = [];
const orgFloorRates: number[] = [];
const orgFloorCpu: number[] = [];
const p99s: number[] = [];
interface WithWrites {
  writesPerSecond: number;
  rates: number[];
  cpuMs: number[];
  written: number[];
}
const withWrites: WithWrites[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const h = await load(`${helloAddress}/hello`, {});
  helloRates.push(h.requests / SECONDS);
  const s = await cpuPerRequest(() => load(`${helloAddress}/same-bytes`, {}));
  sameBytesRates.push(s.requests / SECONDS);
  sameBytesCpu.push(s.cpuMs);
  const signedIn = await cpuPerRequest(() => load(`${chorusAddress}/api/bench/same-bytes`, { cookie }));
  signedInRates.push(signedIn.requests / SECONDS);
  signedInCpu.push(signedIn.cpuMs);
  const signedInHello = await cpuPerRequest(() => load(`${chorusAddress}/api/bench/hello`, { cookie }));
  signedInHelloCpu.push(signedInHello.cpuMs);
  const orgFloor = await cpuPerRequest(() => load(`${chorusAddress}${orgFloorUrl}`, { cookie }));
  orgFloorRates.push(orgFloor.requests / SECONDS);
  orgFloorCpu.push(orgFloor.cpuMs);
  const ceilingErrors = signedIn.errors + signedInHello.errors + orgFloor.errors;
  if (ceilingErrors > 0) throw new Error(`${ceilingErrors} failed ceiling requests`);
  itemsTimes.length = 0;
  if (profiler) await profiler.post('Profiler.start');
  const c = await cpuPerRequest(() => load(`${chorusAddress}${itemsUrl}`, { cookie }));
  chorusCpu.push(c.cpuMs);
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    fs.writeFileSync(`${profileFile!.replace(/\.cpuprofile$/, '')}-${round}.cpuprofile`, JSON.stringify(profile));
  }
  if (c.errors > 0) throw new Error(`${c.errors} failed item requests`);
  chorusRates.push(c.requests / SECONDS);
  const sorted = [...itemsTimes].sort((a, b) => a - b);
  p99s.push(sorted[Math.floor(sorted.length * 0.99)]!);
  for (const [i, perSecond] of WRITE_RATES.entries()) {
    const [written, read] = await Promise.all([writer(perSecond), cpuPerRequest(() => load(`${chorusAddress}${itemsUrl}`, { cookie }))]);
    if (read.errors > 0) throw new Error(`${read.errors} failed item requests while writing`);
    ((withWrites[i] ??= { writesPerSecond: perSecond, rates: [], cpuMs: [], written: [] }) as WithWrites).rates.push(read.requests / SECONDS);
    withWrites[i]!.cpuMs.push(read.cpuMs);
    withWrites[i]!.written.push(written.writes);
  }
}
const medianTimes = median(itemsTimes);
await app.close();
await hello.close();
await store.close();
// BENCH_KEEP_DB=1 keeps the filled database (its path goes to stderr), e.g. for EXPLAIN QUERY PLAN.
if (process.env.BENCH_KEEP_DB) console.error(`kept ${file}`);
else fs.rmSync(dir, { recursive: true, force: true });
console.log(
  JSON.stringify(
    {
      items: ITEMS,
      fillSeconds: Number(fillSeconds.toFixed(1)),
      secondsPerRun: SECONDS,
      connections: CONNECTIONS,
      rounds: ROUNDS,
      helloRequestsPerSecond: Math.round(median(helloRates)),
      columnReadRequestsPerSecond: Math.round(median(chorusRates)),
      ratio: Number((median(chorusRates) / median(helloRates)).toFixed(3)),
      pageBytes: Buffer.byteLength(pageBytes),
      sameBytesRequestsPerSecond: Math.round(median(sameBytesRates)),
      sameBytesRatio: Number((median(sameBytesRates) / median(helloRates)).toFixed(3)),
      target: 0.4,
      columnReadServerMsP99: Number(median(p99s).toFixed(2)),
      columnReadServerMsMedianLastRound: Number(medianTimes.toFixed(2)),
      columnReadToSameBytes: Number((median(chorusRates) / median(sameBytesRates)).toFixed(3)),
      sameBytesCpuMsPerRequest: Number(median(sameBytesCpu).toFixed(3)),
      columnReadCpuMsPerRequest: Number(median(chorusCpu).toFixed(3)),
      columnReadToSameBytesCpu: Number((median(sameBytesCpu) / median(chorusCpu)).toFixed(3)),
      signedInSameBytesRequestsPerSecond: Math.round(median(signedInRates)),
      signedInSameBytesCpuMsPerRequest: Number(median(signedInCpu).toFixed(3)),
      signedInHelloCpuMsPerRequest: Number(median(signedInHelloCpu).toFixed(3)),
      orgFloorRequestsPerSecond: Math.round(median(orgFloorRates)),
      orgFloorCpuMsPerRequest: Number(median(orgFloorCpu).toFixed(3)),
      columnReadToSignedInSameBytes: Number((median(chorusRates) / median(signedInRates)).toFixed(3)),
      loadAverageAtStartAndEnd: [Number(loadAtStart.toFixed(1)), Number(os.loadavg()[0]!.toFixed(1))],
      each: {
        hello: helloRates.map(Math.round),
        sameBytes: sameBytesRates.map(Math.round),
        columnRead: chorusRates.map(Math.round),
        p99: p99s.map((v) => Number(v.toFixed(2))),
        sameBytesCpuMs: sameBytesCpu.map((v) => Number(v.toFixed(3))),
        columnReadCpuMs: chorusCpu.map((v) => Number(v.toFixed(3))),
        signedInSameBytes: signedInRates.map(Math.round),
        signedInSameBytesCpuMs: signedInCpu.map((v) => Number(v.toFixed(3))),
        signedInHelloCpuMs: signedInHelloCpu.map((v) => Number(v.toFixed(3))),
        orgFloor: orgFloorRates.map(Math.round),
        orgFloorCpuMs: orgFloorCpu.map((v) => Number(v.toFixed(3))),
      },
      // The column read while a worker process writes to the store (each write drops the kept pages).
      columnReadWithWrites: withWrites.map((w) => ({
        writesPerSecond: w.writesPerSecond,
        writesDone: Math.round(median(w.written)),
        requestsPerSecond: Math.round(median(w.rates)),
        cpuMsPerRequest: Number(median(w.cpuMs).toFixed(3)),
        toSameBytes: Number((median(w.rates) / median(sameBytesRates)).toFixed(3)),
      })),
    },
    null,
    2,
  ),
);
