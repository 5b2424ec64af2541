import { EventEmitter } from 'node:events';
import type pg from 'pg';
import { sql } from 'kysely';
import { z } from 'zod';
import { loadPg } from '../store/pg-driver.js';
import type { Store } from '../store/store.js';
import { notifiesAcrossProcesses } from '../store/dialect-sql.js';

/** What changed in an org's streams; listeners load the details they are allowed to see. */
export type StreamChange =
  // Items new to columns: their memberships, and new items matching a saved-search column's query.
  | { type: 'items'; orgId: string; memberships: { columnId: string; itemId: string }[] }
  | { type: 'unread'; orgId: string; columnIds: string[] }
  // Stored items whose likes, reposts or replies a poll counted differently.
  | { type: 'metrics'; orgId: string; itemIds: string[] }
  // Stored items liked or reposted, or taken back, through Chorus or (read by a poll) in the network's own app.
  | { type: 'reactions'; orgId: string; itemIds: string[] }
  // Another module's live news riding the same channel (the inbox: conversations, presence, the bell); it parses its own payload.
  | { type: 'relay'; orgId: string; topic: string; payload: unknown };

const StreamChangeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('items'), orgId: z.string(), memberships: z.array(z.object({ columnId: z.string(), itemId: z.string() })) }),
  z.object({ type: z.literal('unread'), orgId: z.string(), columnIds: z.array(z.string()) }),
  z.object({ type: z.literal('metrics'), orgId: z.string(), itemIds: z.array(z.string()) }),
  z.object({ type: z.literal('reactions'), orgId: z.string(), itemIds: z.array(z.string()) }),
  z.object({ type: z.literal('relay'), orgId: z.string(), topic: z.string(), payload: z.unknown() }),
]);

/** Tells every server process (on PostgreSQL) or this one (on SQLite) that streams changed. */
export interface StreamNotifier {
  notify(change: StreamChange): Promise<void>;
}

/** Where SSE connections listen; `subscribe` returns the unsubscribe function. */
export interface StreamListeners {
  subscribe(orgId: string, listener: (change: StreamChange) => void): () => void;
  /** Resolves once changes from other processes can arrive (PostgreSQL: LISTEN is in place). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

class LocalStreamBus implements StreamNotifier, StreamListeners {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  async notify(change: StreamChange): Promise<void> {
    this.emitter.emit(change.orgId, change);
  }

  subscribe(orgId: string, listener: (change: StreamChange) => void): () => void {
    this.emitter.on(orgId, listener);
    return () => this.emitter.off(orgId, listener);
  }

  async ready(): Promise<void> {}

  async close(): Promise<void> {}
}

// One bus per store: with SQLite the worker and the server share the process and the store object.
const localBuses = new WeakMap<Store, LocalStreamBus>();
const localBusOf = (store: Store): LocalStreamBus => {
  let bus = localBuses.get(store);
  if (!bus) localBuses.set(store, (bus = new LocalStreamBus()));
  return bus;
};

/** A NOTIFY payload is limited to 8000 bytes: big batches go out in several (about 6 KB each). */
const MEMBERSHIPS_PER_NOTICE = 60;
const ITEM_IDS_PER_NOTICE = 150;

const slices = <T>(list: T[], size: number): T[][] => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

/** A change as the NOTIFY payloads it fits in. */
function notices(change: StreamChange): StreamChange[] {
  switch (change.type) {
    case 'items':
      return slices(change.memberships, MEMBERSHIPS_PER_NOTICE).map((memberships) => ({ ...change, memberships }));
    case 'metrics':
    case 'reactions':
      return slices(change.itemIds, ITEM_IDS_PER_NOTICE).map((itemIds) => ({ ...change, itemIds }));
    case 'unread':
    case 'relay':
      return [change];
  }
}

/** The LISTEN/NOTIFY channel, per schema so stores sharing one database do not hear each other. */
const channelOf = (store: Store): string => `chorus_streams_${store.schema ?? 'public'}`;

/** Stores whose server LISTENs in this process; the others hear their own process's changes directly. */
const listeningStores = new WeakSet<Store>();

export function streamNotifier(store: Store): StreamNotifier {
  if (!notifiesAcrossProcesses(store.dialect)) return localBusOf(store);
  return {
    async notify(change) {
      // A server given no databaseUrl cannot LISTEN: it still hears what its own process ingests.
      if (!listeningStores.has(store)) await localBusOf(store).notify(change);
      for (const part of notices(change)) await sql`select pg_notify(${channelOf(store)}, ${JSON.stringify(part)})`.execute(store.db);
    },
  };
}

/**
 * SQLite: the in-process bus (one server process per SQLite file). PostgreSQL: a dedicated
 * connection LISTENs, so a change notified by any process (server or `chorus worker`) reaches
 * this one's SSE clients; it reconnects after a dropped connection. PostgreSQL without a URL
 * falls back to the in-process bus.
 */
export function streamListeners(store: Store, databaseUrl: string | undefined, onError: (error: unknown) => void = () => {}): StreamListeners {
  if (!notifiesAcrossProcesses(store.dialect) || !databaseUrl) return localBusOf(store);
  listeningStores.add(store);
  return new PostgresStreamListeners(databaseUrl, channelOf(store), onError);
}

class PostgresStreamListeners implements StreamListeners {
  private readonly local = new LocalStreamBus();
  private client: pg.Client | null = null;
  private closed = false;
  private readonly listening: Promise<void>;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly onError: (error: unknown) => void,
  ) {
    this.listening = this.connect();
  }

  private async connect(): Promise<void> {
    const client = new (loadPg().Client)({ connectionString: this.url });
    client.on('notification', (message) => {
      if (message.channel !== this.channel || !message.payload) return;
      const parsed = StreamChangeSchema.safeParse(JSON.parse(message.payload));
      if (parsed.success) void this.local.notify(parsed.data);
    });
    client.on('error', (error) => {
      this.onError(error);
      this.reconnectLater(client);
    });
    try {
      await client.connect();
      await client.query(`listen "${this.channel}"`);
      this.client = client;
    } catch (error) {
      this.onError(error);
      this.reconnectLater(client);
    }
  }

  private reconnectLater(client: pg.Client): void {
    if (this.closed || (this.client !== client && this.client !== null)) return;
    this.client = null;
    void client.end().catch(() => {});
    setTimeout(() => void (this.closed ? undefined : this.connect()), 1000).unref();
  }

  ready(): Promise<void> {
    return this.listening;
  }

  subscribe(orgId: string, listener: (change: StreamChange) => void): () => void {
    return this.local.subscribe(orgId, listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.listening;
    await this.client?.end().catch(() => {});
  }
}
