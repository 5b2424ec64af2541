import type { FastifyBaseLogger } from 'fastify';
import { startJobLoop, type RunningJobLoop } from '../lib/job-loop.js';
import { publishDueTargets, type PublisherOptions } from './publisher.js';

/** The publisher loop: claim due targets, publish them, repeat; a store outage is waited out. */
export function startPublisher(options: PublisherOptions & { pollMs?: number; logger?: FastifyBaseLogger }): RunningJobLoop {
  const batchSize = options.batchSize ?? 50;
  return startJobLoop({
    name: 'publisher',
    round: () => publishDueTargets({ ...options, batchSize }),
    batchSize,
    pollMs: options.pollMs,
    logger: options.logger,
  });
}
