import SQLite from 'better-sqlite3';

export interface SnapshotFacts {
  migrations: string[];
  rowCounts: Record<string, number>;
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** What a backup promises about its copy: which migrations it has and how many rows each table holds. */
export function readSnapshotFacts(db: SQLite.Database): SnapshotFacts {
  const tables = db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").pluck().all() as string[];
  const rowCounts: Record<string, number> = {};
  for (const table of tables)
    rowCounts[table] = db
      .prepare(`select count(*) from ${quote(table)}`)
      .pluck()
      .get() as number;
  const migrations = tables.includes('chorus_migrations') ? (db.prepare('select name from chorus_migrations order by name').pluck().all() as string[]) : [];
  return { migrations, rowCounts };
}

export function integrityProblems(db: SQLite.Database): string[] {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[];
  const problems = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
  return problems;
}
