import { sql, type Kysely, type Migration } from 'kysely';

export const crmMigrations: Record<string, Migration> = {
  '0500_contacts': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('contacts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('sort_name', 'text', (c) => c.notNull())
        .addColumn('email', 'text')
        .addColumn('company', 'text')
        .addColumn('created_by_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('contacts_sort').on('contacts').columns(['org_id', 'sort_name', 'id']).execute();
      await db.schema
        .createTable('contact_identities')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
        .addColumn('network', 'text', (c) => c.notNull())
        .addColumn('handle', 'text', (c) => c.notNull())
        .addColumn('display_name', 'text')
        .addColumn('profile_url', 'text')
        .addColumn('avatar_url', 'text')
        .addColumn('match_key', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('contact_identities_author', ['org_id', 'network', 'match_key'])
        .execute();
      await db.schema.createIndex('contact_identities_contact').on('contact_identities').columns(['contact_id', 'created_at']).execute();
      await db.schema
        .createTable('contact_notes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
        .addColumn('author_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('author_name', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('contact_notes_contact').on('contact_notes').columns(['contact_id', 'created_at']).execute();
      await db.schema
        .createTable('contact_tags')
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
        .addColumn('tag', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('contact_tags_pk', ['contact_id', 'tag'])
        .execute();
      await db.schema.createIndex('contact_tags_org_tag').on('contact_tags').columns(['org_id', 'tag']).execute();
    },
  },
  '0510_crm_pipeline': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('companies')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('sort_name', 'text', (c) => c.notNull())
        .addColumn('domain', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('companies_domain', ['org_id', 'domain'])
        .execute();
      await db.schema.createIndex('companies_sort').on('companies').columns(['org_id', 'sort_name', 'id']).execute();
      await db.schema
        .alterTable('contacts')
        .addColumn('phones', 'text', (c) => c.notNull().defaultTo('[]'))
        .execute();
      await db.schema
        .alterTable('contacts')
        .addColumn('custom_fields', 'text', (c) => c.notNull().defaultTo('{}'))
        .execute();
      await db.schema
        .alterTable('contacts')
        .addColumn('owner_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
        .execute();
      await db.schema
        .alterTable('contacts')
        .addColumn('stage', 'text', (c) => c.notNull().defaultTo('subscriber'))
        .execute();
      await db.schema
        .alterTable('contacts')
        .addColumn('score', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('contacts')
        .addColumn('company_id', 'text', (c) => c.references('companies.id').onDelete('set null'))
        .execute();
      await db.schema.alterTable('contacts').addColumn('email_key', 'text').execute();
      // Existing contacts answer for their email unless another contact of the org has it too.
      await sql`update contacts set email_key = lower(email) where email is not null and not exists (
        select 1 from contacts other where other.org_id = contacts.org_id and other.id <> contacts.id and lower(other.email) = lower(contacts.email))`.execute(
        db,
      );
      await db.schema.createIndex('contacts_email_key').on('contacts').columns(['org_id', 'email_key']).unique().execute();
      await db.schema.createIndex('contacts_company').on('contacts').columns(['company_id']).execute();
      await db.schema
        .createTable('crm_settings')
        .addColumn('org_id', 'text', (c) => c.primaryKey().references('orgs.id').onDelete('cascade'))
        .addColumn('stages', 'text', (c) => c.notNull())
        .addColumn('scoring_rules', 'text', (c) => c.notNull())
        .addColumn('custom_fields', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('contact_interactions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('ref_id', 'text')
        .addColumn('detail', 'text')
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('contact_interactions_contact').on('contact_interactions').columns(['contact_id', 'at']).execute();
      await db.schema
        .createTable('contact_stage_changes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
        .addColumn('from_stage', 'text')
        .addColumn('to_stage', 'text', (c) => c.notNull())
        .addColumn('changed_by_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('contact_stage_changes_contact').on('contact_stage_changes').columns(['contact_id', 'at']).execute();
      await db.schema
        .createTable('tasks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('due_at', 'text')
        .addColumn('assignee_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('contact_id', 'text', (c) => c.references('contacts.id').onDelete('cascade'))
        .addColumn('conversation_id', 'text')
        .addColumn('post_id', 'text')
        .addColumn('item_id', 'text')
        .addColumn('team_post_id', 'text')
        .addColumn('done_at', 'text')
        .addColumn('reminded_at', 'text')
        .addColumn('created_by_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('tasks_assignee_due').on('tasks').columns(['org_id', 'assignee_user_id', 'done_at', 'due_at']).execute();
      await db.schema.createIndex('tasks_contact').on('tasks').columns(['contact_id']).execute();
      // The reminder loop reads due tasks of every org: open ones, not yet reminded, by due time.
      await db.schema.createIndex('tasks_reminders').on('tasks').columns(['reminded_at', 'done_at', 'due_at']).execute();
    },
  },
};
