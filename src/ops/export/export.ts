import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import * as tar from 'tar';
import { isoNow, type Clock } from '../../lib/clock.js';
import { migrationStatus } from '../../store/migrations.js';
import type { Store } from '../../store/store.js';
import { noProgress, type Progress } from '../progress.js';
import { ExportError } from './errors.js';
import { EXPORT_FORMAT_VERSION, ExportManifest } from './format.js';
import { rowToLine } from './json-lines.js';
import { orgOwnedTables, userReferences } from './org-tables.js';
import { discoverTables } from './schema-discovery.js';

export interface ExportOptions {
  clock: Clock;
  /** Operators moving an instance keep the hashes so people sign in as before; an org owner's download never carries teammates' hashes. */
  includePasswordHashes: boolean;
  progress?: Progress;
}

/**
 * Writes one org's data to `destination` as a .tar.gz: manifest.json and tables/<table>.jsonl.
 * All reads happen in one transaction, so the archive is a consistent snapshot.
 */
export async function exportOrg(store: Store, orgId: string, destination: string, options: ExportOptions): Promise<ExportManifest> {
  const progress = options.progress ?? noProgress;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-export-'));
  try {
    fs.mkdirSync(path.join(work, 'tables'));
    const shapes = await discoverTables(store);
    const owned = orgOwnedTables(shapes);
    const applied = (await migrationStatus(store)).applied;
    const manifest = await snapshot(store.db, store.dialect, async (db) => {
      const org = await db.selectFrom('orgs').selectAll().where('id', '=', orgId).executeTakeFirst();
      if (!org) throw new ExportError('org_not_found', `No organization ${orgId}`);
      const tables: ExportManifest['tables'] = [writeTable(work, 'orgs', [org])];
      const userIds = new Set<string>();
      for (const [index, table] of owned.entries()) {
        const rows = await db.selectFrom(table.name).selectAll().where('org_id', '=', orgId).execute();
        for (const ref of userReferences([table])) for (const row of rows) if (row[ref.column]) userIds.add(row[ref.column]);
        tables.push(writeTable(work, table.name, rows));
        progress('export', (index + 1) / (owned.length + 1));
      }
      const users = userIds.size ? await db.selectFrom('users').selectAll().where('id', 'in', [...userIds]).execute() : [];
      tables.push(writeTable(work, 'users', options.includePasswordHashes ? users : users.map(({ password_hash: _, ...rest }) => rest)));
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
    await tar.c({ gzip: true, file: destination, cwd: work, portable: true }, ['manifest.json', 'tables']);
    return manifest;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function snapshot<T>(db: Kysely<any>, dialect: Store['dialect'], read: (db: Kysely<any>) => Promise<T>): Promise<T> {
  const transaction = dialect === 'postgres' ? db.transaction().setIsolationLevel('repeatable read') : db.transaction();
  return transaction.execute(read);
}

function writeTable(work: string, name: string, rows: Record<string, unknown>[]): ExportManifest['tables'][number] {
  const lines = rows.map((row) => rowToLine(name, row)).sort();
  const content = lines.length ? lines.join('\n') + '\n' : '';
  const file = `tables/${name}.jsonl`;
  fs.writeFileSync(path.join(work, file), content);
  return { name, file, rows: lines.length, bytes: Buffer.byteLength(content), sha256: createHash('sha256').update(content).digest('hex') };
}
