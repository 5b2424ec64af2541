import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, ROOT } from './build.js';
import { freePort } from '../../support/free-port.js';

/** A built `chorus serve` in a child process, on a free loopback port, with a data dir of its own. */
export interface ChorusServer {
  readonly baseUrl: string;
  readonly dataDir: string;
  /** What the server has written to stdout and stderr so far, for failure messages. */
  log(): string;
  /** SIGTERM (SIGKILL after 5 s), then the data dir is removed. */
  stop(): Promise<void>;
}

export interface ChorusServerOptions {
  /** Names the temp data dir: chorus-e2e-<name>-… */
  name: string;
  /** On top of this process's environment and LOG_LEVEL=warn. */
  env?: Record<string, string>;
  /**
   * CHORUS_PUBLIC_URL = the server's own loopback address, so a network's stand-in can fetch the
   * images Chorus serves (`/m/<key>`) as Instagram, Threads and LINE do. Being http, it is taken
   * only with CHORUS_ALLOW_PRIVATE_NETWORK=true in `env` (docs/channels.md, "Public media").
   */
  publicUrlIsOwnAddress?: boolean;
}

const READY_TIMEOUT_MS = 30_000;

/** Starts the server and resolves once /readyz answers; if it never does, stops it and says why with its log. */
export async function startChorusServer({ name, env = {}, publicUrlIsOwnAddress = false }: ChorusServerOptions): Promise<ChorusServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `chorus-e2e-${name}-`));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [CLI, 'serve', '--port', String(port), '--data-dir', dataDir], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...(publicUrlIsOwnAddress ? { CHORUS_PUBLIC_URL: baseUrl } : {}), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (chunk) => (log += chunk));
  child.stderr!.on('data', (chunk) => (log += chunk));

  async function stop(): Promise<void> {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (
    !(await fetch(`${baseUrl}/readyz`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    const failure =
      child.exitCode !== null ? `server exited (${child.exitCode})` : Date.now() > deadline ? `server not ready after ${READY_TIMEOUT_MS} ms` : null;
    if (failure) {
      await stop();
      throw new Error(`${failure}:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { baseUrl, dataDir, log: () => log, stop };
}
