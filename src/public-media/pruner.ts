import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../lib/clock.js';
import { startJobLoop, type RunningJobLoop } from '../lib/job-loop.js';
import type { Store } from '../store/store.js';
import { pruneExpiredImages } from './service.js';

const PRUNE_EVERY_MS = 60 * 60_000;

/** Deletes public image copies past their retention, once an hour (an expired one is already answered 404; this frees the space). */
export function startPublicMediaPruner(options: { store: Store; clock: Clock; logger?: FastifyBaseLogger }): RunningJobLoop {
  const round = async () => {
    const pruned = await pruneExpiredImages(options.store.db, options.clock);
    if (pruned > 0) options.logger?.info({ pruned }, 'expired public images pruned');
    return 0;
  };
  return startJobLoop({ name: 'public image pruning', round, batchSize: 1, pollMs: PRUNE_EVERY_MS, logger: options.logger });
}
