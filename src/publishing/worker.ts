import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import { publishDueTargets, type PublisherOptions } from './publisher.js';

export interface RunningPublisher {
  /** Finishes the round in progress, then stops. */
  stop(): Promise<void>;
}

/**
 * The publisher loop: claim, publish, repeat; sleep `pollMs` when nothing is due. A store
 * outage (failover, restart) is logged and waited out; it never kills the loop.
 */
export function startPublisher(options: PublisherOptions & { pollMs?: number; logger?: FastifyBaseLogger }): RunningPublisher {
  const controller = new AbortController();
  const pollMs = options.pollMs ?? 1000;
  const batchSize = options.batchSize ?? 50;
  let failures = 0;
  const loop = (async () => {
    while (!controller.signal.aborted) {
      let claimed = 0;
      try {
        claimed = await publishDueTargets({ ...options, batchSize });
        failures = 0;
      } catch (error) {
        failures++;
        options.logger?.warn({ err: error, failures }, 'publisher round failed; retrying');
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
