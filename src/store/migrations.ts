import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import { accountsMigrations } from '../accounts/migrations.js';
import { campaignsMigrations } from '../campaigns/migrations.js';
import { crmMigrations } from '../crm/migrations.js';
import { formsMigrations } from '../forms/migrations.js';
import { idempotencyMigrations } from '../idempotency/migrations.js';
import { notificationsMigrations } from '../notifications/migrations.js';
import { publishingMigrations } from '../publishing/migrations.js';
import { teamsMigrations } from '../teams/migrations.js';
import { channelsMigrations } from '../channels/migrations.js';
import { teamFeedMigrations } from '../channels/team/migrations.js';
import { statusMigrations } from '../ops/status/migrations.js';
import { streamsMigrations } from '../streams/migrations.js';
import type { Store } from './store.js';

/**
 * Every module's migrations, forward-only. Names start with a global sequence number so
 * the order is the same on every install; a new module appends, it never edits a shipped one.
 */
const allMigrations: Record<string, Migration> = {
  ...accountsMigrations,
  ...teamsMigrations,
  ...channelsMigrations,
  ...teamFeedMigrations,
  ...publishingMigrations,
  ...statusMigrations,
  ...streamsMigrations,
  ...notificationsMigrations,
  ...crmMigrations,
  ...idempotencyMigrations,
  ...formsMigrations,
  ...campaignsMigrations,
};

const provider: MigrationProvider = { getMigrations: async () => allMigrations };

export const LATEST_SCHEMA_VERSION = Object.keys(allMigrations).sort().at(-1)!;

/** Every migration this build knows; a backup or export naming others was written by a newer Chorus. */
export const KNOWN_MIGRATIONS: readonly string[] = Object.keys(allMigrations).sort();

function migrator(store: Store): Migrator {
  return new Migrator({
    db: store.db,
    provider,
    migrationTableName: 'chorus_migrations',
    migrationLockTableName: 'chorus_migrations_lock',
    // Modules number their migrations in their own ranges (docs/ARCHITECTURE.md), so a new one may sort before an applied one.
    allowUnorderedMigrations: true,
    // Kysely looks for its bookkeeping tables in every schema unless told which one is ours.
    ...(store.schema ? { migrationTableSchema: store.schema } : {}),
  });
}

export async function migrateToLatest(store: Store): Promise<string[]> {
  const result: MigrationResultSet = await migrator(store).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${String(result.error)}`, { cause: result.error });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Applies the migrations up to and including `name`, in order: how a test sets up the data a later migration meets. */
export async function migrateUpTo(store: Store, name: string): Promise<void> {
  const result = await migrator(store).migrateTo(name);
  if (result.error) throw new Error(`Migrating up to ${name} failed: ${String(result.error)}`, { cause: result.error });
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  /** Applied migrations this build does not know: the store was written by a newer Chorus. */
  unknown: string[];
}

export async function migrationStatus(store: Store): Promise<MigrationStatus> {
  const known = await migrator(store).getMigrations();
  const appliedNames = await appliedMigrationNames(store);
  return {
    applied: known.filter((m) => m.executedAt).map((m) => m.name),
    pending: known.filter((m) => !m.executedAt).map((m) => m.name),
    unknown: appliedNames.filter((name) => !(name in allMigrations)),
  };
}

async function appliedMigrationNames(store: Store): Promise<string[]> {
  try {
    const rows = await (store.db as any).selectFrom('chorus_migrations').select('name').execute();
    return rows.map((r: { name: string }) => r.name);
  } catch {
    return [];
  }
}
