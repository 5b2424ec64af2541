import { pino } from 'pino';
import { buildServer } from '../app/server.js';
import { resolveSecretKey } from '../secret-key.js';
import { migrateToLatest } from '../app/migrations.js';
import { openStore } from '../store/open.js';
import { countUsers } from '../accounts/users.js';
import { startBackgroundWorkers } from '../app/workers.js';
import { startBackupSchedule } from '../ops/backup/schedule.js';
import { claimStore } from '../ops/backup/server-lock.js';
import { sqliteFileOf } from '../ops/backup/sqlite-file.js';
import { channelNetworksStatusSource } from '../app/network-status-source.js';
import { StatusComponents } from '../ops/status/components.js';
import { storeComponent } from '../ops/status/store-component.js';
import { startStatusProber } from '../ops/status/prober.js';
import { publicMediaWarning } from '../public-media/host.js';
import { logUnhandledRejections } from './process-safety.js';
import { configFromFlags, type StoreFlags } from './context.js';
import { ensurePrivateDirectory } from '../lib/private-files.js';

/** `chorus serve`: migrate, then run the API (and the background jobs unless --no-worker) until a signal. */
export async function runServe(flags: StoreFlags & { worker: boolean }): Promise<void> {
  const config = configFromFlags(flags);
  const logger = pino({ level: config.logLevel });
  const mediaWarning = publicMediaWarning(config.publicUrl, config.addressPolicy);
  if (mediaWarning) logger.warn(mediaWarning);
  logUnhandledRejections(logger);
  ensurePrivateDirectory(config.dataDir);
  const { key: secretKey } = resolveSecretKey(config.secretKey, config.dataDir);
  const store = openStore(config.databaseUrl);
  const applied = await migrateToLatest(store);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  const databaseFile = sqliteFileOf(config.databaseUrl);
  const backups = { databaseFile, settings: config.backups };
  const releaseStore = databaseFile ? claimStore(databaseFile) : () => {};
  const { trustProxy, secureCookies, publicUrl, addressPolicy, channelOAuth, status, databaseUrl } = config;
  const app = await buildServer({
    store,
    logger,
    trustProxy,
    secureCookies,
    publicUrl,
    secretKey,
    addressPolicy,
    channelOAuth,
    backups,
    status,
    databaseUrl,
    mail: config.mail,
    shortLinks: config.shortLinks,
  });
  const workers =
    flags.worker && config.runWorkers
      ? startBackgroundWorkers(
          store,
          {
            secretKey,
            addressPolicy,
            publishLeaseMs: config.publishLeaseMs,
            publicUrl,
            shortUrlBase: config.shortLinks.baseUrl ?? config.publicUrl,
            blueskyFirehoseUrl: config.blueskyFirehoseUrl,
            mastodonStreaming: config.mastodonStreaming,
          },
          logger,
        )
      : null;
  const stopBackups = databaseFile ? startBackupSchedule(databaseFile, backups.settings, () => new Date(), logger) : () => {};
  // Other modules add their components here (workers; channels as a source of connected accounts).
  const statusComponents = new StatusComponents().add('store', storeComponent(store)).addSource(channelNetworksStatusSource(store.db, () => new Date()));
  const stopProber = startStatusProber(store.db, statusComponents, () => new Date(), status.intervalMs, status.gapMs, logger);
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    stopBackups();
    stopProber();
    await workers?.stop();
    await app.close();
    await store.close();
    releaseStore();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  const address = await app.listen({ port: config.port, host: config.host });
  const url = address.replace('127.0.0.1', 'localhost');
  logger.info({ store: store.description }, `Chorus is running at ${url}`);
  if ((await countUsers(store.db)) === 0) logger.info(`First run: open ${url} to create the owner account`);
}
