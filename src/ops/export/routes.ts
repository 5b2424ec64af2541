import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { scopeOf } from '../../http/org-scoped.js';
import { exportOrg } from './export.js';

/** The org owner's "download all our data": GET /api/orgs/:orgId/export, a .tar.gz (docs/export-format.md). */
export async function exportRoutes(app: FastifyInstance): Promise<void> {
  app.get('/export', { config: { permission: 'org.export' }, schema: { tags: ['ops'], summary: 'Download every row of this organization as a .tar.gz of JSON Lines (owner)' } }, async (request, reply) => {
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
      throw error;
    }
  });
}
