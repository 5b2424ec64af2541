import { Migrator, type Migration, type MigrationResultSet } from 'kysely';
import type { Store } from './store.js';

/**
 * A build's migrations, forward-only, keyed by name. Names start with a global sequence number
 * so the order is the same on every install; the app assembles the list (src/app/migrations.ts),
 * this runner knows no module.
 */
export type MigrationList = Readonly<Record<string, Migration>>;

function migrator(store: Store, migrations: MigrationList): Migrator {
  return new Migrator({
    db: store.db,
    provider: { getMigrations: async () => ({ ...migrations }) },
    migrationTableName: 'chorus_migrations',
    migrationLockTableName: 'chorus_migrations_lock',
    // Modules number their migrations in their own ranges (docs/ARCHITECTURE.md), so a new one may sort before an applied one.
    allowUnorderedMigrations: true,
    // Kysely looks for its bookkeeping tables in every schema unless told which one is ours.
    ...(store.schema ? { migrationTableSchema: store.schema } : {}),
  });
}

export async function migrateToLatest(store: Store, migrations: MigrationList): Promise<string[]> {
  const result: MigrationResultSet = await migrator(store, migrations).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${String(result.error)}`, { cause: result.error });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Applies the migrations up to and including `name`, in order: how a test sets up the data a later migration meets. */
export async function migrateUpTo(store: Store, migrations: MigrationList, name: string): Promise<void> {
  const result = await migrator(store, migrations).migrateTo(name);
  if (result.error) throw new Error(`Migrating up to ${name} failed: ${String(result.error)}`, { cause: result.error });
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  /** Applied migrations this build does not know: the store was written by a newer Chorus. */
  unknown: string[];
}

export async function migrationStatus(store: Store, migrations: MigrationList): Promise<MigrationStatus> {
  const known = await migrator(store, migrations).getMigrations();
  const appliedNames = await appliedMigrations(store);
  return {
    applied: known.filter((m) => m.executedAt).map((m) => m.name),
    pending: known.filter((m) => !m.executedAt).map((m) => m.name),
    unknown: appliedNames.filter((name) => !(name in migrations)),
  };
}

/** The names the store records as applied, sorted (none before the first migration ran). */
export async function appliedMigrations(store: Store): Promise<string[]> {
  try {
    const rows = await (store.db as any).selectFrom('chorus_migrations').select('name').orderBy('name').execute();
    return rows.map((r: { name: string }) => r.name);
  } catch {
    return [];
  }
}
