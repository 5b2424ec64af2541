/**
 * Driving the publisher as separate `chorus worker` processes against one store: start, SIGKILL,
 * wait for the queue to drain, and read what the PDS really holds. Used by the publish crash
 * drills; the benchmark (bench/publish-throughput.ts) has its own lighter copy of the spawning.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLI } from '../../ops/support/child-server.js';

export interface WorkerProcess {
  name: string;
  process: ChildProcess;
  /** Resolves when the process has exited (killed or stopped). */
  exited: Promise<void>;
  /** Everything it printed, for the failure message of a drill. */
  output(): string;
}

/** Starts `chorus worker` on the same data dir / store as the server. */
export function startWorker(name: string, dataDir: string, env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, [CLI, 'worker', '--data-dir', dataDir], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { name, process: child, exited, output: () => output };
}

export async function killWorker(worker: WorkerProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (worker.process.exitCode === null && worker.process.signalCode === null) worker.process.kill(signal);
  await worker.exited;
}

export interface PdsRecord {
  uri: string;
  cid: string;
  value: { text: string; createdAt: string };
}

/** Every app.bsky.feed.post record in one repository, read from the PDS itself (all pages). */
export async function postsOnPds(pdsUrl: string, did: string): Promise<PdsRecord[]> {
  const records: PdsRecord[] = [];
  let cursor: string | undefined;
  for (;;) {
    const url = new URL('/xrpc/com.atproto.repo.listRecords', pdsUrl);
    url.searchParams.set('repo', did);
    url.searchParams.set('collection', 'app.bsky.feed.post');
    url.searchParams.set('limit', '100');
    if (cursor) url.searchParams.set('cursor', cursor);
    const response = await fetch(url);
    if (response.status !== 200) throw new Error(`listRecords ${did}: ${response.status} ${await response.text()}`);
    const page = (await response.json()) as { records: PdsRecord[]; cursor?: string };
    records.push(...page.records);
    if (!page.cursor || page.records.length === 0) return records;
    cursor = page.cursor;
  }
}

/** Polls `check` until it returns a value, or throws after `timeoutMs` with `describe()`. */
export async function waitFor<T>(check: () => Promise<T | null>, timeoutMs: number, describe: () => Promise<string> | string, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${await describe()}`);
    await sleep(everyMs);
  }
}

export interface DrillReport {
  store: string;
  posts: number;
  targets: number;
  accounts: number;
  kills: number;
  maxWorkersAtOnce: number;
  recordsOnPds: number;
  published: number;
  failed: number;
  duplicates: number;
  missing: number;
  mismatches: number;
  /** Targets claimed more than once: taken over after a kill (or an expired lease). */
  reclaimed: number;
  /** From the last due time to an empty queue (informational; no assertion on time). */
  drainedAfterLastDueMs: number;
}

export function formatReport(report: DrillReport): string {
  const rows = Object.entries(report).map(([key, value]) => `  ${key.padEnd(16)} ${value}`);
  return ['publish crash drill', ...rows].join('\n');
}
