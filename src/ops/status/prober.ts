import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../../lib/clock.js';
import type { Database } from '../../store/database.js';
import { runProbe, type StatusComponents } from './components.js';
import { recordProbe } from './probes.js';

/** Probes every component every `intervalMs` inside `chorus serve`; 0 disables it. */
export function startStatusProber(
  db: Kysely<Database>,
  components: StatusComponents,
  clock: Clock,
  intervalMs: number,
  gapMs: number,
  logger: FastifyBaseLogger,
): () => void {
  if (intervalMs === 0) return () => {};
  const probeAll = async () => {
    for (const { name, probe } of await components.all()) {
      const outcome = await runProbe(probe, Math.min(10_000, intervalMs));
      try {
        await recordProbe(db, name, outcome, clock(), gapMs);
      } catch (error) {
        // The store itself may be what is failing; the gap rule records the silence once it is back.
        logger.warn({ err: error, component: name }, 'could not record a status probe');
      }
    }
  };
  void probeAll();
  const timer = setInterval(() => void probeAll(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
