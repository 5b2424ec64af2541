/**
 * Drives deploy/cluster.sh (the 3-zone Patroni + etcd + HAProxy cluster on loopback) and the
 * pgBackRest scripts from the drills.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DEPLOY = path.join(ROOT, 'deploy');

export interface ClusterOptions {
  dir: string;
  portBase: number;
}

export class LoopbackCluster {
  constructor(readonly options: ClusterOptions) {}

  private run(script: string, args: string[], timeoutMs = 240_000): string {
    const result = spawnSync(path.join(DEPLOY, script), args, {
      encoding: 'utf8',
      timeout: timeoutMs,
      env: { ...process.env, CHORUS_HA_DIR: this.options.dir, CHORUS_HA_PORT_BASE: String(this.options.portBase) },
    });
    if (result.status !== 0)
      throw new Error(`deploy/${script} ${args.join(' ')} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
    return result.stdout.trim();
  }

  up(): void {
    this.run('cluster.sh', ['up']);
  }
  down(): void {
    this.run('cluster.sh', ['down']);
  }
  url(): string {
    return this.run('cluster.sh', ['url']);
  }
  status(): string {
    return this.run('cluster.sh', ['status']);
  }
  leaderZone(): number {
    return Number(this.run('cluster.sh', ['leader']));
  }
  killZone(zone: number): void {
    this.run('cluster.sh', ['kill-zone', String(zone)]);
  }
  startZone(zone: number): void {
    this.run('cluster.sh', ['start-zone', String(zone)]);
  }
  backup(type: 'full' | 'incr' | 'check' | 'info'): string {
    return this.run('backup.sh', [type]);
  }
  /** Restores into a new data dir as a standalone server on `port`; returns its DATABASE_URL. */
  restoreToTime(timestamp: string, dataDir: string, port: number): string {
    const out = this.run('restore-to-time.sh', [timestamp, dataDir, String(port)], 600_000);
    const url = /(postgres:\/\/\S+)/.exec(out)?.[1];
    if (!url) throw new Error(`restore printed no URL:\n${out}`);
    return url;
  }
  stopRestored(dataDir: string): void {
    this.run('restore-to-time.sh', ['--stop', dataDir]);
  }
}
