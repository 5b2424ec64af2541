/**
 * Saved-search column read: search latency over one org's stored items on SQLite, for words the
 * FTS5 trigram index serves (3+ characters) and for 1–2 character words, which walk the org's
 * items newest first with instr() (see src/streams/search/search.ts). See bench/README.md.
 */
// The schema's tables, as the assembly declares them (a bench compiled alone does not see them otherwise).
import type {} from '../src/app/database.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { newId } from '../src/lib/ids.js';
import { migrateToLatest } from '../src/app/migrations.js';
import { SQLITE_PRAGMAS, openSqliteStore } from '../src/store/sqlite.js';
import { toStoredItem } from '../src/streams/normalize.js';
import { searchItems } from '../src/streams/search/search.js';
import { benchItems, median } from './ingest-fixtures.js';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 200_000);
const REPEAT = 30;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-bench-search-'));
const file = path.join(dir, 'chorus.db');
const store = openSqliteStore(file);
await migrateToLatest(store);
const orgId = newId();
await store.db.insertInto('orgs').values({ id: orgId, name: 'Bench', created_at: new Date().toISOString() }).execute();

const raw = new SQLite(file);
for (const pragma of SQLITE_PRAGMAS) raw.pragma(pragma);
const fetchedAt = new Date().toISOString();
const columns = Object.keys({ ...toStoredItem(benchItems(1)[0]!, fetchedAt), id: '', org_id: '', channel_account_id: null, fetched_at: '' });
const insert = raw.prepare(`insert into stream_items (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`);
const fill = raw.transaction((offset: number, count: number) => {
  for (const [k, item] of benchItems(count, offset).entries()) {
    // One item in 10 000 carries a rare two-character word, so its search has to scan far.
    const text = (offset + k) % 10_000 === 0 ? `${item.text} 稀少` : item.text;
    insert.run({ ...toStoredItem({ ...item, text }, fetchedAt), id: newId(), org_id: orgId, channel_account_id: null, fetched_at: fetchedAt });
  }
});
for (let offset = 0; offset < ITEMS; offset += 20_000) fill(offset, Math.min(20_000, ITEMS - offset));
// Pages of the trigram index's segments, as SQLite's dbstat counts them (what the index costs on disk).
const indexBytes = (raw.prepare("select sum(pgsize) as bytes from dbstat where name like 'stream_items_fts%'").get() as { bytes: number }).bytes;
raw.close();

const cases = [
  { q: '障害から', why: '4 characters, common: FTS5 trigram index' },
  { q: 'postmortem', why: '10 characters, in a fifth of items: FTS5' },
  { q: 'posts/12345', why: 'rare, 11 characters: FTS5' },
  { q: '障害', why: '2 characters, common: instr() walk stops after 50 hits' },
  { q: '稀少', why: '2 characters, rare: instr() walk over the whole org' },
  { q: 'aws 障害', why: 'mixed: FTS5 for aws, instr() for 障害 on its matches' },
];
const results = [];
for (const { q, why } of cases) {
  const times: number[] = [];
  let hits = 0;
  for (let i = 0; i < REPEAT; i++) {
    const started = performance.now();
    hits = (await searchItems(store.db, 'sqlite', orgId, q, { limit: 50, before: null })).length;
    times.push(performance.now() - started);
  }
  results.push({ q, why, hits, medianMs: Number(median(times).toFixed(2)), maxMs: Number(Math.max(...times).toFixed(2)) });
}
await store.close();
fs.rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({ items: ITEMS, limit: 50, repeat: REPEAT, trigramIndexMegabytes: Number((indexBytes / 2 ** 20).toFixed(1)), results }, null, 2));
