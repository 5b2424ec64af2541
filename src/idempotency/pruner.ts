import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../lib/clock.js';
import { startJobLoop, type RunningJobLoop } from '../lib/job-loop.js';
import type { Store } from '../store/store.js';
import { pruneExpiredKeys } from './reservations.js';

const PRUNE_EVERY_MS = 60 * 60_000;

/** Deletes idempotency keys past their 24 hours, once an hour (a repeat of an expired key is already a new request; this only frees the space). */
export function startKeyPruner(options: { store: Store; clock: Clock; logger?: FastifyBaseLogger }): RunningJobLoop {
  const round = async () => {
    const pruned = await pruneExpiredKeys(options.store.db, options.clock);
    if (pruned > 0) options.logger?.info({ pruned }, 'expired idempotency keys pruned');
    return 0;
  };
  return startJobLoop({ name: 'idempotency key pruning', round, batchSize: 1, pollMs: PRUNE_EVERY_MS, logger: options.logger });
}
