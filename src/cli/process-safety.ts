import type { FastifyBaseLogger } from 'fastify';

/**
 * A forgotten promise rejection in a background loop (a store outage mid-probe, say) must be
 * logged, not end the process: Node's default would kill `serve` and every request with it.
 */
export function logUnhandledRejections(logger: FastifyBaseLogger): void {
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection (kept running)'));
}
