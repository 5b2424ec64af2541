/**
 * Several Chorus processes against one PostgreSQL, as a deployment runs them: `chorus serve
 * --no-worker` processes behind a load balancer and separate `chorus worker` processes. Used
 * by the multi-process integration test and by the zone-outage drill.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import pg from 'pg';
import { freePort } from '../support/free-port.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const CLI = path.join(ROOT, 'dist/src/cli/main.js');

export interface ChorusProcess {
  kind: 'serve' | 'worker';
  name: string;
  process: ChildProcess;
  /** Only for `serve`. */
  baseUrl: string;
  log: () => string;
  stop(): Promise<void>;
}

/**
 * Starts `chorus serve --no-worker` (on a free port) or `chorus worker` and waits until it is
 * ready: the "running at" line, or the worker's "publisher started" line.
 */
export async function startChorus(kind: 'serve' | 'worker', name: string, env: Record<string, string>): Promise<ChorusProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `chorus-${name}-`));
  const port = kind === 'serve' ? await freePort() : 0;
  const args = kind === 'serve' ? [CLI, 'serve', '--no-worker', '--port', String(port), '--data-dir', dataDir] : [CLI, 'worker', '--data-dir', dataDir];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', CHORUS_BACKUP_INTERVAL_MINUTES: '0', CHORUS_STATUS_PROBE_SECONDS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = readline.createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not ready after 60 s:\n${output}`)), 60_000);
    lines.on('line', (line) => {
      if (output.length < 2_000_000) output += line + '\n';
      if ((kind === 'serve' && /running at http/.test(line)) || (kind === 'worker' && /publisher started/.test(line))) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before it was ready:\n${output}`));
    });
  }).catch((error: unknown) => {
    // Never leave a half-started process behind.
    child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  return {
    kind,
    name,
    process: child,
    baseUrl: `http://127.0.0.1:${port}`,
    log: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** One HTTP call with a bearer token or a session cookie (+ CSRF token on writes). */
export async function api<T = any>(
  baseUrl: string,
  method: string,
  url: string,
  options: { token?: string; cookie?: string; csrf?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.cookie = options.cookie;
  if (options.csrf) headers['x-csrf-token'] = options.csrf;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(baseUrl + url, {
    method,
    headers,
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T,
  };
}

export const OWNER = { name: 'Olivia Owner', email: 'olivia@example.com', password: 'correct horse battery staple', orgName: 'Acme' };

/** Creates the instance owner; returns the session cookie, CSRF token, org and an API token. */
export async function setUpOwner(baseUrl: string): Promise<{ cookie: string; csrf: string; orgId: string; userId: string; token: string }> {
  const response = await fetch(`${baseUrl}/api/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(OWNER) });
  const body = (await response.json()) as any;
  if (response.status !== 201) throw new Error(`setup failed: ${response.status} ${JSON.stringify(body)}`);
  const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
  const token = await api(baseUrl, 'POST', '/api/me/tokens', { cookie, csrf: body.csrfToken, body: { name: 'drill' } });
  if (token.status !== 201) throw new Error(`token failed: ${token.status} ${JSON.stringify(token.body)}`);
  return { cookie, csrf: body.csrfToken, orgId: body.orgs[0].id, userId: body.user.id, token: token.body.token };
}

/** Records of `app.bsky.feed.post` in an account's repo, read from the PDS itself. */
export async function postsOnPds(pdsUrl: string, did: string): Promise<{ uri: string; value: { text: string } }[]> {
  const records: { uri: string; value: { text: string } }[] = [];
  let cursor: string | undefined;
  do {
    const url = `${pdsUrl}/xrpc/com.atproto.repo.listRecords?repo=${encodeURIComponent(did)}&collection=app.bsky.feed.post&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await fetch(url);
    if (response.status !== 200) throw new Error(`listRecords ${response.status}: ${await response.text()}`);
    const page = (await response.json()) as { records: { uri: string; value: { text: string } }[]; cursor?: string };
    records.push(...page.records);
    cursor = page.records.length ? page.cursor : undefined;
  } while (cursor);
  return records;
}

/** A fresh schema on `baseUrl`'s server and a DATABASE_URL that lives in it. */
export async function freshSchema(baseUrl: string, schema: string): Promise<{ url: string; drop(): Promise<void> }> {
  await adminQuery(baseUrl, `create schema ${schema}`);
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), drop: () => adminQuery(baseUrl, `drop schema if exists ${schema} cascade`) };
}

export async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
