/**
 * A real local Bluesky network from the official @atproto/dev-env: PLC, PDS and, unless asked
 * otherwise, the bsky AppView on a fresh PostgreSQL schema. Usable from a test file or from a
 * separate worker process (the crash drills): call startBlueskyNetwork() and keep the URLs.
 * Recipe and pitfalls: ../shared/notes/bluesky-local-network.md.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createHmac, randomBytes } from 'node:crypto';
import pg from 'pg';
import { testPostgresUrl } from './postgres-url.js';

export interface BlueskyTestNetwork {
  pdsUrl: string;
  plcUrl: string;
  /** Null when started without the AppView (PLC + PDS only). */
  appviewUrl: string | null;
  /** Waits until the AppView has indexed every write so far; call it after writes, before AppView reads. */
  processAll(): Promise<void>;
  /** Creates an account (handles end in `.test`) and returns what a user would paste into Chorus. */
  createAccount(name: string): Promise<TestAccount>;
  /** Stops the servers, drops the PostgreSQL schemas and removes the data folder. */
  close(): Promise<void>;
  /** Milliseconds from the call to a network ready for requests. */
  startedInMs: number;
}

export interface TestAccount {
  did: string;
  handle: string;
  password: string;
}

export interface BlueskyNetworkOptions {
  /** Without the AppView, timelines, notifications, profiles and search answer 502. */
  appView?: boolean;
}

export async function startBlueskyNetwork(options: BlueskyNetworkOptions = {}): Promise<BlueskyTestNetwork> {
  const started = performance.now();
  const withAppView = options.appView !== false;
  bindServersToLoopback();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-bluesky-'));
  const previousTmpdir = process.env.TMPDIR;
  // The PDS keeps its SQLite files and blobs under os.tmpdir() and never deletes them.
  process.env.TMPDIR = dataDir;
  process.env.REDIS_HOST ??= '127.0.0.1';
  const schema = `chorus_bsky_${randomLetters(10)}`;
  const postgresUrl = testPostgresUrl();
  const { TestNetwork, TestNetworkNoAppView } = await import('@atproto/dev-env');
  const restore = () => {
    if (previousTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmpdir;
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    if (withAppView) {
      if (!postgresUrl) throw new Error('the Bluesky AppView needs PostgreSQL (CHORUS_TEST_PG_URL is off)');
      const network = await TestNetwork.create({ dbPostgresUrl: postgresUrl, dbPostgresSchema: schema });
      return {
        pdsUrl: network.pds.url,
        plcUrl: network.plc.url,
        appviewUrl: network.bsky.url,
        processAll: () => network.processAll(),
        createAccount: (name) => createAccount(network.pds.url, name),
        startedInMs: performance.now() - started,
        async close() {
          // The same order as TestNetwork.close(), one bounded step per service (see closeStep).
          await closeStep('ozone', () => network.ozone.close());
          await closeAppView(network.bsky);
          await closeStep('pds', () => network.pds.close());
          await closeStep('plc', () => network.plc.close());
          if (network.introspect) await closeStep('introspect', () => network.introspect!.close());
          await closeStep('drop schemas', () => dropSchemas(postgresUrl, [`appview_${schema}`, `ozone_${schema}`]));
          restore();
        },
      };
    }
    const network = await TestNetworkNoAppView.create({});
    return {
      pdsUrl: network.pds.url,
      plcUrl: network.plc.url,
      appviewUrl: null,
      processAll: () => network.processAll(),
      createAccount: (name) => createAccount(network.pds.url, name),
      startedInMs: performance.now() - started,
      async close() {
        await closeStep('pds', () => network.pds.close());
        await closeStep('plc', () => network.plc.close());
        restore();
      },
    };
  } catch (error) {
    if (withAppView && postgresUrl) await dropSchemas(postgresUrl, [`appview_${schema}`, `ozone_${schema}`]).catch(() => {});
    restore();
    throw error;
  }
}

async function createAccount(pdsUrl: string, name: string): Promise<TestAccount> {
  const { AtpAgent } = await import('@atproto/api');
  const agent = new AtpAgent({ service: pdsUrl });
  const handle = `${name}.test`;
  const password = `pw-${randomLetters(12)}`;
  const created = await agent.createAccount({ email: `${name}@example.com`, handle, password });
  return { did: created.data.did, handle, password };
}

/**
 * The same access token, re-signed as already expired, so a test can drive the SDK's real
 * refresh path. The dev PDS signs with the fixed dev-env secret `jwt-secret`.
 */
export function expiredAccessToken(accessJwt: string): string {
  const [header, payload] = accessJwt.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
  const now = Math.floor(Date.now() / 1000);
  const expired = Buffer.from(JSON.stringify({ ...claims, iat: now - 7200, exp: now - 3600 })).toString('base64url');
  const signature = createHmac('sha256', 'jwt-secret').update(`${header}.${expired}`).digest('base64url');
  return `${header}.${expired}.${signature}`;
}

let loopbackInstalled = false;

/** The dev-env servers call listen(port) on all interfaces; tests keep them on 127.0.0.1. */
function bindServersToLoopback(): void {
  if (loopbackInstalled) return;
  loopbackInstalled = true;
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
    if (typeof args[0] === 'number' && (args.length === 1 || typeof args[1] === 'function')) args.splice(1, 0, '127.0.0.1');
    return (listen as (...a: unknown[]) => net.Server).apply(this, args);
  } as typeof listen;
}

/** The parts of dev-env's TestBsky that its close() stops, in the same order. */
interface AppViewParts {
  server: { destroy(): Promise<unknown> };
  bsync: { destroy(): Promise<unknown> };
  dataplane: { destroy(): Promise<unknown> };
  sub: { destroy(): Promise<unknown> };
  db: { close(): Promise<unknown> };
}

/**
 * TestBsky.close(), one step at a time, because one step can hang: the AppView's firehose
 * subscription to the PDS (@atproto/sync 0.1.40, the newest that runs on Node 20). Its destroy()
 * aborts the socket and waits for the read loop to see an AbortError; when the socket instead ends
 * cleanly first, the loop returns and the wait never ends. That hung a CI teardown twice and
 * hangs about one run in four of test/integration/multi-process.test.ts here. Nothing is left
 * reading by then, so the step gets a short bound and the database pool still closes after it.
 */
async function closeAppView(appView: unknown): Promise<void> {
  const parts = appView as AppViewParts;
  await closeStep('appview http server', () => parts.server.destroy());
  await closeStep('appview bsync', () => parts.bsync.destroy());
  await closeStep('appview dataplane', () => parts.dataplane.destroy());
  await closeStep('appview firehose subscription', () => parts.sub.destroy(), 5_000);
  await closeStep('appview database', () => parts.db.close());
}

const CLOSE_STEP_LIMIT_MS = 15_000;

/**
 * A hang while closing, after every assertion ran, must not fail the suite: each step gets its own
 * bound, a slow or hung one is named on stderr and left to the process exit, and the rest still
 * close.
 */
async function closeStep(name: string, work: () => Promise<unknown>, limitMs = CLOSE_STEP_LIMIT_MS): Promise<void> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    work().then(
      () => 'closed',
      (error: unknown) => `failed: ${error instanceof Error ? error.message : String(error)}`,
    ),
    new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`still closing after ${limitMs} ms, left behind`), limitMs))),
  ]);
  clearTimeout(timer);
  const elapsedMs = Math.round(performance.now() - started);
  if (outcome !== 'closed' || elapsedMs > limitMs / 3) console.error(`bluesky test network: ${name}: ${outcome} (${elapsedMs} ms)`);
}

async function dropSchemas(url: string, schemas: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // A service left behind may still hold locks; fail rather than wait for it forever.
    await client.query(`set lock_timeout = '10s'`);
    for (const schema of schemas) await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}

/** Schema names may only hold letters and `_` (the AppView's migrations quote nothing). */
function randomLetters(count: number): string {
  return Array.from(randomBytes(count), (byte) => String.fromCharCode(97 + (byte % 26))).join('');
}
