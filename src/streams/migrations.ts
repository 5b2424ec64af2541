import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';
import { rebuildSqliteTable } from '../store/sqlite-rebuild.js';
import { fillMissingAuthorKeys, fillMissingFeedScopes, fillMissingItemViews, fillMissingViewTags } from './stored-views.js';

const isPostgres = (db: Kysely<any>): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

export const streamsMigrations: Record<string, Migration> = {
  '0400_streams': {
    async up(db: Kysely<any>) {
      const postgres = isPostgres(db);
      await db.schema
        .createTable('stream_items')
        // SQLite FTS5 external content needs an integer key that VACUUM does not renumber. PostgreSQL
        // does not use it, so there it is a plain column: an import carrying old values cannot collide.
        .addColumn('seq', postgres ? 'bigserial' : 'integer', (c) => (postgres ? c : c.primaryKey()))
        .addColumn('id', 'text', (c) => (postgres ? c.primaryKey() : c.notNull().unique()))
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('network', 'text', (c) => c.notNull())
        .addColumn('remote_id', 'text', (c) => c.notNull())
        .addColumn('channel_account_id', 'text')
        .addColumn('url', 'text')
        .addColumn('author_handle', 'text', (c) => c.notNull())
        .addColumn('author_display_name', 'text', (c) => c.notNull())
        .addColumn('author_avatar_url', 'text')
        .addColumn('author_profile_url', 'text')
        .addColumn('title', 'text')
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('html', 'text')
        .addColumn('search_text', 'text', (c) => c.notNull())
        .addColumn('links', 'text', (c) => c.notNull())
        .addColumn('media', 'text', (c) => c.notNull())
        .addColumn('reply_to_remote_id', 'text')
        .addColumn('quote_of_remote_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('language', 'text')
        .addColumn('metrics', 'text')
        .addColumn('fetched_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('stream_items_remote', ['org_id', 'network', 'remote_id'])
        .execute();
      // Search results and retention walk an org's items newest first.
      await db.schema.createIndex('stream_items_org_created').on('stream_items').columns(['org_id', 'created_at']).execute();
      await db.schema.createIndex('stream_items_org_fetched').on('stream_items').columns(['org_id', 'fetched_at']).execute();

      await db.schema
        .createTable('boards')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('owner_user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('shared', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('boards_org_owner').on('boards').columns(['org_id', 'owner_user_id']).execute();

      await db.schema
        .createTable('stream_columns')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('board_id', 'text', (c) => c.notNull().references('boards.id').onDelete('cascade'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('channel_account_id', 'text', (c) => c.references('channel_accounts.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('target', 'text')
        .addColumn('width', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('filters', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('stream_columns_board').on('stream_columns').column('board_id').execute();
      await db.schema.createIndex('stream_columns_source').on('stream_columns').columns(['org_id', 'channel_account_id', 'kind', 'target']).execute();

      await db.schema
        .createTable('column_items')
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('column_id', 'text', (c) => c.notNull().references('stream_columns.id').onDelete('cascade'))
        .addColumn('item_id', 'text', (c) => c.notNull().references('stream_items.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('read', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('column_items_pk', ['column_id', 'item_id'])
        .execute();
      // A column page: newest first from one index range.
      await db.schema.createIndex('column_items_page').on('column_items').columns(['column_id', 'created_at', 'item_id']).execute();
      await db.schema.createIndex('column_items_unread').on('column_items').columns(['column_id', 'read']).execute();
      await db.schema.createIndex('column_items_item').on('column_items').column('item_id').execute();

      await db.schema
        .createTable('item_states')
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('item_id', 'text', (c) => c.primaryKey().references('stream_items.id').onDelete('cascade'))
        .addColumn('assigned_to_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('ingest_jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('channel_account_id', 'text', (c) => c.notNull().references('channel_accounts.id').onDelete('cascade'))
        .addColumn('network', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('next_poll_at', 'text', (c) => c.notNull())
        .addColumn('interval_ms', 'integer', (c) => c.notNull())
        .addColumn('lease_owner', 'text')
        .addColumn('lease_expires_at', 'text')
        .addColumn('poll_state', 'text')
        .addColumn('newest_remote_id', 'text')
        .addColumn('budget_window_start', 'text', (c) => c.notNull())
        .addColumn('budget_used', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_polled_at', 'text')
        .addColumn('last_error', 'text')
        .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint('ingest_jobs_source', ['org_id', 'channel_account_id', 'kind', 'target'])
        .execute();
      await db.schema.createIndex('ingest_jobs_due').on('ingest_jobs').column('next_poll_at').execute();

      await db.schema
        .createTable('stream_settings')
        .addColumn('org_id', 'text', (c) => c.primaryKey().references('orgs.id').onDelete('cascade'))
        .addColumn('retention_days', 'integer', (c) => c.notNull())
        .execute();

      if (postgres) {
        // In public, not the store's schema: an extension is per database, and dropping a schema drops what lives in it.
        await sql`create extension if not exists pg_trgm with schema public`.execute(db);
        const { rows } = await sql<{
          schema: string;
        }>`select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'`.execute(db);
        // Serves LIKE '%…%' for patterns of any length (Japanese has no spaces to split words on).
        await sql`create index stream_items_search_trgm on stream_items using gin (search_text ${sql.id(rows[0]!.schema, 'gin_trgm_ops')})`.execute(db);
      } else {
        // Trigram tokens index any 3+ character substring; shorter queries scan (see search/search.ts).
        await sql`create virtual table stream_items_fts using fts5(search_text, content='stream_items', content_rowid='seq', tokenize='trigram')`.execute(db);
        await sql`create trigger stream_items_fts_insert after insert on stream_items begin
          insert into stream_items_fts(rowid, search_text) values (new.seq, new.search_text);
        end`.execute(db);
        await sql`create trigger stream_items_fts_delete after delete on stream_items begin
          insert into stream_items_fts(stream_items_fts, rowid, search_text) values ('delete', old.seq, old.search_text);
        end`.execute(db);
        await sql`create trigger stream_items_fts_update after update of search_text on stream_items begin
          insert into stream_items_fts(stream_items_fts, rowid, search_text) values ('delete', old.seq, old.search_text);
          insert into stream_items_fts(rowid, search_text) values (new.seq, new.search_text);
        end`.execute(db);
      }
    },
  },
  '0401_stream_item_views': {
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('stream_items')
        .addColumn('view', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema
        .alterTable('stream_items')
        .addColumn('image_urls', 'text', (c) => c.notNull().defaultTo('[]'))
        .execute();
      await fillMissingItemViews(db);
    },
  },
  '0402_search_index_without_positions': {
    // The trigram index kept every trigram's positions, which only phrase queries need; search now
    // ANDs single trigrams and checks the whole term in the stored text (search/search.ts). Without
    // positions the index is about half the size and ingest writes less. PostgreSQL: nothing to do.
    async up(db: Kysely<any>) {
      if (isPostgres(db)) return;
      await sql`drop table stream_items_fts`.execute(db);
      await sql`create virtual table stream_items_fts using fts5(search_text, content='stream_items', content_rowid='seq', tokenize='trigram', detail=none)`.execute(
        db,
      );
      await sql`insert into stream_items_fts(stream_items_fts) values ('rebuild')`.execute(db);
    },
  },
  '0403_ingest_jobs_watched_until': {
    // Until when an open dashboard shows the job's columns (see watched-jobs.ts); in the database so every process sees it.
    async up(db: Kysely<any>) {
      await db.schema.alterTable('ingest_jobs').addColumn('watched_until', 'text').execute();
    },
  },
  '0404_stream_items_author_key': {
    // Who wrote an item, as the CRM matches contacts (core/networks authorKey()): the from-contacts
    // filter and a contact's timeline look items up by it.
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('stream_items')
        .addColumn('author_key', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await fillMissingAuthorKeys(db);
      await db.schema.createIndex('stream_items_author').on('stream_items').columns(['org_id', 'author_key', 'created_at']).execute();
    },
  },
  '0405_feed_item_identity': {
    // A guid is unique within its feed only: two feeds whose entries both say <guid>1</guid> were
    // stored as one item, the second feed's column showing the first feed's entry. A feed entry is
    // now (feed address, guid); posts of Bluesky, Mastodon and X keep an empty scope and dedupe as
    // before. Also the flag for times a feed did not give exactly (unreadable dates).
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('stream_items')
        .addColumn('id_scope', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema
        .alterTable('stream_items')
        .addColumn('created_at_approximate', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      // Each stored entry belongs to the feed that fetched it first; read, done and assignees stay on it.
      await fillMissingFeedScopes(db);
      // Memberships in another feed's columns showed that feed an entry that was not its own: dropped.
      await sql`delete from column_items where exists (
        select 1 from stream_items join stream_columns on stream_columns.id = column_items.column_id
        where stream_items.id = column_items.item_id and stream_items.network = 'feed' and stream_columns.channel_account_id <> stream_items.channel_account_id)`.execute(
        db,
      );
      // Every feed is read whole at its next poll, now: the entries merged away come back, and so do
      // the entries of long feeds that polls of the newest 50 never stored. (Written at upgrade time.)
      await db
        .updateTable('ingest_jobs')
        .set({ poll_state: null, newest_remote_id: null, next_poll_at: new Date().toISOString() })
        .where('network', '=', 'feed')
        .execute();
      if (isPostgres(db)) {
        await sql`alter table stream_items drop constraint stream_items_remote`.execute(db);
        await sql`alter table stream_items add constraint stream_items_remote unique (org_id, network, id_scope, remote_id)`.execute(db);
      } else {
        await rebuildSqliteTable(db, 'stream_items', (create) =>
          create.replace(
            'constraint "stream_items_remote" unique ("org_id", "network", "remote_id")',
            'constraint "stream_items_remote" unique ("org_id", "network", "id_scope", "remote_id")',
          ),
        );
      }
    },
  },
  '0406_stream_items_tagged': {
    // What the network tagged an item with, which the inbox and the item card need: mentioned
    // accounts, hashtags, the link card's title, and whether it is a direct message.
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('stream_items')
        .addColumn('mentions', 'text', (c) => c.notNull().defaultTo('[]'))
        .execute();
      await db.schema
        .alterTable('stream_items')
        .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
        .execute();
      await db.schema.alterTable('stream_items').addColumn('card_title', 'text').execute();
      await db.schema
        .alterTable('stream_items')
        .addColumn('is_direct', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await fillMissingViewTags(db);
    },
  },
  '0407_item_reactions': {
    // Which items an account of the org liked or reposted through Chorus, with the network's record
    // of it (a Bluesky like/repost uri; the status id on Mastodon): what the item shows and undo deletes.
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('item_reactions')
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('item_id', 'text', (c) => c.notNull().references('stream_items.id').onDelete('cascade'))
        .addColumn('channel_account_id', 'text', (c) => c.notNull().references('channel_accounts.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('record_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('item_reactions_pk', ['item_id', 'channel_account_id', 'kind'])
        .execute();
    },
  },
  '0408_push_cursors': {
    // The Bluesky push reader's place in its event stream survives a restart (see PushCursorsTable).
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('push_cursors')
        .addColumn('url', 'text', (c) => c.primaryKey())
        .addColumn('cursor', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0409_item_reactions_undone_at': {
    // An undo keeps the row with its time, so a poll that read the network before the undo cannot bring the reaction back.
    async up(db: Kysely<any>) {
      await db.schema.alterTable('item_reactions').addColumn('undone_at', 'text').execute();
    },
  },
};
