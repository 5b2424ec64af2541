import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import { channelsEnvironment } from '../channels/environment.js';
import { channelDirectory } from '../channels/publishing-directory.js';
import { systemClock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import { startPublisher } from '../publishing/worker.js';
import type { Store } from '../store/store.js';

export interface BackgroundWorkers {
  workerId: string;
  stop(): Promise<void>;
}

/** The jobs that run next to the API in `serve`, or alone in `chorus worker` processes. */
export function startBackgroundWorkers(store: Store, secretKey: string, logger: FastifyBaseLogger): BackgroundWorkers {
  // Unique per process and readable in the database: which host and pid holds a lease.
  const workerId = `${hostname()}:${process.pid}:${newId().slice(0, 8)}`;
  const publisher = startPublisher({ store, clock: systemClock, directory: channelDirectory(store.db, systemClock, channelsEnvironment(secretKey)), workerId, logger });
  logger.info({ workerId }, 'publisher started');
  return { workerId, stop: () => publisher.stop() };
}
