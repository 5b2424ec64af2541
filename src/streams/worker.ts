import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import { ingestDueJobs, type IngestOptions } from './poller.js';
import { pruneExpiredItems } from './retention.js';

export interface RunningIngest {
  /** Finishes the round in progress, then stops. */
  stop(): Promise<void>;
}

const PRUNE_EVERY_MS = 60 * 60_000;

/**
 * The ingest loop: claim due poll jobs, read them through the connectors, store, notify; sleep
 * `pollMs` when nothing is due. Once an hour it prunes items past each org's retention. A store
 * outage is logged and waited out; it never kills the loop.
 */
export function startIngestWorker(options: IngestOptions & { pollMs?: number; logger?: FastifyBaseLogger }): RunningIngest {
  const controller = new AbortController();
  const pollMs = options.pollMs ?? 1000;
  const batchSize = options.batchSize ?? 20;
  let failures = 0;
  let nextPrune = 0;
  const loop = (async () => {
    while (!controller.signal.aborted) {
      let claimed = 0;
      try {
        claimed = await ingestDueJobs({ ...options, batchSize });
        if (options.clock().getTime() >= nextPrune) {
          const pruned = await pruneExpiredItems(options.store.db, options.clock);
          if (pruned > 0) options.logger?.info({ pruned }, 'stream items past retention pruned');
          nextPrune = options.clock().getTime() + PRUNE_EVERY_MS;
        }
        failures = 0;
      } catch (error) {
        failures++;
        options.logger?.warn({ err: error, failures }, 'ingest round failed; retrying');
      }
      if (claimed < batchSize) {
        const wait = failures ? Math.min(30_000, pollMs * 2 ** failures) : pollMs;
        await sleep(wait, undefined, { signal: controller.signal }).catch(() => {});
      }
    }
  })();
  return {
    async stop() {
      controller.abort();
      await loop;
    },
  };
}
