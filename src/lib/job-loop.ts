import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';

export interface RunningJobLoop {
  /** Finishes the round in progress, then stops. */
  stop(): Promise<void>;
  /** Ends the wait between rounds now (work became due that a push announced); a round in progress is followed by another at once. */
  wake(): void;
}

export interface JobLoopOptions {
  /** For the logs: "publisher", "ingest". */
  name: string;
  /** One round of work; returns how many jobs it claimed. */
  round: () => Promise<number>;
  batchSize: number;
  pollMs?: number;
  logger?: FastifyBaseLogger | undefined;
}

const MAX_BACKOFF_MS = 30_000;

/**
 * Runs rounds until stopped: straight away again while a round claimed a full batch (there is
 * more due), `pollMs` apart otherwise. A failing round (a store outage, a failover) is logged and
 * retried with backoff; it never ends the loop.
 */
export function startJobLoop(options: JobLoopOptions): RunningJobLoop {
  const controller = new AbortController();
  const pollMs = options.pollMs ?? 1000;
  let failures = 0;
  let napping: AbortController | null = null;
  let woken = false;
  const loop = (async () => {
    while (!controller.signal.aborted) {
      let claimed = 0;
      try {
        claimed = await options.round();
        failures = 0;
      } catch (error) {
        failures++;
        options.logger?.warn({ err: error, failures }, `${options.name} round failed; retrying`);
      }
      if (claimed < options.batchSize && !woken) {
        const wait = failures ? Math.min(MAX_BACKOFF_MS, pollMs * 2 ** failures) : pollMs;
        napping = new AbortController();
        await sleep(wait, undefined, { signal: AbortSignal.any([controller.signal, napping.signal]) }).catch(() => {});
        napping = null;
      }
      woken = false;
    }
  })();
  return {
    async stop() {
      controller.abort();
      await loop;
    },
    wake() {
      woken = true;
      napping?.abort();
    },
  };
}
