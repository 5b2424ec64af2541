import type { Kysely, Migration } from 'kysely';

export const campaignsMigrations: Record<string, Migration> = {
  '1100_campaigns': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('campaigns')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('starts_on', 'text')
        .addColumn('ends_on', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('campaigns_org').on('campaigns').columns(['org_id', 'created_at']).execute();
      await db.schema
        .createTable('campaign_posts')
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
        .addColumn('post_id', 'text', (c) => c.notNull().references('posts.id').onDelete('cascade'))
        .addColumn('added_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('campaign_posts_pk', ['campaign_id', 'post_id'])
        .execute();
      await db.schema.createIndex('campaign_posts_post').on('campaign_posts').columns(['post_id']).execute();
      // Forms (1000) come before campaigns: their link to one is added here.
      await db.schema
        .alterTable('forms')
        .addColumn('campaign_id', 'text', (c) => c.references('campaigns.id').onDelete('set null'))
        .execute();
    },
  },
};
