import type { Kysely, Migration } from 'kysely';

export const publicMediaMigrations: Record<string, Migration> = {
  '1200_public_media': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('public_media')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('mime_type', 'text', (c) => c.notNull())
        .addColumn('bytes', 'integer', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      // Pruning finds expired copies by their end; deleting an org finds its copies.
      await db.schema.createIndex('public_media_expires').on('public_media').column('expires_at').execute();
      await db.schema.createIndex('public_media_org').on('public_media').column('org_id').execute();
    },
  },
};
