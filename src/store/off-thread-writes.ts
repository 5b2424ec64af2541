import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { CompiledQuery } from 'kysely';
import { SQLITE_PRAGMAS } from './sqlite.js';
import type { Store } from './store.js';

/**
 * Runs a batch of compiled statements in one transaction away from the event loop. better-sqlite3
 * is synchronous: a commit on the main thread (an fsync, with `synchronous = FULL`) stops every
 * request until the disk answers, measured at 250 ms on a busy disk. This writer has its own
 * connection, with the store's pragmas, in a worker thread. PostgreSQL needs none: its driver
 * never blocks the loop, so `openOffThreadWriter` answers null and callers use the store.
 */
export interface OffThreadWriter {
  /** Resolves once the transaction committed; rejects (nothing written) when it failed. */
  run(statements: CompiledQuery[]): Promise<void>;
  close(): Promise<void>;
}

// CommonJS, evaluated in the worker: the one place that must not depend on how the server was built.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const connection = new SQLite(workerData.file);
for (const pragma of workerData.pragmas) connection.pragma(pragma);
const statements = new Map();
const prepared = (sql) => {
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = connection.prepare(sql)));
  return statement;
};
const runAll = connection.transaction((batch) => {
  for (const { sql, parameters } of batch) prepared(sql).run(...parameters);
});
parentPort.on('message', ({ id, batch }) => {
  try {
    runAll(batch);
    parentPort.postMessage({ id, ok: true });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, message: String(error && error.message || error), code: error && error.code });
  }
});
`;

export function openOffThreadWriter(store: Store): OffThreadWriter | null {
  const file = store.dialect === 'sqlite' ? store.description.replace(/^sqlite:/, '') : '';
  if (!file || file === ':memory:') return null;
  let next = 0;
  const waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  const failAll = (error: Error) => {
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };
  // Started on the first batch, not with the server: a thread with its own V8 heap and SQLite
  // connection is ~10 MB of resident memory and start-up work that a server nobody clicks through never needs.
  let worker: Worker | null = null;
  const started = (): Worker => {
    if (worker) return worker;
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, pragmas: SQLITE_PRAGMAS, driver: createRequire(import.meta.url).resolve('better-sqlite3') },
    });
    worker.unref();
    worker.on('message', (answer: { id: number; ok: boolean; message?: string; code?: string }) => {
      const entry = waiting.get(answer.id);
      waiting.delete(answer.id);
      if (!entry) return;
      if (answer.ok) entry.resolve();
      else entry.reject(Object.assign(new Error(answer.message), { code: answer.code }));
    });
    worker.on('error', failAll);
    worker.on('exit', () => failAll(new Error('the store writer thread stopped')));
    return worker;
  };
  return {
    run(statements) {
      const id = next++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        started().postMessage({ id, batch: statements.map((s) => ({ sql: s.sql, parameters: s.parameters })) });
      });
    },
    async close() {
      await worker?.terminate();
    },
  };
}
