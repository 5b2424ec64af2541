import { accountsMigrations } from '../accounts/migrations.js';
import { analyticsMigrations } from '../analytics/migrations.js';
import { campaignsMigrations } from '../campaigns/migrations.js';
import { formsMigrations } from '../forms/migrations.js';
import { channelsMigrations } from '../channels/migrations.js';
import { crmMigrations } from '../crm/migrations.js';
import { idempotencyMigrations } from '../idempotency/migrations.js';
import { inboxMigrations } from '../inbox/migrations.js';
import { lineMigrations } from '../channels/line/migrations.js';
import { metaMigrations } from '../channels/facebook/migrations.js';
import { notificationsMigrations } from '../notifications/migrations.js';
import { statusMigrations } from '../ops/status/migrations.js';
import { publishingMigrations } from '../publishing/migrations.js';
import { publicMediaMigrations } from '../public-media/migrations.js';
import * as runner from '../store/migrations.js';
import type { MigrationStatus } from '../store/migrations.js';
import type { Store } from '../store/store.js';
import { streamsMigrations } from '../streams/migrations.js';
import { teamFeedMigrations } from '../team-feed/migrations.js';
import { teamsMigrations } from '../teams/migrations.js';

/** Every module's migrations: a new module adds its record here, and never edits a shipped migration. */
export const CHORUS_MIGRATIONS: runner.MigrationList = {
  ...accountsMigrations,
  ...teamsMigrations,
  ...channelsMigrations,
  ...teamFeedMigrations,
  ...lineMigrations,
  ...metaMigrations,
  ...publishingMigrations,
  ...statusMigrations,
  ...streamsMigrations,
  ...notificationsMigrations,
  ...crmMigrations,
  ...idempotencyMigrations,
  ...inboxMigrations,
  ...analyticsMigrations,
  ...formsMigrations,
  ...campaignsMigrations,
  ...publicMediaMigrations,
};

/** Every migration this build knows; a backup or export naming others was written by a newer Chorus. */
export const KNOWN_MIGRATIONS: readonly string[] = Object.keys(CHORUS_MIGRATIONS).sort();

export const migrateToLatest = (store: Store): Promise<string[]> => runner.migrateToLatest(store, CHORUS_MIGRATIONS);

/** Applies the migrations up to and including `name`, in order: how a test sets up the data a later migration meets. */
export const migrateUpTo = (store: Store, name: string): Promise<void> => runner.migrateUpTo(store, CHORUS_MIGRATIONS, name);

export const migrationStatus = (store: Store): Promise<MigrationStatus> => runner.migrationStatus(store, CHORUS_MIGRATIONS);
