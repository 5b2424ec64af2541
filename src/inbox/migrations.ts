import { sql, type Kysely, type Migration } from 'kysely';

export const inboxMigrations: Record<string, Migration> = {
  '0900_inbox': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('conversations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('network', 'text', (c) => c.notNull())
        .addColumn('channel_account_id', 'text', (c) => c.references('channel_accounts.id').onDelete('set null'))
        .addColumn('author_key', 'text', (c) => c.notNull())
        .addColumn('author_handle', 'text', (c) => c.notNull())
        .addColumn('author_display_name', 'text', (c) => c.notNull())
        .addColumn('author_avatar_url', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('assignee_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('tags', 'text', (c) => c.notNull())
        .addColumn('contact_id', 'text', (c) => c.references('contacts.id').onDelete('set null'))
        .addColumn('opened_at', 'text', (c) => c.notNull())
        .addColumn('last_inbound_at', 'text', (c) => c.notNull())
        .addColumn('last_message_at', 'text', (c) => c.notNull())
        .addColumn('first_response_at', 'text')
        .addColumn('resolved_at', 'text')
        .addColumn('sla_warned_at', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('conversations_recent').on('conversations').columns(['org_id', 'last_message_at', 'id']).execute();
      await db.schema.createIndex('conversations_author').on('conversations').columns(['org_id', 'network', 'author_key']).execute();
      await db.schema
        .createTable('conversation_messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
        .addColumn('network', 'text', (c) => c.notNull())
        .addColumn('direction', 'text', (c) => c.notNull())
        .addColumn('remote_id', 'text')
        .addColumn('item_id', 'text')
        .addColumn('author_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('author_handle', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('url', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('liked', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('reposted', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        // A post is one message of one conversation: the reply chain finds its conversation by it.
        .addUniqueConstraint('conversation_messages_remote', ['org_id', 'network', 'remote_id'])
        .execute();
      await db.schema.createIndex('conversation_messages_thread').on('conversation_messages').columns(['conversation_id', 'created_at']).execute();
      await db.schema
        .createTable('inbox_settings')
        .addColumn('org_id', 'text', (c) => c.primaryKey().references('orgs.id').onDelete('cascade'))
        .addColumn('sla_minutes', 'integer')
        .addColumn('auto_contacts', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('inbox_views')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('owner_user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('filters', 'text', (c) => c.notNull())
        .addColumn('notify', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('inbox_views_owner').on('inbox_views').columns(['org_id', 'owner_user_id']).execute();
    },
  },
  '0901_conversations_opened_in_reply_to': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('conversations').addColumn('opened_in_reply_to', 'text').execute();
      // Conversations filed before this column: their opening message's item says what it answered.
      await sql`update conversations set opened_in_reply_to = (
        select stream_items.reply_to_remote_id from conversation_messages
        join stream_items on stream_items.id = conversation_messages.item_id
        where conversation_messages.conversation_id = conversations.id and conversation_messages.direction = 'inbound'
        order by conversation_messages.created_at, conversation_messages.id limit 1)`.execute(db);
      await db.schema.createIndex('conversations_opened_in_reply_to').on('conversations').columns(['org_id', 'network', 'opened_in_reply_to']).execute();
    },
  },
  '0902_message_reactions_on_items': {
    // Likes and reposts made from the inbox move onto their stream items, the one record both the
    // board and the inbox read since. No record id: each network finds the one the connector made
    // by the post (Bluesky's record key comes from the post's uri).
    async up(db: Kysely<any>) {
      for (const [kind, flag] of [
        ['like', 'liked'],
        ['repost', 'reposted'],
      ] as const) {
        await sql`insert into item_reactions (org_id, item_id, channel_account_id, kind, record_id, created_at, undone_at)
          select conversation_messages.org_id, conversation_messages.item_id, conversations.channel_account_id, ${kind}, null, min(conversation_messages.created_at), null
          from conversation_messages
          join conversations on conversations.id = conversation_messages.conversation_id
          join stream_items on stream_items.id = conversation_messages.item_id
          where ${sql.ref(`conversation_messages.${flag}`)} = 1 and conversations.channel_account_id is not null
          and not exists (select 1 from item_reactions where item_reactions.item_id = conversation_messages.item_id
            and item_reactions.channel_account_id = conversations.channel_account_id and item_reactions.kind = ${kind})
          group by conversation_messages.org_id, conversation_messages.item_id, conversations.channel_account_id`.execute(db);
      }
    },
  },
};
