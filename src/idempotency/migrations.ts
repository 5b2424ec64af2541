import type { Kysely, Migration } from 'kysely';

export const idempotencyMigrations: Record<string, Migration> = {
  '0700_idempotency_keys': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('idempotency_keys')
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('scope_org_id', 'text', (c) => c.references('orgs.id').onDelete('cascade'))
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('reserved_at', 'text', (c) => c.notNull())
        .addColumn('status', 'integer')
        .addColumn('content_type', 'text')
        .addColumn('body', 'text')
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['user_id', 'key'])
        .execute();
      // Pruning finds expired keys by age.
      await db.schema.createIndex('idempotency_keys_reserved').on('idempotency_keys').column('reserved_at').execute();
    },
  },
};
