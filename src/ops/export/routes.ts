import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { HttpError } from '../../http/errors.js';
import { scopeOf } from '../../http/org-scoped.js';
import { DomainError } from '../../lib/domain-error.js';
import { isStoreUnavailable } from '../../store/outage.js';
import { exportOrg } from './export.js';
import { errorAnswers } from '../../../core/api/errors.js';
import { ExportArchive } from '../../../core/api/ops.js';

/** The org owner's "download all our data": GET /api/orgs/:orgId/export, a .tar.gz (docs/export-format.md). */
export async function exportRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/export',
    {
      config: { permission: 'org.export' },
      schema: {
        tags: ['ops'],
        summary: 'Download every row of this organization as a .tar.gz of JSON Lines (owner)',
        response: { 200: ExportArchive, ...errorAnswers },
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request);
      const work = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-download-'));
      const file = path.join(work, 'export.tar.gz');
      try {
        const manifest = await exportOrg(app.store, scope.orgId, file, { clock: app.clock, includePasswordHashes: false });
        await scope.audit('org.exported', { tables: manifest.tables.length, rows: manifest.tables.reduce((sum, t) => sum + t.rows, 0) });
        const stream = fs.createReadStream(file);
        stream.once('close', () => fs.rmSync(work, { recursive: true, force: true }));
        const day = manifest.exportedAt.slice(0, 10);
        return reply
          .header('content-type', 'application/gzip')
          .header('content-disposition', `attachment; filename="chorus-export-${scope.orgId}-${day}.tar.gz"`)
          .send(stream);
      } catch (error) {
        fs.rmSync(work, { recursive: true, force: true });
        throw downloadFailure(error, scope.orgId, request.log);
      }
    },
  );
}

/**
 * A rule (no such org) or a store outage (503, retry) keeps its own answer; anything else is an
 * export that could not be written: the owner is told so, and that the operator's CLI shows why.
 */
function downloadFailure(error: unknown, orgId: string, log: FastifyBaseLogger): unknown {
  if (error instanceof DomainError || isStoreUnavailable(error)) return error;
  log.error({ err: error, orgId }, 'org export failed');
  return new HttpError(
    500,
    'export_failed',
    `The export could not be written; the error has been logged. An operator can run \`chorus export --org ${orgId}\` on the server to see why.`,
  );
}
