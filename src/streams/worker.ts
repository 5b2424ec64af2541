import type { FastifyBaseLogger } from 'fastify';
import { startJobLoop, type RunningJobLoop } from '../lib/job-loop.js';
import { ingestDueJobs, type IngestOptions } from './poller.js';
import { pruneExpiredItems } from './retention.js';

const PRUNE_EVERY_MS = 60 * 60_000;

/**
 * The ingest loop: claim due poll jobs, read them through the connectors, store, notify. Once an
 * hour it also prunes items past each org's retention.
 */
export function startIngestWorker(options: IngestOptions & { pollMs?: number; logger?: FastifyBaseLogger }): RunningJobLoop {
  const batchSize = options.batchSize ?? 20;
  let nextPrune = 0;
  const round = async () => {
    const claimed = await ingestDueJobs({ ...options, batchSize });
    if (options.clock().getTime() >= nextPrune) {
      const pruned = await pruneExpiredItems(options.store.db, options.clock);
      if (pruned > 0) options.logger?.info({ pruned }, 'stream items past retention pruned');
      nextPrune = options.clock().getTime() + PRUNE_EVERY_MS;
    }
    return claimed;
  };
  return startJobLoop({ name: 'ingest', round, batchSize, pollMs: options.pollMs, logger: options.logger });
}
