import { pino } from 'pino';
import { resolveSecretKey } from '../secret-key.js';
import { migrateToLatest } from '../app/migrations.js';
import { openStore } from '../store/open.js';
import { startBackgroundWorkers } from '../app/workers.js';
import { publicMediaWarning } from '../public-media/host.js';
import { logUnhandledRejections } from './process-safety.js';
import { configFromFlags, type StoreFlags } from './context.js';
import { ensurePrivateDirectory } from '../lib/private-files.js';

/** `chorus worker`: migrate, then run the background jobs until a signal. */
export async function runWorker(flags: StoreFlags): Promise<void> {
  const config = configFromFlags(flags);
  const logger = pino({ level: config.logLevel });
  const mediaWarning = publicMediaWarning(config.publicUrl, config.addressPolicy);
  if (mediaWarning) logger.warn(mediaWarning);
  logUnhandledRejections(logger);
  ensurePrivateDirectory(config.dataDir);
  const { key: secretKey } = resolveSecretKey(config.secretKey, config.dataDir);
  const store = openStore(config.databaseUrl);
  await migrateToLatest(store);
  const workers = startBackgroundWorkers(
    store,
    {
      secretKey,
      addressPolicy: config.addressPolicy,
      publishLeaseMs: config.publishLeaseMs,
      publicUrl: config.publicUrl,
      shortUrlBase: config.shortLinks.baseUrl ?? config.publicUrl,
      blueskyFirehoseUrl: config.blueskyFirehoseUrl,
      mastodonStreaming: config.mastodonStreaming,
    },
    logger,
  );
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'worker stopping after the round in progress');
    await workers.stop();
    await store.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
