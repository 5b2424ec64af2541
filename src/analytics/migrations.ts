import type { Kysely, Migration } from 'kysely';

export const analyticsMigrations: Record<string, Migration> = {
  '0800_short_links_and_metrics': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('short_links')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('target_url', 'text', (c) => c.notNull())
        .addColumn('post_id', 'text')
        .addColumn('network', 'text')
        .addColumn('campaign', 'text')
        .addColumn('contact_id', 'text')
        .addColumn('created_by_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('short_links_org_created').on('short_links').columns(['org_id', 'created_at', 'id']).execute();
      await db.schema
        .createTable('link_clicks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('link_id', 'text', (c) => c.notNull().references('short_links.id').onDelete('cascade'))
        .addColumn('post_id', 'text')
        .addColumn('network', 'text')
        .addColumn('campaign', 'text')
        .addColumn('contact_id', 'text')
        .addColumn('clicked_at', 'text', (c) => c.notNull())
        .addColumn('referrer_host', 'text')
        .addColumn('device', 'text', (c) => c.notNull())
        .addColumn('bot', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('link_clicks_org_time').on('link_clicks').columns(['org_id', 'clicked_at']).execute();
      await db.schema.createIndex('link_clicks_link').on('link_clicks').columns(['link_id', 'bot']).execute();
      await db.schema
        .createTable('target_metrics')
        .addColumn('target_id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('post_id', 'text', (c) => c.notNull())
        .addColumn('channel_account_id', 'text', (c) => c.notNull())
        .addColumn('network', 'text', (c) => c.notNull())
        .addColumn('remote_id', 'text', (c) => c.notNull())
        .addColumn('remote_cid', 'text')
        .addColumn('published_at', 'text', (c) => c.notNull())
        .addColumn('likes', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('reposts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('replies', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('quotes', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('views', 'integer')
        .addColumn('pulled_at', 'text')
        .addColumn('next_pull_at', 'text')
        .addColumn('lease_owner', 'text')
        .addColumn('lease_expires_at', 'text')
        .addColumn('last_error', 'text')
        .execute();
      await db.schema.createIndex('target_metrics_due').on('target_metrics').columns(['next_pull_at']).execute();
      await db.schema.createIndex('target_metrics_org_published').on('target_metrics').columns(['org_id', 'published_at']).execute();
      await db.schema
        .createTable('follower_snapshots')
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('channel_account_id', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('followers', 'integer', (c) => c.notNull())
        .addColumn('following', 'integer')
        .addColumn('posts', 'integer')
        .addColumn('taken_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('follower_snapshots_pk', ['channel_account_id', 'day'])
        .execute();
      await db.schema.createIndex('follower_snapshots_org_day').on('follower_snapshots').columns(['org_id', 'day']).execute();
      await db.schema
        .createTable('analytics_settings')
        .addColumn('org_id', 'text', (c) => c.primaryKey().references('orgs.id').onDelete('cascade'))
        .addColumn('shorten_links', 'integer', (c) => c.notNull())
        .addColumn('utm_enabled', 'integer', (c) => c.notNull())
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0801_publish_time_short_links': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('short_links').addColumn('post_target_id', 'text').execute();
      // NULLs are distinct in both stores: links made through the API (no target) are not constrained.
      await db.schema.createIndex('short_links_target_url').on('short_links').columns(['post_target_id', 'url']).unique().execute();
    },
  },
};
