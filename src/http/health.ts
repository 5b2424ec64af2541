import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { MigrationStatus } from '../store/migrations.js';
import type { Store } from '../store/store.js';
import { LivenessAnswer, ReadinessAnswer } from '../../core/api/ops.js';

/** Probes; readiness asks `schemaStatus` (the app's migrations against the store) whether every migration is applied. */
export function healthRoutes(schemaStatus: (store: Store) => Promise<MigrationStatus>) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get(
      '/healthz',
      {
        exposeHeadRoute: true,
        config: { public: true, anonymous: true },
        schema: { tags: ['ops'], summary: 'The process is up', response: { 200: LivenessAnswer } },
      },
      async () => ({ status: 'ok' }),
    );

    app.get(
      '/readyz',
      {
        exposeHeadRoute: true,
        config: { public: true, anonymous: true },
        schema: { tags: ['ops'], summary: 'The store is reachable, fully migrated and can write', response: { 200: ReadinessAnswer, 503: ReadinessAnswer } },
      },
      async (_request, reply) => {
        const checks: Record<string, { ok: boolean; detail?: string }> = {};
        try {
          await sql`select 1`.execute(app.store.db);
          checks.store = { ok: true, detail: app.store.dialect };
          const status = await schemaStatus(app.store);
          const ok = status.pending.length === 0 && status.unknown.length === 0;
          checks.migrations = ok
            ? { ok, detail: `${status.applied.length} applied` }
            : { ok, detail: `pending: ${status.pending.join(', ') || 'none'}; unknown (newer Chorus?): ${status.unknown.join(', ') || 'none'}` };
          const storageProblem = await app.store.storage.problem();
          checks.storage = storageProblem ? { ok: false, detail: storageProblem } : { ok: true };
        } catch (error) {
          checks.store = { ok: false, detail: (error as Error).message };
        }
        const ready = Object.values(checks).every((c) => c.ok) && 'migrations' in checks;
        return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
      },
    );
  };
}
