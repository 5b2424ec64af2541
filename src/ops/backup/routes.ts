import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { listBackups } from './catalog.js';
import { postgresBackupsRefused } from './errors.js';
import type { BackupSettings } from './settings.js';
import { takeBackup } from './take.js';
import { errorAnswers } from '../../../core/api/errors.js';
import { BackupListing, NewBackupAnswer } from '../../../core/api/ops.js';

export interface BackupRouteOptions {
  /** The SQLite file behind the store; null on PostgreSQL, where backups are pgBackRest's job. */
  databaseFile: string | null;
  settings: BackupSettings;
}

const tags = ['ops'];

/** Instance-admin routes: take a backup now, list what exists. */
export function backupRoutes(options: BackupRouteOptions) {
  return async (fastify: FastifyInstance): Promise<void> => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/api/ops/backups',
      {
        config: { instanceAdmin: true },
        schema: { tags, summary: 'Verified backups of the embedded store, newest first (instance admin)', response: { 200: BackupListing, ...errorAnswers } },
      },
      async () => {
        if (!options.databaseFile) throw postgresBackupsRefused();
        const { backups, unreadable } = listBackups(options.settings.directory);
        return {
          directory: options.settings.directory,
          intervalMinutes: options.settings.intervalMinutes,
          retention: options.settings.retention,
          backups,
          unreadable,
        };
      },
    );

    app.post(
      '/api/ops/backups',
      {
        config: { instanceAdmin: true },
        schema: { tags, summary: 'Take and verify a backup now (instance admin)', response: { 201: NewBackupAnswer, ...errorAnswers } },
      },
      async (_request, reply) => {
        if (!options.databaseFile) throw postgresBackupsRefused();
        const { manifest, pruned } = await takeBackup(options.databaseFile, options.settings, fastify.clock);
        return reply.status(201).send({ backup: manifest, pruned });
      },
    );
  };
}
