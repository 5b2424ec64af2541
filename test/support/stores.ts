import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, describe } from 'vitest';
import { migrateToLatest } from '../../src/app/migrations.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Dialect, Store } from '../../src/store/store.js';
import { testPostgresUrl } from './postgres-url.js';

export interface TestStore {
  store: Store;
  /** A DATABASE_URL another process (the CLI, a server child) can use to reach the same data. */
  url: string;
  dispose(): Promise<void>;
}

export function testDialects(): Dialect[] {
  return testPostgresUrl() ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A fresh, migrated store: a new SQLite file, or a new PostgreSQL schema dropped afterwards. */
export async function openTestStore(dialect: Dialect, options: { migrate?: boolean } = {}): Promise<TestStore> {
  const test = dialect === 'sqlite' ? openFreshSqlite() : await openFreshPostgres();
  if (options.migrate !== false) await migrateToLatest(test.store);
  return test;
}

function openFreshSqlite(): TestStore {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-test-'));
  const file = path.join(dir, 'chorus.db');
  const store = openSqliteStore(file);
  return {
    store,
    url: `sqlite:${file}`,
    async dispose() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openFreshPostgres(): Promise<TestStore> {
  const baseUrl = testPostgresUrl()!;
  const schema = `chorus_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(baseUrl, `create schema ${schema}`);
  const store = openPostgresStore(baseUrl, { schema });
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    store,
    url: url.toString(),
    async dispose() {
      await store.close();
      await adminQuery(baseUrl, `drop schema ${schema} cascade`);
    },
  };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * Runs the suite once per dialect, each test on its own fresh store:
 * `describeEachStore('teams', (current) => { it('...', async () => { const { store } = current(); }) })`.
 */
export function describeEachStore(name: string, body: (current: () => TestStore, dialect: Dialect) => void): void {
  for (const dialect of testDialects()) {
    describe(`${name} [${dialect}]`, () => {
      let test: TestStore | undefined;
      beforeEach(async () => {
        test = await openTestStore(dialect);
      });
      afterEach(async () => {
        await test?.dispose();
        test = undefined;
      });
      body(() => {
        if (!test) throw new Error('store used outside a test');
        return test;
      }, dialect);
    });
  }
}
