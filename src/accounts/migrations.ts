import { randomUUID } from 'node:crypto';
import type { Kysely, Migration } from 'kysely';

export const accountsMigrations: Record<string, Migration> = {
  '0001_accounts': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('locale', 'text', (c) => c.notNull().defaultTo('en'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('ip', 'text', (c) => c.notNull())
        .addColumn('user_agent', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
      await db.schema
        .createTable('api_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('expires_at', 'text')
        .execute();
      await db.schema
        .createTable('login_failures')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('login_failures_scope_key_at').on('login_failures').columns(['scope', 'key', 'at']).execute();
    },
  },
  '0005_session_ids_and_two_factor': {
    async up(db: Kysely<any>) {
      // Sessions get a public id for the sessions list; existing ones are given one here.
      await db.schema
        .alterTable('sessions')
        .addColumn('id', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      for (const { id_hash } of await db.selectFrom('sessions').select('id_hash').execute()) {
        await db.updateTable('sessions').set({ id: randomUUID() }).where('id_hash', '=', id_hash).execute();
      }
      await db.schema.createIndex('sessions_id').on('sessions').column('id').unique().execute();
      await db.schema
        .createTable('two_factor_credentials')
        .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
        .addColumn('sealed_secret', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('enabled_at', 'text')
        .addColumn('last_used_step', 'integer')
        .execute();
      await db.schema
        .createTable('two_factor_recovery_codes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .execute();
      await db.schema.createIndex('two_factor_recovery_codes_user').on('two_factor_recovery_codes').columns(['user_id', 'code_hash']).execute();
    },
  },
  '0003_login_throttle_pairs': {
    // Throttling moved from per-account locks to per-(account, address) limits: one row per
    // failure, counted by account or by address. Old rows only matter for 15 minutes; drop them.
    async up(db: Kysely<any>) {
      await db.schema.dropTable('login_failures').execute();
      await db.schema
        .createTable('login_failures')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('login_failures_account_at').on('login_failures').columns(['account', 'at']).execute();
      await db.schema.createIndex('login_failures_address_at').on('login_failures').columns(['address', 'at']).execute();
    },
  },
  '0004_password_resets': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('password_resets')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('password_resets_user_created').on('password_resets').columns(['user_id', 'created_at']).execute();
      await db.schema
        .createTable('password_reset_requests')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('password_reset_requests_address_at').on('password_reset_requests').columns(['address', 'at']).execute();
    },
  },
};
