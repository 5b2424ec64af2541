import fs from 'node:fs';
import { sql } from 'kysely';
import { migrationStatus } from '../app/migrations.js';
import { openStore } from '../store/open.js';
import { keepsDataInDataDir } from '../store/dialect-sql.js';
import { configFromFlags, type StoreFlags } from './context.js';
import { PRIVATE_DIRECTORY_MODE } from '../lib/private-files.js';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

const MIN_FREE_BYTES = 512 * 1024 * 1024;

/** `chorus doctor`: check configuration, store, migrations and disk space. */
export async function runDoctor(flags: StoreFlags): Promise<void> {
  // A bad setting stops here (exit 2, every problem named), as it stops `serve`: checking a default store instead would mislead.
  const config = configFromFlags(flags);
  const checks: Check[] = [{ name: 'config', ok: true, detail: `data dir ${config.dataDir}` }];
  checks.push({
    name: 'secret key',
    ok: true,
    detail: config.secretKey ? 'from CHORUS_SECRET_KEY' : fs.existsSync(`${config.dataDir}/secret.key`) ? 'from data dir' : 'will be generated on first serve',
  });
  const store = openStore(config.databaseUrl);
  try {
    await sql`select 1`.execute(store.db);
    checks.push({ name: 'store', ok: true, detail: store.description });
    const status = await migrationStatus(store);
    checks.push({
      name: 'migrations',
      ok: status.pending.length === 0 && status.unknown.length === 0,
      detail: `${status.applied.length} applied, ${status.pending.length} pending${status.pending.length ? ' (run `chorus migrate`)' : ''}${status.unknown.length ? `, ${status.unknown.length} from a newer Chorus` : ''}`,
    });
  } catch (error) {
    checks.push({ name: 'store', ok: false, detail: `${store.description}: ${(error as Error).message}` });
  } finally {
    await store.close();
  }
  if (keepsDataInDataDir(store.dialect)) {
    fs.mkdirSync(config.dataDir, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
    const stats = fs.statfsSync(config.dataDir);
    const free = stats.bavail * stats.bsize;
    checks.push({ name: 'disk', ok: free >= MIN_FREE_BYTES, detail: `${(free / 1024 ** 3).toFixed(1)} GiB free in ${config.dataDir}` });
  }
  for (const check of checks) console.log(`${check.ok ? 'ok  ' : 'FAIL'}  ${check.name.padEnd(11)} ${check.detail}`);
  if (checks.some((c) => !c.ok)) process.exitCode = 1;
}
