import { type Kysely, type Migration } from 'kysely';

export const metaMigrations: Record<string, Migration> = {
  '0111_meta_webhook_events': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('meta_webhook_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('channel_id', 'text', (c) => c.notNull().references('channel_accounts.id').onDelete('cascade'))
        .addColumn('event_key', 'text', (c) => c.notNull())
        .addColumn('field', 'text', (c) => c.notNull())
        .addColumn('object_id', 'text', (c) => c.notNull())
        .addColumn('post_id', 'text')
        .addColumn('parent_id', 'text')
        .addColumn('from_id', 'text')
        .addColumn('from_name', 'text')
        .addColumn('text', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('occurred_at', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('meta_webhook_events_once', ['channel_id', 'event_key'])
        .execute();
      await db.schema.createIndex('meta_webhook_events_by_channel').on('meta_webhook_events').columns(['channel_id', 'occurred_at', 'id']).execute();
    },
  },
};
