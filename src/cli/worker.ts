import type { Command } from 'commander';
import { pino } from 'pino';
import { resolveSecretKey } from '../secret-key.js';
import { migrateToLatest } from '../app/migrations.js';
import { openStore } from '../store/open.js';
import { startBackgroundWorkers } from '../app/workers.js';
import { logUnhandledRejections } from './process-safety.js';
import { configFromFlags, type StoreFlags } from './context.js';
import { withStoreOptions } from './options.js';
import { ensurePrivateDirectory } from '../lib/private-files.js';

export function registerWorkerCommand(program: Command): void {
  withStoreOptions(
    program.command('worker').description('run background jobs (publishing) without the web server; run as many as you like against one store'),
  ).action(async (flags: StoreFlags) => {
    const config = configFromFlags(flags);
    const logger = pino({ level: config.logLevel });
    logUnhandledRejections(logger);
    ensurePrivateDirectory(config.dataDir);
    const { key: secretKey } = resolveSecretKey(config.secretKey, config.dataDir);
    const store = openStore(config.databaseUrl);
    await migrateToLatest(store);
    const workers = startBackgroundWorkers(store, { secretKey, addressPolicy: config.addressPolicy, publishLeaseMs: config.publishLeaseMs }, logger);
    const shutdown = async (signal: string) => {
      logger.info({ signal }, 'worker stopping after the round in progress');
      await workers.stop();
      await store.close();
      process.exit(0);
    };
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    process.once('SIGINT', () => void shutdown('SIGINT'));
  });
}
