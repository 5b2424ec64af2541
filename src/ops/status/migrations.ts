import type { Kysely, Migration } from 'kysely';

export const statusMigrations: Record<string, Migration> = {
  '0300_status': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('status_periods')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('component', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('ended_at', 'text')
        .addColumn('last_probe_at', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('status_periods_component_started').on('status_periods').columns(['component', 'started_at']).execute();
      await db.schema
        .createTable('status_incidents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('components', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('resolved_at', 'text')
        .execute();
      await db.schema
        .createTable('status_incident_updates')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('status_incidents.id').onDelete('cascade'))
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('status_incident_updates_incident').on('status_incident_updates').columns(['incident_id', 'at']).execute();
    },
  },
};
