/**
 * What the ingest target would cost the schema: the same normalized rows as bench/ingest.ts go
 * into Chorus's migrated tables with hand-written 500-row statements (no JavaScript work), once
 * as migrated and once each without a part of what ingest maintains: the FTS5 trigram index, the
 * column memberships, the secondary indexes. Beside them, the raw plain-table insert of
 * bench/ingest.ts. Ratios to raw, medians of BENCH_ROUNDS. See bench/README.md.
 */
// The schema's tables, as the assembly declares them (a bench compiled alone does not see them otherwise).
import type {} from '../src/app/database.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { newTimeOrderedId } from '../src/lib/ids.js';
import { migrateToLatest } from '../src/app/migrations.js';
import { SQLITE_PRAGMAS, openSqliteStore } from '../src/store/sqlite.js';
import { toStoredItem } from '../src/streams/normalize.js';
import { benchItems, median } from './ingest-fixtures.js';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 30_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BATCH = 500;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-bench-floor-'));

const SECONDARY_INDEXES = ['stream_items_org_created', 'stream_items_org_fetched', 'stream_items_author', 'column_items_unread', 'column_items_item'];

interface Variant {
  /** Runs on the migrated database before the timed inserts. */
  drop: string[];
  memberships: boolean;
  /** The statements as ingest writes them: a conflict target, and RETURNING the rows that were new (ingest needs to know which). */
  asIngestWrites?: boolean;
}

const variants: Record<string, Variant> = {
  'schema as migrated': { drop: [], memberships: true },
  'without the trigram index': { drop: ['drop trigger stream_items_fts_insert'], memberships: true },
  'without column memberships': { drop: [], memberships: false },
  'without the author index (contacts)': { drop: ['drop index stream_items_author'], memberships: true },
  'without secondary indexes': { drop: SECONDARY_INDEXES.map((name) => `drop index ${name}`), memberships: true },
  'without trigram index and secondary indexes': {
    drop: ['drop trigger stream_items_fts_insert', ...SECONDARY_INDEXES.map((name) => `drop index ${name}`)],
    memberships: true,
  },
  'as migrated, statements as ingest writes them': { drop: [], memberships: true, asIngestWrites: true },
};

const fetchedAt = new Date().toISOString();
const rows = () =>
  benchItems(ITEMS).map((item) => ({ ...toStoredItem(item, fetchedAt), id: newTimeOrderedId(), org_id: 'o', channel_account_id: null, fetched_at: fetchedAt }));
type Row = ReturnType<typeof rows>[number];
const placeholders = (width: number) => Array.from({ length: BATCH }, () => `(${Array(width).fill('?').join(', ')})`).join(', ');

function timedInsert(db: SQLite.Database, insert: (batch: Row[]) => void): number {
  const all = rows();
  const batchInTransaction = db.transaction(insert);
  const started = performance.now();
  for (let i = 0; i < all.length; i += BATCH) batchInTransaction(all.slice(i, i + BATCH));
  return ITEMS / ((performance.now() - started) / 1000);
}

async function schemaRound(name: string, variant: Variant): Promise<number> {
  const file = path.join(dir, `${name.replaceAll(' ', '-')}-${Math.random()}.db`);
  const store = openSqliteStore(file);
  await migrateToLatest(store);
  await store.close();
  const db = new SQLite(file);
  for (const pragma of SQLITE_PRAGMAS) db.pragma(pragma);
  // No org or column rows exist: the timed part measures the inserts, not foreign-key lookups.
  db.pragma('foreign_keys = OFF');
  for (const statement of variant.drop) db.exec(statement);
  const columns = Object.keys(rows()[0]!) as (keyof Row)[];
  const [itemsConflict, itemsReturning, membershipsConflict, membershipsReturning] = variant.asIngestWrites
    ? ['(org_id, network, id_scope, remote_id)', 'returning id', '(column_id, item_id)', 'returning column_id, item_id']
    : ['', '', '', ''];
  const insertItems = db.prepare(
    `insert into stream_items (${columns.join(', ')}) values ${placeholders(columns.length)} on conflict ${itemsConflict} do nothing ${itemsReturning}`,
  );
  const insertMemberships = db.prepare(
    `insert into column_items (org_id, column_id, item_id, created_at, read, done) values ${placeholders(6)} on conflict ${membershipsConflict} do nothing ${membershipsReturning}`,
  );
  // A statement with RETURNING hands back rows: all() reads them, as ingest does.
  const write = (statement: SQLite.Statement, values: unknown[]) => (statement.reader ? statement.all(values) : statement.run(values));
  const rate = timedInsert(db, (batch) => {
    write(
      insertItems,
      batch.flatMap((row) => columns.map((column) => row[column])),
    );
    if (variant.memberships)
      write(
        insertMemberships,
        batch.flatMap((row) => ['o', 'c', row.id, row.created_at, 0, 0]),
      );
  });
  db.close();
  return rate;
}

function rawRound(): number {
  const db = new SQLite(path.join(dir, `raw-${Math.random()}.db`));
  for (const pragma of SQLITE_PRAGMAS) db.pragma(pragma);
  const columns = Object.keys(rows()[0]!) as (keyof Row)[];
  db.exec(`create table raw_items (${columns.map((c) => `${c} ${c === 'id' ? 'text primary key' : ''}`).join(', ')})`);
  const insert = db.prepare(`insert into raw_items (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`);
  const rate = timedInsert(db, (batch) => {
    for (const row of batch) insert.run(columns.map((column) => row[column]));
  });
  db.close();
  return rate;
}

if (ITEMS % BATCH !== 0) throw new Error(`BENCH_ITEMS must be a multiple of ${BATCH}`);
const rates: Record<string, number[]> = { raw: [] };
for (let round = 0; round < ROUNDS; round++) {
  rates.raw!.push(rawRound());
  for (const [name, variant] of Object.entries(variants)) (rates[name] ??= []).push(await schemaRound(name, variant));
}
fs.rmSync(dir, { recursive: true, force: true });
const raw = median(rates.raw!);
console.log(
  JSON.stringify(
    Object.fromEntries(
      Object.entries(rates).map(([name, each]) => [
        name,
        { rowsPerSecond: Math.round(median(each)), ratioToRaw: Number((median(each) / raw).toFixed(3)), each: each.map(Math.round) },
      ]),
    ),
    null,
    2,
  ),
);
