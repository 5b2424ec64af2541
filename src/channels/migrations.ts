import type { Kysely, Migration } from 'kysely';

export const channelsMigrations: Record<string, Migration> = {
  '0100_channel_accounts': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('channel_accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('network', 'text', (c) => c.notNull())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('handle', 'text', (c) => c.notNull())
        .addColumn('remote_id', 'text', (c) => c.notNull())
        .addColumn('profile_url', 'text')
        .addColumn('avatar_url', 'text')
        .addColumn('credentials', 'text', (c) => c.notNull())
        .addColumn('health_status', 'text', (c) => c.notNull())
        .addColumn('health_reason', 'text')
        .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('last_checked_at', 'text')
        .addUniqueConstraint('channel_accounts_remote', ['org_id', 'network', 'remote_id'])
        .execute();
    },
  },
  '0101_channel_oauth': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('channel_accounts').addColumn('text_limit', 'integer').execute();
      await db.schema
        .createTable('channel_oauth_states')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('network', 'text', (c) => c.notNull())
        .addColumn('instance_url', 'text')
        .addColumn('code_verifier', 'text')
        .addColumn('redirect_uri', 'text', (c) => c.notNull())
        .addColumn('channel_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('channel_oauth_states_expiry').on('channel_oauth_states').column('expires_at').execute();
      await db.schema
        .createTable('mastodon_apps')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('instance_url', 'text', (c) => c.notNull())
        .addColumn('redirect_uri', 'text', (c) => c.notNull())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('client_secret', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('mastodon_apps_instance', ['instance_url', 'redirect_uri'])
        .execute();
    },
  },
  '0112_channel_token_expiry': {
    async up(db: Kysely<any>) {
      // Empty for channels connected before: their connector fills it the first time it opens their credentials (service.ts, openConnector).
      await db.schema.alterTable('channel_accounts').addColumn('token_expires_at', 'text').execute();
    },
  },
  '0113_channel_token_notices': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('channel_accounts').addColumn('token_end_noticed', 'text').execute();
      await db.schema.alterTable('channel_accounts').addColumn('reconnect_noticed_at', 'text').execute();
    },
  },
  // Numbered with the streams' 0405_feed_item_identity it ships with (the number assigned to that change).
  '0405_channel_read_notes': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('channel_accounts').addColumn('read_notes', 'text').execute();
    },
  },
};
