import { type Kysely, type Migration } from 'kysely';

export const lineMigrations: Record<string, Migration> = {
  '0110_line_inbound_events': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('line_inbound_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('channel_id', 'text', (c) => c.notNull().references('channel_accounts.id').onDelete('cascade'))
        .addColumn('webhook_event_id', 'text', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text')
        .addColumn('message_id', 'text')
        .addColumn('message_type', 'text')
        .addColumn('text', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('occurred_at', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('line_inbound_events_once', ['channel_id', 'webhook_event_id'])
        .execute();
      // Newest first per channel: the 'messages' stream pages on it.
      await db.schema.createIndex('line_inbound_events_by_channel').on('line_inbound_events').columns(['channel_id', 'occurred_at', 'id']).execute();
    },
  },
};
