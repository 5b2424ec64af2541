/**
 * The from-contacts filter on a column read: the newest page of one column of BENCH_ITEMS items by
 * 1 000 authors, unfiltered (the baseline) and filtered to contacts when contacts wrote 10 %, 1 %
 * and 0.1 % of the column. The filter probes each membership for a contact identity until the page
 * is full, so the rarer contacts are, the more rows a page walks. Server time per request
 * (Fastify's elapsedTime) over BENCH_REQUESTS sequential requests; medians and p99. See bench/README.md.
 */
// The schema's tables, as the assembly declares them (a bench compiled alone does not see them otherwise).
import type {} from '../src/app/database.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { buildServer } from '../src/app/server.js';
import { newId, newTimeOrderedId } from '../src/lib/ids.js';
import { migrateToLatest } from '../src/app/migrations.js';
import { SQLITE_PRAGMAS, openSqliteStore } from '../src/store/sqlite.js';
import { toStoredItem } from '../src/streams/normalize.js';
import { benchItems, median } from './ingest-fixtures.js';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 200_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-bench-contacts-'));
const file = path.join(dir, 'chorus.db');

const store = openSqliteStore(file);
await migrateToLatest(store);
const app = await buildServer({ store, webRoot: null });
const times: number[] = [];
app.addHook('onResponse', async (_request, reply) => {
  times.push(reply.elapsedTime);
});
const setup = await app.inject({
  method: 'POST',
  url: '/api/setup',
  payload: { name: 'Bench Owner', email: 'bench@example.com', password: 'correct horse battery staple', orgName: 'Bench' },
});
const cookie = String(setup.headers['set-cookie']).split(';')[0]!;
const orgId = (setup.json() as { orgs: { id: string }[] }).orgs[0]!.id;
const board = await app.inject({
  method: 'POST',
  url: `/api/orgs/${orgId}/boards`,
  headers: { cookie, 'x-csrf-token': setup.json().csrfToken },
  payload: { name: 'Bench' },
});
const boardId = board.json().board.id as string;
const now = new Date().toISOString();

// Authors n % 5 == 0 post as a feed in benchItems; the rest post on Bluesky as user<n>.test.
const blueskyAuthors = Array.from({ length: 1000 }, (_, n) => n).filter((n) => n % 5 !== 0);
/** One org of contacts per share, so each column sees only its own. */
const shares = [
  { label: 'contacts wrote 10 %', authors: 125 },
  { label: 'contacts wrote 1 %', authors: 13 },
  { label: 'contacts wrote 0.1 %', authors: 1 },
];

const raw = new SQLite(file);
for (const pragma of SQLITE_PRAGMAS) raw.pragma(pragma);
const fetchedAt = now;
const sample = { ...toStoredItem(benchItems(1)[0]!, fetchedAt), id: '', org_id: orgId, channel_account_id: null, fetched_at: fetchedAt };
const columns = Object.keys(sample);
const insertItem = raw.prepare(`insert into stream_items (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`);
const insertMembership = raw.prepare('insert into column_items (org_id, column_id, item_id, created_at, read, done) values (?, ?, ?, ?, 0, 0)');
const insertColumn = raw.prepare(
  "insert into stream_columns (id, org_id, board_id, title, channel_account_id, kind, target, width, position, filters, created_at) values (?, ?, ?, ?, null, 'home', null, 'normal', ?, ?, ?)",
);

/** A column holding every item; filtered or not. */
const columnIds = { unfiltered: newId(), filtered: newId() };
insertColumn.run(columnIds.unfiltered, orgId, boardId, 'all', 0, '{}', now);
insertColumn.run(columnIds.filtered, orgId, boardId, 'contacts', 1, '{"fromContactsOnly":true}', now);
const fill = raw.transaction((offset: number, count: number) => {
  for (const item of benchItems(count, offset)) {
    const row = { ...toStoredItem(item, fetchedAt), id: newId(), org_id: orgId, channel_account_id: null, fetched_at: fetchedAt };
    insertItem.run(row);
    for (const columnId of Object.values(columnIds)) insertMembership.run(orgId, columnId, row.id, row.created_at);
  }
});
const fillStarted = performance.now();
for (let offset = 0; offset < ITEMS; offset += 20_000) fill(offset, Math.min(20_000, ITEMS - offset));
const fillSeconds = (performance.now() - fillStarted) / 1000;

const insertContact = raw.prepare(
  'insert into contacts (id, org_id, display_name, sort_name, email, company, created_by_user_id, created_at, updated_at) values (?, ?, ?, ?, null, null, null, ?, ?)',
);
const insertIdentity = raw.prepare(
  "insert into contact_identities (id, org_id, contact_id, network, handle, display_name, profile_url, avatar_url, match_key, created_at) values (?, ?, ?, 'bluesky', ?, null, null, null, ?, ?)",
);
/** Makes the first `count` Bluesky authors the org's contacts, and no one else. */
const setContacts = raw.transaction((count: number) => {
  raw.prepare('delete from contacts where org_id = ?').run(orgId);
  for (const n of blueskyAuthors.slice(0, count)) {
    const contactId = newId();
    insertContact.run(contactId, orgId, `User ${n}`, `user ${n}`, now, now);
    insertIdentity.run(newTimeOrderedId(), orgId, contactId, `user${n}.test`, `user${n}.test`, now);
  }
});

async function measure(columnId: string): Promise<{ medianMs: number; p99Ms: number; items: number }> {
  const url = `/api/orgs/${orgId}/columns/${columnId}/items?limit=50`;
  const first = await app.inject({ method: 'GET', url, headers: { cookie } });
  if (first.statusCode !== 200) throw new Error(`items route answered ${first.statusCode}: ${first.body.slice(0, 200)}`);
  times.length = 0;
  for (let i = 0; i < REQUESTS; i++) await app.inject({ method: 'GET', url, headers: { cookie } });
  const sorted = [...times].sort((a, b) => a - b);
  return { medianMs: Number(median(times).toFixed(2)), p99Ms: Number(sorted[Math.floor(sorted.length * 0.99)]!.toFixed(2)), items: first.json().items.length };
}

const results: Record<string, unknown> = {};
setContacts(0);
const baseline = await measure(columnIds.unfiltered);
results['unfiltered (baseline)'] = baseline;
for (const share of shares) {
  setContacts(share.authors);
  const filtered = await measure(columnIds.filtered);
  results[share.label] = { ...filtered, ratioToBaseline: Number((filtered.medianMs / baseline.medianMs).toFixed(1)) };
}
raw.close();
await app.close();
await store.close();
fs.rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({ items: ITEMS, requests: REQUESTS, fillSeconds: Number(fillSeconds.toFixed(1)), results }, null, 2));
