import type { Kysely, Migration } from 'kysely';
import { bytesColumnType } from '../store/dialect-sql.js';

export const teamFeedMigrations: Record<string, Migration> = {
  '0110_team_feed': {
    async up(db: Kysely<any>) {
      const bytes = bytesColumnType(db);
      const orgId = (c: any) => c.notNull().references('orgs.id').onDelete('cascade');
      await db.schema
        .createTable('team_groups')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', orgId)
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('team_groups_name', ['org_id', 'name'])
        .execute();
      await db.schema
        .createTable('team_group_members')
        .addColumn('org_id', 'text', orgId)
        .addColumn('group_id', 'text', (c) => c.notNull().references('team_groups.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('joined_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('team_group_members_pk', ['group_id', 'user_id'])
        .execute();
      await db.schema
        .createTable('team_posts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', orgId)
        .addColumn('author_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('group_id', 'text', (c) => c.references('team_groups.id').onDelete('cascade'))
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('team_posts_idempotency', ['org_id', 'idempotency_key'])
        .execute();
      await db.schema.createIndex('team_posts_org_created').on('team_posts').columns(['org_id', 'created_at', 'id']).execute();
      await db.schema
        .createTable('team_post_mentions')
        .addColumn('org_id', 'text', orgId)
        .addColumn('post_id', 'text', (c) => c.notNull().references('team_posts.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('team_post_mentions_pk', ['post_id', 'user_id'])
        .execute();
      await db.schema.createIndex('team_post_mentions_user').on('team_post_mentions').columns(['org_id', 'user_id']).execute();
      await db.schema
        .createTable('team_attachments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', orgId)
        .addColumn('post_id', 'text', (c) => c.notNull().references('team_posts.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('data', bytes, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('team_attachments_post').on('team_attachments').column('post_id').execute();
    },
  },
};
