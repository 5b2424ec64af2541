import type { FastifyInstance } from 'fastify';
import { channelsEnvironment } from '../../src/channels/environment.js';
import type { Clock } from '../../src/lib/clock.js';
import { ingestDueJobs } from '../../src/streams/poller.js';
import { streamNotifier } from '../../src/streams/live.js';

/** One ingest round as the worker runs it, with the server's key (channels were sealed with it). */
export function ingestRound(app: FastifyInstance, clock: Clock = () => new Date(), workerId = 'test-worker'): Promise<number> {
  return ingestDueJobs({ store: app.store, clock, env: channelsEnvironment(app.settings.secretKey), notifier: streamNotifier(app.store), workerId });
}

/** A clock tests move forward by hand. */
export function movableClock(start = Date.now()): Clock & { advance(ms: number): void } {
  let now = start;
  const clock = (() => new Date(now)) as Clock & { advance(ms: number): void };
  clock.advance = (ms: number) => {
    now += ms;
  };
  return clock;
}
