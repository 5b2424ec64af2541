import type { FastifyInstance } from 'fastify';
import { afterEach } from 'vitest';
import { buildServer } from '../../src/app/server.js';
import { openStore } from '../../src/store/open.js';
import type { Dialect, Store } from '../../src/store/store.js';
import { PASSWORD } from '../support/api-client.js';
import { PRIVATE_NETWORK_ALLOWED } from '../support/private-network.js';
import type { TestStore } from '../support/stores.js';
import { openSse, signIn, type SseConnection } from './sse-client.js';

export interface LiveServer {
  app: FastifyInstance;
  url: string;
}

/**
 * Servers for live-event tests, closed after each test: `acting` writes (ingests, likes) and
 * `serving` holds the browsers' event streams. On PostgreSQL they are two servers on one schema
 * (another process's stand-in: LISTEN/NOTIFY carries the change); on SQLite they are one.
 * Call inside a describeEachStore body.
 */
export function liveServers(current: () => TestStore, dialect: Dialect) {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function startServer(store: Store): Promise<LiveServer> {
    const app = await buildServer({ store, webRoot: null, databaseUrl: current().url, secretKey: 'k'.repeat(43), addressPolicy: PRIVATE_NETWORK_ALLOWED });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => app.close());
    return { app, url };
  }

  return {
    /** Runs after the test, before the servers close (a network stand-in, say). */
    onCleanup: (cleanup: () => Promise<void>) => cleanups.push(cleanup),
    async twoServers(): Promise<{ acting: LiveServer; serving: LiveServer }> {
      const acting = await startServer(current().store);
      if (dialect === 'sqlite') return { acting, serving: acting };
      const second = openStore(current().url);
      cleanups.push(() => second.close());
      return { acting, serving: await startServer(second) };
    },
    /** An org's stream events as `email` (signed in with the test password) receives them from `serving`. */
    async listen(serving: LiveServer, orgId: string, email: string): Promise<SseConnection> {
      await serving.app.ready();
      const events = await openSse(`${serving.url}/api/orgs/${orgId}/stream-events`, await signIn(serving.url, email, PASSWORD));
      cleanups.push(async () => events.close());
      return events;
    },
  };
}
