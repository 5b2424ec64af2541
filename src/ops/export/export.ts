import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely, type SqlBool } from 'kysely';
import { isoNow, type Clock } from '../../lib/clock.js';
import { inSnapshot } from '../../store/dialect-sql.js';
import { appliedMigrations } from '../../store/migrations.js';
import type { Store } from '../../store/store.js';
import { noProgress, type Progress } from '../progress.js';
import { ExportError } from './errors.js';
import { EXPORT_FORMAT_VERSION, ExportManifest } from './format.js';
import { rowToLine } from './json-lines.js';
import { orgOwnedTables, userReferences } from './org-tables.js';
import { discoverTables, type TableShape } from '../../store/schema-discovery.js';
import { TableFile } from './table-file.js';
import { tablePages, type RowFilter } from './table-pages.js';

export interface ExportOptions {
  clock: Clock;
  /** Operators moving an instance keep the hashes so people sign in as before; an org owner's download never carries teammates' hashes. */
  includePasswordHashes: boolean;
  progress?: Progress;
}

/**
 * Writes one org's data to `destination` as a .tar.gz: manifest.json and tables/<table>.jsonl.
 * All reads happen in one transaction, so the archive is a consistent snapshot; tables are read
 * in pages, so memory stays flat however large the org is.
 */
export async function exportOrg(store: Store, orgId: string, destination: string, options: ExportOptions): Promise<ExportManifest> {
  const progress = options.progress ?? noProgress;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-export-'));
  try {
    fs.mkdirSync(path.join(work, 'tables'));
    const shapes = await discoverTables(store);
    const owned = orgOwnedTables(shapes);
    const applied = await appliedMigrations(store);
    const manifest = await inSnapshot(store, async (db) => {
      const org = await db.selectFrom('orgs').select(['id', 'name']).where('id', '=', orgId).executeTakeFirst();
      if (!org) throw new ExportError('org_not_found', `No organization ${orgId}`);
      const tables: ExportManifest['tables'] = [await writeTable(db, work, shapes.get('orgs')!, [], (eb) => eb('id', '=', orgId))];
      const userIds = new Set<string>();
      for (const [index, table] of owned.entries()) {
        const references = userReferences([table]);
        const collectUsers = (rows: Record<string, unknown>[]) => {
          for (const ref of references) for (const row of rows) if (typeof row[ref.column] === 'string') userIds.add(row[ref.column] as string);
        };
        tables.push(await writeTable(db, work, table, [], (eb) => eb('org_id', '=', orgId), collectUsers));
        progress('export', (index + 1) / (owned.length + 1));
      }
      const ids = [...userIds];
      const omitted = options.includePasswordHashes ? [] : ['password_hash'];
      tables.push(await writeTable(db, work, shapes.get('users')!, omitted, (eb) => (ids.length ? eb('id', 'in', ids) : sql<SqlBool>`1 = 0`)));
      progress('export', 1);
      return ExportManifest.parse({
        format: 'chorus-export',
        formatVersion: EXPORT_FORMAT_VERSION,
        exportedAt: isoNow(options.clock),
        org: { id: org.id, name: org.name },
        schemaVersion: applied.at(-1) ?? '(empty)',
        migrations: applied,
        passwordHashes: options.includePasswordHashes ? 'included' : 'omitted',
        tables: tables.sort((a, b) => a.name.localeCompare(b.name)),
      });
    });
    fs.writeFileSync(path.join(work, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    await (await import('tar')).c({ gzip: true, file: destination, cwd: work, portable: true }, ['manifest.json', 'tables']);
    return manifest;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Writes tables/<name>.jsonl from the rows `filter` selects, leaving out the `omitted` columns; returns its manifest entry. */
async function writeTable(
  db: Kysely<any>,
  work: string,
  shape: TableShape,
  omitted: string[],
  filter: RowFilter,
  onRows: (rows: Record<string, unknown>[]) => void = () => {},
): Promise<ExportManifest['tables'][number]> {
  const columns = shape.columns.filter((c) => !omitted.includes(c)).sort();
  const binary = new Set(shape.binaryColumns.filter((c) => columns.includes(c)));
  const file = `tables/${shape.name}.jsonl`;
  const output = await TableFile.create(path.join(work, file));
  try {
    for await (const rows of tablePages(db, shape, columns, filter)) {
      onRows(rows);
      await output.add(rows.map((row) => rowToLine(shape.name, row, binary)));
    }
    const written = await output.finish();
    const encodings = binary.size ? { encodings: Object.fromEntries([...binary].sort().map((c) => [c, 'base64' as const])) } : {};
    return { name: shape.name, file, ...written, columns, ...encodings };
  } finally {
    await output.close();
  }
}
