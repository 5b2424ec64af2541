import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

const ROOT = path.resolve(import.meta.dirname, '../../..');
export const CLI = path.join(ROOT, 'dist/src/cli/main.js');

/**
 * Builds the server once per test file. tsc still emits when someone else's folder has a type
 * error, so only a missing entry point fails the build step.
 */
export function buildServerOnce(): void {
  // The build users run (tsc, then the bundle over dist/src/cli/), so the tests spawn what ships.
  const result = spawnSync('npm', ['run', 'build:server'], { cwd: ROOT, encoding: 'utf8' });
  if (!fs.existsSync(CLI)) throw new Error(`build failed:\n${result.stdout}\n${result.stderr}`);
}

export interface ChildServer {
  process: ChildProcess;
  baseUrl: string;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
}

/** Starts `chorus serve` on a free port and waits for its "running at" log line. */
export async function startChildServer(dataDir: string, env: Record<string, string> = {}): Promise<ChildServer> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dataDir], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', CHORUS_BACKUP_INTERVAL_MINUTES: '0', CHORUS_STATUS_PROBE_SECONDS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const lines = readline.createInterface({ input: child.stdout! });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      const match = /running at (http:\/\/\S+?)"/.exec(line);
      if (match) resolve(match[1]!.replace(/\/$/, ''));
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${stderr}`)));
  });
  return { process: child, baseUrl, exited };
}

export async function stopChildServer(server: ChildServer, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (server.process.exitCode === null && server.process.signalCode === null) server.process.kill(signal);
  await server.exited;
}

/** A caller over real HTTP with a bearer token. */
export function httpClient(baseUrl: string, token: string | null = null) {
  return async <T = any>(method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(baseUrl + url, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await response.text();
    return { status: response.status, body: (text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T };
  };
}

/** Creates the instance owner over HTTP and returns an API token for them. */
export async function setUpOwnerOverHttp(baseUrl: string): Promise<{ token: string; orgId: string; userId: string }> {
  const setup = await fetch(`${baseUrl}/api/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Olivia Owner', email: 'olivia@example.com', password: 'correct horse battery staple', orgName: 'Acme' }),
  });
  const body = (await setup.json()) as any;
  if (setup.status !== 201) throw new Error(`setup failed: ${setup.status} ${JSON.stringify(body)}`);
  const cookie = setup.headers.get('set-cookie')!.split(';')[0]!;
  const tokenResponse = await fetch(`${baseUrl}/api/me/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': body.csrfToken },
    body: JSON.stringify({ name: 'drill' }),
  });
  const token = ((await tokenResponse.json()) as any).token as string;
  return { token, orgId: body.orgs[0].id, userId: body.user.id };
}
