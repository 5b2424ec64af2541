/**
 * Ingest throughput: Chorus's whole ingest step (normalize + sanitize + dedupe + store + FTS5
 * trigram index + column membership + live notification) against a raw batched better-sqlite3
 * insert of the same rows into a plain table, same pragmas, same run. A third side, the schema
 * floor, inserts the same rows, already normalized, into Chorus's own migrated tables with
 * hand-written 500-row statements: what SQLite alone costs, with no JavaScript work. See bench/README.md.
 */
// The schema's tables, as the assembly declares them (a bench compiled alone does not see them otherwise).
import type {} from '../src/app/database.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { createUser } from '../src/accounts/users.js';
import { newId, newTimeOrderedId } from '../src/lib/ids.js';
import { migrateToLatest } from '../src/app/migrations.js';
import { SQLITE_PRAGMAS, openSqliteStore } from '../src/store/sqlite.js';
import { storeIngestedBatch } from '../src/streams/ingest.js';
import { streamListeners, streamNotifier } from '../src/streams/live.js';
import { toStoredItem } from '../src/streams/normalize.js';
import { createOrg } from '../src/teams/service.js';
import { benchItems, median } from './ingest-fixtures.js';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 50_000);
const BATCH = 500;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-bench-ingest-'));

/** A migrated Chorus database with one org and one column, as ingest needs. */
async function chorusDatabase(file: string, withoutSearchIndex = false) {
  const store = openSqliteStore(file);
  await migrateToLatest(store);
  // What ingest would cost with search indexing moved out of its transaction (not done: see bench/README.md, session 10).
  if (withoutSearchIndex) await sql`drop trigger stream_items_fts_insert`.execute(store.db);
  const clock = () => new Date();
  const user = await createUser(store.db, clock, { email: 'bench@example.com', name: 'Bench', password: 'correct horse battery staple' });
  const org = await createOrg(store.db, clock, { name: 'Bench', ownerUserId: user.id });
  const orgId = (org as { id: string }).id;
  const boardId = newId();
  const columnId = newId();
  const now = new Date().toISOString();
  await store.db
    .insertInto('boards')
    .values({ id: boardId, org_id: orgId, owner_user_id: user.id, name: 'b', shared: 0, position: 0, created_at: now })
    .execute();
  await store.db
    .insertInto('stream_columns')
    .values({
      id: columnId,
      org_id: orgId,
      board_id: boardId,
      title: 'c',
      channel_account_id: null,
      kind: 'home',
      target: null,
      width: 'normal',
      position: 0,
      filters: '{}',
      created_at: now,
    })
    .execute();
  return { store, orgId, columnId };
}

async function chorusRound(round: number, withoutSearchIndex = false): Promise<number> {
  const { store, orgId, columnId } = await chorusDatabase(path.join(dir, `chorus-${round}-${withoutSearchIndex}.db`), withoutSearchIndex);
  const items = benchItems(ITEMS);
  const notifier = streamNotifier(store);
  let heard = 0;
  streamListeners(store, undefined).subscribe(orgId, (change) => {
    if (change.type === 'items') heard += change.memberships.length;
  });
  const started = performance.now();
  for (let i = 0; i < items.length; i += BATCH) {
    const result = await storeIngestedBatch(store.db, {
      orgId,
      channelAccountId: null,
      items: items.slice(i, i + BATCH),
      columnIds: [columnId],
      fetchedAt: new Date().toISOString(),
    });
    await notifier.notify({ type: 'items', orgId, memberships: result.memberships });
  }
  const seconds = (performance.now() - started) / 1000;
  if (heard !== ITEMS) throw new Error(`listener heard ${heard} of ${ITEMS}`);
  await store.close();
  return ITEMS / seconds;
}

function rawRound(round: number): number {
  const db = new SQLite(path.join(dir, `raw-${round}.db`));
  for (const pragma of SQLITE_PRAGMAS) db.pragma(pragma);
  const fetchedAt = new Date().toISOString();
  // The same rows Chorus stores (time-ordered ids too), prepared up front: no normalizing at all.
  const rows = benchItems(ITEMS).map((item) => ({
    ...toStoredItem(item, fetchedAt),
    id: newTimeOrderedId(),
    org_id: 'o',
    channel_account_id: null,
    fetched_at: fetchedAt,
  }));
  const columns = Object.keys(rows[0]!);
  db.exec(`create table raw_items (${columns.map((c) => `${c} ${c === 'id' ? 'text primary key' : ''}`).join(', ')})`);
  const insert = db.prepare(`insert into raw_items (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`);
  const insertBatch = db.transaction((batch: typeof rows) => {
    for (const row of batch) insert.run(row);
  });
  const started = performance.now();
  for (let i = 0; i < rows.length; i += BATCH) insertBatch(rows.slice(i, i + BATCH));
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return ITEMS / seconds;
}

async function schemaFloorRound(round: number, withoutSearchIndex = false): Promise<number> {
  const file = path.join(dir, `floor-${round}-${withoutSearchIndex}.db`);
  const { store, orgId, columnId } = await chorusDatabase(file, withoutSearchIndex);
  await store.close();
  const db = new SQLite(file);
  for (const pragma of SQLITE_PRAGMAS) db.pragma(pragma);
  const fetchedAt = new Date().toISOString();
  const rows = benchItems(ITEMS).map((item) => ({
    ...toStoredItem(item, fetchedAt),
    id: newTimeOrderedId(),
    org_id: orgId,
    channel_account_id: null,
    fetched_at: fetchedAt,
  }));
  const columns = Object.keys(rows[0]!) as (keyof (typeof rows)[number])[];
  const placeholders = (width: number) => Array.from({ length: BATCH }, () => `(${Array(width).fill('?').join(', ')})`).join(', ');
  const insertItems = db.prepare(`insert into stream_items (${columns.join(', ')}) values ${placeholders(columns.length)} on conflict do nothing`);
  const insertMemberships = db.prepare(
    `insert into column_items (org_id, column_id, item_id, created_at, read, done) values ${placeholders(6)} on conflict do nothing`,
  );
  const insertBatch = db.transaction((batch: typeof rows) => {
    insertItems.run(batch.flatMap((row) => columns.map((column) => row[column])));
    insertMemberships.run(batch.flatMap((row) => [orgId, columnId, row.id, row.created_at, 0, 0]));
  });
  const started = performance.now();
  for (let i = 0; i < rows.length; i += BATCH) insertBatch(rows.slice(i, i + BATCH));
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return ITEMS / seconds;
}

if (ITEMS % BATCH !== 0) throw new Error(`BENCH_ITEMS must be a multiple of ${BATCH}`);
const chorus: number[] = [];
const raw: number[] = [];
const floor: number[] = [];
const chorusUnindexed: number[] = [];
const floorUnindexed: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  raw.push(rawRound(round));
  floor.push(await schemaFloorRound(round));
  chorus.push(await chorusRound(round));
  floorUnindexed.push(await schemaFloorRound(round, true));
  chorusUnindexed.push(await chorusRound(round, true));
}
fs.rmSync(dir, { recursive: true, force: true });
const result = {
  items: ITEMS,
  batch: BATCH,
  rounds: ROUNDS,
  rawRowsPerSecond: Math.round(median(raw)),
  chorusItemsPerSecond: Math.round(median(chorus)),
  ratio: Number((median(chorus) / median(raw)).toFixed(3)),
  target: 0.5,
  schemaFloorRowsPerSecond: Math.round(median(floor)),
  schemaFloorRatio: Number((median(floor) / median(raw)).toFixed(3)),
  chorusToSchemaFloor: Number((median(chorus) / median(floor)).toFixed(3)),
  schemaFloorWithoutSearchIndexRowsPerSecond: Math.round(median(floorUnindexed)),
  chorusWithoutSearchIndexItemsPerSecond: Math.round(median(chorusUnindexed)),
  chorusToSchemaFloorWithoutSearchIndex: Number((median(chorusUnindexed) / median(floorUnindexed)).toFixed(3)),
  loadAverageAtEnd: Number(os.loadavg()[0]!.toFixed(1)),
  each: {
    raw: raw.map(Math.round),
    schemaFloor: floor.map(Math.round),
    chorus: chorus.map(Math.round),
    schemaFloorWithoutSearchIndex: floorUnindexed.map(Math.round),
    chorusWithoutSearchIndex: chorusUnindexed.map(Math.round),
  },
};
console.log(JSON.stringify(result, null, 2));
