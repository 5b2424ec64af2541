import { sql, type Kysely, type Migration } from 'kysely';

export const publishingMigrations: Record<string, Migration> = {
  '0240_post_targets_claim_queues': {
    async up(db: Kysely<any>) {
      // One partial index per queue the publisher claims from (publisher.ts), each in the order it
      // is taken; they replace the index on (state, next_attempt_at), which only the claim used.
      await db.schema
        .createIndex('post_targets_due')
        .on('post_targets')
        .column('next_attempt_at')
        .where(sql<boolean>`state in ('scheduled', 'retrying')`)
        .execute();
      await db.schema
        .createIndex('post_targets_leases')
        .on('post_targets')
        .column('lease_expires_at')
        .where(sql<boolean>`state = 'publishing'`)
        .execute();
      await db.schema.dropIndex('post_targets_claim').execute();
    },
  },
  '0230_post_shorten_links': {
    async up(db: Kysely<any>) {
      // 1 / 0: this post's choice in the composer; null: the org's default (analytics settings).
      await db.schema.alterTable('posts').addColumn('shorten_links', 'integer').execute();
    },
  },
  '0220_post_series': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('posts').addColumn('series_id', 'text').execute();
      await db.schema.createIndex('posts_series').on('posts').columns(['org_id', 'series_id']).execute();
    },
  },
  '0200_publishing': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('posts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('author_user_id', 'text', (c) => c.notNull())
        .addColumn('workflow', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('overrides', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('scheduled_local', 'text')
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('due_at', 'text')
        .addColumn('campaign', 'text')
        .addColumn('reply_to', 'text')
        .addColumn('quote_of', 'text')
        .addColumn('review_comment', 'text')
        .addColumn('reviewed_by', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('posts_org_due').on('posts').columns(['org_id', 'due_at']).execute();
      await db.schema
        .createTable('post_targets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('post_id', 'text', (c) => c.notNull().references('posts.id').onDelete('cascade'))
        .addColumn('channel_account_id', 'text', (c) => c.notNull())
        .addColumn('network', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
        .addColumn('due_at', 'text')
        .addColumn('next_attempt_at', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('lease_owner', 'text')
        .addColumn('lease_expires_at', 'text')
        .addColumn('remote_id', 'text')
        .addColumn('remote_cid', 'text')
        .addColumn('remote_url', 'text')
        .addColumn('failure_kind', 'text')
        .addColumn('failure_reason', 'text')
        .addColumn('published_at', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('post_targets_post').on('post_targets').column('post_id').execute();
      // The publisher's claim query: due work in state order.
      await db.schema.createIndex('post_targets_claim').on('post_targets').columns(['state', 'next_attempt_at']).execute();
      await db.schema
        .createTable('posting_slots')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('channel_account_id', 'text', (c) => c.notNull())
        .addColumn('weekday', 'integer', (c) => c.notNull())
        .addColumn('time', 'text', (c) => c.notNull())
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('posting_slots_account').on('posting_slots').columns(['org_id', 'channel_account_id']).execute();
    },
  },
  '0210_post_media': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('post_media')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('post_id', 'text', (c) => c.references('posts.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('mime_type', 'text', (c) => c.notNull())
        .addColumn('bytes', 'integer', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('alt', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('post_media_post').on('post_media').columns(['org_id', 'post_id']).execute();
    },
  },
};
