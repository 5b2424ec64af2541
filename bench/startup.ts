/**
 * Start-up and footprint: `chorus serve` from process start to the first 200 from /healthz (on an
 * already migrated store, as every restart is), its resident memory once idle, and `chorus --help`,
 * each next to its ceiling in the same run: a minimal Fastify + better-sqlite3 server started the
 * same way (same Node, same disk), and `node -e 0`. Run from the repository root after
 * `npm run build:server`; the command is in bench/README.md.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    'idle-seconds': { type: 'string', default: '3' },
    minimal: { type: 'string' },
    // Builds to compare in the same run, taking turns (e.g. a copy of the parent's dist/ beside this one's),
    // each optionally after Node flags: --cli "--max-semi-space-size=1 dist/src/cli/main.js".
    cli: { type: 'string', multiple: true, default: ['dist/src/cli/main.js'] },
  },
});
const CLIS = args.cli.map((cli) => {
  const words = cli.split(' ').filter(Boolean);
  return { file: path.resolve(words.at(-1)!), flags: words.slice(0, -1) };
});

/** The ceiling: what Fastify and better-sqlite3 alone take to answer /healthz. */
async function minimalServer(dataDir: string): Promise<void> {
  const [{ default: Fastify }, { default: Database }] = await Promise.all([import('fastify'), import('better-sqlite3')]);
  const db = new Database(path.join(dataDir, 'minimal.db'));
  db.pragma('journal_mode = WAL');
  const select = db.prepare('select 1 as ok');
  const app = Fastify();
  app.get('/healthz', async () => select.get());
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  console.log(`running at ${address}"`);
}

interface Started {
  ms: number;
  rssMb: number;
}

async function timeToHealthy(command: string[], env: Record<string, string>): Promise<Started> {
  const started = performance.now();
  const child = spawn(process.execPath, command, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  try {
    let url: string | null = null;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}:\n${output}`);
      url ??= /running at (http:\/\/[^"\s]+?)\/?"/.exec(output)?.[1] ?? null;
      if (url) {
        const ok = await fetch(`${url.replace('localhost', '127.0.0.1')}/healthz`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
      }
      await sleep(5);
    }
    const ms = performance.now() - started;
    await sleep(Number(args['idle-seconds']) * 1000);
    const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const rssMb = Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
    return { ms, rssMb };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
  }
}

function timeCommand(command: string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, command, { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`${command.join(' ')} exited ${result.status}`);
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  if (args.minimal) return minimalServer(args.minimal);
  for (const { file } of CLIS) if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run build:server\` first`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-bench-startup-'));
  const env = { CHORUS_DATA_DIR: dataDir, LOG_LEVEL: 'info', CHORUS_BACKUP_INTERVAL_MINUTES: '0', CHORUS_STATUS_PROBE_SECONDS: '0' };
  try {
    // A restart, not a first run: the store exists and is migrated.
    spawnSync(process.execPath, [CLIS[0]!.file, 'migrate'], { env: { ...process.env, ...env }, stdio: 'ignore' });
    const load = [os.loadavg()[0]!];
    const chorus: Started[][] = CLIS.map(() => []);
    const minimal: Started[] = [];
    const help: number[][] = CLIS.map(() => []);
    const bare: number[] = [];
    for (let round = 0; round < Number(args.rounds); round++) {
      minimal.push(await timeToHealthy([process.argv[1]!, '--minimal', dataDir], {}));
      bare.push(timeCommand(['-e', '0']));
      for (const [i, cli] of CLIS.entries()) {
        chorus[i]!.push(await timeToHealthy([...cli.flags, cli.file, 'serve', '--port', '0', '--host', '127.0.0.1'], env));
        help[i]!.push(timeCommand([...cli.flags, cli.file, '--help']));
      }
    }
    load.push(os.loadavg()[0]!);
    const row = (name: string, value: number, ceiling: number, unit: string, target: string) =>
      console.log(
        `| ${name} | ${value.toFixed(unit === 'MB' ? 0 : 0)} ${unit} | ${ceiling.toFixed(0)} ${unit} | ${(ceiling / value).toFixed(2)} | ${target} |`,
      );
    console.log(
      `\n${args.rounds} rounds, medians; ${os.cpus().length} CPUs, Node ${process.version}, load average ${load.map((l) => l.toFixed(1)).join(' → ')}\n`,
    );
    for (const [i, cli] of CLIS.entries()) {
      console.log(`\n${[...cli.flags, path.relative(process.cwd(), cli.file)].join(' ')}\n`);
      console.log('| what | chorus | ceiling (same run) | ceiling / chorus | target |');
      console.log('|---|---:|---:|---:|---|');
      row(
        'cold start to /healthz (minimal Fastify + better-sqlite3)',
        median(chorus[i]!.map((s) => s.ms)),
        median(minimal.map((s) => s.ms)),
        'ms',
        '≤ 1000 ms',
      );
      row('idle RSS', median(chorus[i]!.map((s) => s.rssMb)), median(minimal.map((s) => s.rssMb)), 'MB', '≤ 100 MB');
      row('`chorus --help` (node -e 0)', median(help[i]!), median(bare), 'ms', '≤ 300 ms');
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
