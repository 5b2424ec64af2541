import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStoreUnavailable } from '../../src/store/outage.js';
import { buildServerOnce, httpClient, setUpOwnerOverHttp, startChildServer, stopChildServer, type ChildServer } from '../ops/support/child-server.js';
import { freePort } from '../support/free-port.js';

/**
 * Connection loss is normal: a `chorus serve` process against its own throwaway PostgreSQL
 * (initdb + pg_ctl as a non-root user on a free port). Stopping PostgreSQL under traffic turns
 * requests into quick 503 store_unavailable answers with Retry-After; starting it again brings
 * the same server process back without a restart.
 */

const PG_BIN = process.env.CHORUS_PG_BIN ?? '/usr/lib/postgresql/15/bin';
// PostgreSQL refuses to run as root; CI runs as root, so the cluster belongs to `postgres`.
const RUN_AS = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];

function runPg(command: string, args: string[]): string {
  const [bin, ...rest] = [...RUN_AS, path.join(PG_BIN, command), ...args];
  const result = spawnSync(bin!, rest, { encoding: 'utf8', cwd: os.tmpdir() });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

class ThrowawayPostgres {
  readonly dataDir: string;
  constructor(
    readonly root: string,
    readonly port: number,
  ) {
    this.dataDir = path.join(root, 'pgdata');
  }
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }
  init(): void {
    if (RUN_AS.length) spawnSync('chown', ['-R', 'postgres:postgres', this.root]);
    runPg('initdb', ['-D', this.dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  }
  start(): void {
    runPg('pg_ctl', [
      '-D',
      this.dataDir,
      '-l',
      path.join(this.root, 'postgres.log'),
      '-w',
      '-o',
      `-p ${this.port} -k ${this.root} -c listen_addresses=127.0.0.1 -c fsync=off`,
      'start',
    ]);
  }
  /** `immediate`: the server drops every connection at once, like a crash. */
  stop(mode: 'fast' | 'immediate' = 'immediate'): void {
    runPg('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', 'stop']);
  }
}

describe('store outage classification', () => {
  it('recognizes connection loss, shutdown and failover errors, and nothing else', () => {
    for (const outage of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5999'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('could not receive data'), { code: '08006' }),
      Object.assign(new Error('cannot execute INSERT in a read-only transaction'), { code: '25006' }),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) }),
    ]) {
      expect(isStoreUnavailable(outage), outage.message).toBe(true);
    }
    for (const bug of [
      Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }),
      Object.assign(new Error('syntax error at or near'), { code: '42601' }),
      new Error('Cannot read properties of undefined'),
      null,
      'a string',
    ]) {
      expect(isStoreUnavailable(bug), String(bug)).toBe(false);
    }
  });
});

describe('a server survives its PostgreSQL going away and coming back', () => {
  let root: string;
  let postgres: ThrowawayPostgres;
  let server: ChildServer | undefined;
  let dataDir: string;

  beforeAll(async () => {
    buildServerOnce();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-outage-pg-'));
    fs.chmodSync(root, 0o755);
    postgres = new ThrowawayPostgres(root, await freePort());
    postgres.init();
    postgres.start();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-outage-data-'));
  });

  afterAll(async () => {
    if (server) await stopChildServer(server);
    try {
      postgres?.stop('immediate');
    } catch {
      // Already stopped by a failing test.
    }
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 store_unavailable with Retry-After quickly while PostgreSQL is down, then serves again without a restart', { timeout: 90_000 }, async () => {
    server = await startChildServer(dataDir, { DATABASE_URL: postgres.url, CHORUS_SECRET_KEY: 'outage-test-secret-key-0123456789' });
    const owner = await setUpOwnerOverHttp(server.baseUrl);
    const call = httpClient(server.baseUrl, owner.token);
    const pid = server.process.pid;

    // Steady traffic, then the store stops under it (every connection dropped at once).
    let stop = false;
    const during: { status: number; ms: number; retryAfter: string | null; code: string | undefined }[] = [];
    let sequence = 0;
    const lane = async () => {
      while (!stop) {
        const n = sequence++;
        const started = performance.now();
        try {
          const response = await fetch(`${server!.baseUrl}/api/orgs`, {
            method: 'POST',
            headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ name: `org-${n}` }),
          });
          const body = (await response.json()) as { error?: { code: string } };
          during.push({ status: response.status, ms: performance.now() - started, retryAfter: response.headers.get('retry-after'), code: body.error?.code });
        } catch (error) {
          during.push({ status: 0, ms: performance.now() - started, retryAfter: null, code: (error as Error).message });
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const traffic = Promise.all([lane(), lane(), lane(), lane()]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const beforeStop = during.length;
    postgres.stop('immediate');
    await new Promise((resolve) => setTimeout(resolve, 4000));
    stop = true;
    await traffic;

    const ok = during.slice(0, beforeStop).filter((r) => r.status === 201).length;
    expect(ok).toBeGreaterThan(0);
    // Every request during the outage got an answer (a hang would time the test out); how fast is bench/ territory, logged below.
    const failures = during.slice(beforeStop).filter((r) => r.status !== 201);
    expect(failures.length).toBeGreaterThanOrEqual(8);
    for (const failure of failures) {
      expect(failure.status, JSON.stringify(failure)).toBe(503);
      expect(failure.code).toBe('store_unavailable');
      expect(Number(failure.retryAfter)).toBeGreaterThan(0);
    }
    const readiness = await fetch(`${server.baseUrl}/readyz`);
    expect(readiness.status).toBe(503);
    const reads = await call('GET', '/api/orgs');
    expect(reads.status).toBe(503);

    // PostgreSQL comes back: the same process serves again (the pool reconnects by itself).
    postgres.start();
    const restartedAt = performance.now();
    let recovered: { status: number } = { status: 0 };
    while (performance.now() - restartedAt < 15_000) {
      recovered = await call('POST', '/api/orgs', { name: 'after-restart' });
      if (recovered.status === 201) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(recovered.status).toBe(201);
    expect(server.process.pid).toBe(pid);
    expect(server.process.exitCode).toBeNull();
    const orgs = await call('GET', '/api/orgs');
    expect(orgs.status).toBe(200);
    expect((orgs.body.orgs as { name: string }[]).some((o) => o.name === 'after-restart')).toBe(true);
    console.log(
      `outage: ${failures.length} requests answered 503 (slowest ${Math.round(Math.max(...failures.map((f) => f.ms)))} ms); writes again ${Math.round(performance.now() - restartedAt)} ms after PostgreSQL restarted`,
    );
  });
});
