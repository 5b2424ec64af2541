import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import { channelsEnvironment } from '../channels/environment.js';
import { channelDirectory } from '../channels/publishing-directory.js';
import { startKeyPruner } from '../idempotency/pruner.js';
import { systemClock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import { announceTargetFailure } from '../notifications/publishing-events.js';
import { startPublisher } from '../publishing/worker.js';
import { streamNotifier } from '../streams/live.js';
import { startIngestWorker } from '../streams/worker.js';
import type { Store } from '../store/store.js';

export interface BackgroundWorkers {
  workerId: string;
  stop(): Promise<void>;
}

/**
 * How long a publisher's claim lasts (CHORUS_PUBLISH_LEASE_MS, default 60 s): the time a killed
 * worker's targets wait before another worker takes them over. Keep it well above the time one
 * batch takes to publish, or a slow but live worker loses targets it is still sending.
 */
export function publishLeaseMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CHORUS_PUBLISH_LEASE_MS;
  if (raw === undefined || raw === '') return 60_000;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1_000) throw new Error(`CHORUS_PUBLISH_LEASE_MS must be a whole number of milliseconds, at least 1000 (got ${raw})`);
  return value;
}

/** The jobs that run next to the API in `serve`, or alone in `chorus worker` processes. */
export function startBackgroundWorkers(store: Store, secretKey: string, logger: FastifyBaseLogger): BackgroundWorkers {
  // Unique per process and readable in the database: which host and pid holds a lease.
  const workerId = `${hostname()}:${process.pid}:${newId().slice(0, 8)}`;
  const channels = channelsEnvironment(secretKey);
  const publisher = startPublisher({
    store,
    clock: systemClock,
    directory: channelDirectory(store.db, systemClock, channels),
    workerId,
    leaseMs: publishLeaseMs(),
    logger,
    onFailure: announceTargetFailure(store.db, systemClock, () => channels.fetch),
  });
  logger.info({ workerId, leaseMs: publishLeaseMs() }, 'publisher started');
  const ingest = startIngestWorker({ store, clock: systemClock, env: channels, notifier: streamNotifier(store), workerId, logger });
  logger.info({ workerId }, 'stream ingest started');
  const keyPruner = startKeyPruner({ store, clock: systemClock, logger });
  return {
    workerId,
    stop: async () => {
      await Promise.all([publisher.stop(), ingest.stop(), keyPruner.stop()]);
    },
  };
}
