import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { Kysely } from 'kysely';
import { deferForeignKeys } from '../../store/dialect-sql.js';
import { appliedMigrations } from '../../store/migrations.js';
import { isStoreUnavailable } from '../../store/outage.js';
import { fillMissingAuthorKeys, fillMissingFeedScopes, fillMissingItemViews, fillMissingViewTags } from '../../streams/stored-views.js';
import type { Store } from '../../store/store.js';
import { sha256File } from '../backup/extract.js';
import { noProgress, type Progress } from '../progress.js';
import { ExportError } from './errors.js';
import { EXPORT_FORMAT_VERSION, ExportManifest, PASSWORD_NOT_EXPORTED } from './format.js';
import { lineShapesFor } from './declarations.js';
import { lineToRow, type LineShape } from './json-lines.js';
import { discoverTables, insertionOrder } from '../../store/schema-discovery.js';

const ALLOWED_ENTRY = /^(manifest\.json|tables\/?|tables\/[a-z][a-z0-9_]{0,62}\.jsonl)$/;
const BATCH = 200;
/** Attachments are up to a megabyte a row: a batch also ends at about this much text. */
const BATCH_BYTES = 8 * 1024 * 1024;

export interface ImportResult {
  manifest: ExportManifest;
  rows: number;
}

/**
 * Loads an export archive into an empty instance. The whole archive is checked first (entries,
 * manifest, format and schema versions, every checksum, the manifest's tables and columns against
 * this schema); then all rows go in through one transaction, each checked against what the
 * manifest declares (columns, encodings, org, row counts), so a failure leaves the instance as
 * empty as it was.
 */
export async function importArchive(store: Store, archive: string, progress: Progress = noProgress): Promise<ImportResult> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-import-'));
  try {
    await unpack(archive, work);
    // The target store was migrated by this build: an archive naming a migration it has not applied comes from a newer Chorus.
    const manifest = readManifest(work, await appliedMigrations(store));
    refuseUnlistedFiles(work, manifest);
    await verifyChecksums(work, manifest, progress);
    const shapes = await discoverTables(store);
    const lineShapes = lineShapesFor(manifest, shapes);
    await refuseNonEmpty(store.db);
    const ordered = insertionOrder(manifest.tables.map((t) => shapes.get(t.name)!));
    let rows = 0;
    try {
      await store.db.transaction().execute(async (tx) => {
        await deferForeignKeys(store.dialect, tx);
        for (const [index, shape] of ordered.entries()) {
          rows += await loadTable(tx, work, manifest, shape.name, lineShapes.get(shape.name)!);
          progress('import', (index + 1) / ordered.length);
        }
        // An archive from before stream_items.view, author_key, id_scope or the tagged columns (mentions, tags, card_title, is_direct) existed: derive what its rows left empty.
        await fillMissingItemViews(tx);
        await fillMissingViewTags(tx);
        await fillMissingAuthorKeys(tx);
        await fillMissingFeedScopes(tx);
      });
    } catch (error) {
      if (error instanceof ExportError || isStoreUnavailable(error)) throw error;
      // Every row passed the checks above, so the store refused what they say together (a key, a reference).
      throw new ExportError('archive_corrupt', `The store refused the archive's rows, so nothing was imported: ${(error as Error).message}`);
    }
    return { manifest, rows };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function unpack(archive: string, work: string): Promise<void> {
  const refused: string[] = [];
  try {
    await (
      await import('tar')
    ).x({
      file: archive,
      cwd: work,
      strict: true,
      filter: (entryPath, entry) => {
        const type = 'type' in entry ? entry.type : 'File';
        const ok = ALLOWED_ENTRY.test(entryPath) && (type === 'File' || type === 'Directory');
        if (!ok) refused.push(entryPath);
        return ok;
      },
    });
  } catch (error) {
    throw new ExportError('archive_corrupt', `The archive cannot be read (it must be a .tar.gz made by chorus export): ${(error as Error).message}`);
  }
  if (refused.length) throw new ExportError('archive_corrupt', `The archive holds entries an export never has: ${refused.slice(0, 5).join(', ')}`);
}

function readManifest(work: string, applied: readonly string[]): ExportManifest {
  const file = path.join(work, 'manifest.json');
  if (!fs.existsSync(file)) throw new ExportError('archive_corrupt', 'The archive has no manifest.json');
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    throw new ExportError('archive_corrupt', 'manifest.json is not valid JSON');
  }
  const version = (json as { formatVersion?: unknown })?.formatVersion;
  if (typeof version === 'number' && version > EXPORT_FORMAT_VERSION) {
    throw new ExportError(
      'archive_from_newer_chorus',
      `The archive uses export format ${version}; this Chorus reads up to ${EXPORT_FORMAT_VERSION}. Upgrade Chorus to import it.`,
    );
  }
  const parsed = ExportManifest.safeParse(json);
  if (!parsed.success)
    throw new ExportError('archive_corrupt', `manifest.json is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const unknown = parsed.data.migrations.filter((m) => !applied.includes(m));
  if (unknown.length) {
    throw new ExportError(
      'archive_from_newer_chorus',
      `The archive was exported by a newer Chorus (schema ${parsed.data.schemaVersion}; unknown migrations: ${unknown.join(', ')}). Upgrade Chorus to import it.`,
    );
  }
  const names = parsed.data.tables.map((t) => t.name);
  if (new Set(names).size !== names.length || parsed.data.tables.some((t) => t.file !== `tables/${t.name}.jsonl`)) {
    throw new ExportError('archive_corrupt', 'manifest.json lists a table twice or under another file name');
  }
  for (const required of ['orgs', 'users']) if (!names.includes(required)) throw new ExportError('archive_corrupt', `manifest.json lists no ${required} table`);
  const orgs = parsed.data.tables.find((t) => t.name === 'orgs')!;
  if (orgs.rows !== 1)
    throw new ExportError('archive_corrupt', `manifest.json says the orgs table has ${orgs.rows} rows; an export holds exactly one organization`);
  return parsed.data;
}

/** A table file the manifest does not list would be silently skipped; an export never has one, so it is refused. */
function refuseUnlistedFiles(work: string, manifest: ExportManifest): void {
  const dir = path.join(work, 'tables');
  const listed = new Set(manifest.tables.map((t) => t.file));
  const unlisted = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .map((name) => `tables/${name}`)
        .filter((file) => !listed.has(file))
    : [];
  if (unlisted.length) throw new ExportError('archive_corrupt', `The archive holds ${unlisted.join(', ')}, which its manifest does not list`);
}

async function verifyChecksums(work: string, manifest: ExportManifest, progress: Progress): Promise<void> {
  for (const [index, table] of manifest.tables.entries()) {
    const file = path.join(work, table.file);
    if (!fs.existsSync(file)) throw new ExportError('archive_corrupt', `The archive lacks ${table.file}, which its manifest lists`);
    const size = fs.statSync(file).size;
    const sha256 = await sha256File(file);
    if (size !== table.bytes || sha256 !== table.sha256) {
      throw new ExportError('archive_checksum_mismatch', `${table.file} does not match its checksum in manifest.json (truncated or altered)`);
    }
    progress('checksums', (index + 1) / manifest.tables.length);
  }
}

async function refuseNonEmpty(db: Kysely<any>): Promise<void> {
  const users = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  const orgs = await db
    .selectFrom('orgs')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  if (Number(users.n) > 0 || Number(orgs.n) > 0) {
    throw new ExportError('instance_not_empty', `Import needs an empty instance; this one has ${users.n} user(s) and ${orgs.n} organization(s)`);
  }
}

async function loadTable(tx: Kysely<any>, work: string, manifest: ExportManifest, table: string, shape: LineShape): Promise<number> {
  const entry = manifest.tables.find((t) => t.name === table)!;
  const lines = readline.createInterface({ input: fs.createReadStream(path.join(work, entry.file), 'utf8'), crlfDelay: Infinity });
  let batch: Record<string, unknown>[] = [];
  let batchBytes = 0;
  let count = 0;
  const flush = async () => {
    if (batch.length) await tx.insertInto(table).values(batch).execute();
    batch = [];
    batchBytes = 0;
  };
  for await (const line of lines) {
    if (!line) continue;
    count += 1;
    const row = lineToRow(line, shape);
    if (typeof row === 'string') throw new ExportError('archive_corrupt', `${entry.file} line ${count}: ${row}`);
    const orgOf = table === 'orgs' ? row.id : table === 'users' ? manifest.org.id : row.org_id;
    if (orgOf !== manifest.org.id) throw new ExportError('archive_corrupt', `${entry.file} line ${count} belongs to another organization than the manifest's`);
    if (table === 'orgs' && row.name !== manifest.org.name)
      throw new ExportError('archive_corrupt', `${entry.file} names the organization differently than manifest.json`);
    if (table === 'users' && row.password_hash === undefined) row.password_hash = PASSWORD_NOT_EXPORTED;
    batch.push(row);
    batchBytes += line.length;
    if (batch.length >= BATCH || batchBytes >= BATCH_BYTES) await flush();
  }
  await flush();
  if (count !== entry.rows) throw new ExportError('archive_corrupt', `${entry.file} has ${count} rows, the manifest says ${entry.rows}`);
  return count;
}
