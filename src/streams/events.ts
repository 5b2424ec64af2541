import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import type { OrgScope } from '../teams/org-scope.js';
import { readableColumnIds } from './boards.js';
import { signImageUrls } from '../image-proxy/item-images.js';
import type { ImageUrlSigner } from '../image-proxy/signature.js';
import { itemsForColumns } from './items.js';
import { unreadCounts } from './unread-counts.js';
import type { StreamChange, StreamListeners } from './live.js';
import { currentMetrics } from './metrics-refresh.js';
import { watchVisibleJobs } from './watched-jobs.js';

export const HEARTBEAT_MS = 15_000;

/**
 * One server-sent events connection: `item` {columnIds, item, imageSignatures} and `unread` {columnId, unread}
 * for the columns this member can see, `metrics` {items: [{id, metrics}]} for any stored item of the
 * org (members may read every one, as search does), `reactions` {itemIds} for stored items liked or
 * reposted (or taken back) since, whose pages the browser reads again (an item's liked state depends
 * on the account its column reads as), plus a comment line every 15 s so proxies keep it open.
 * While open, the ingest jobs of those columns are watched: polled at their fastest allowed interval.
 * After a reconnect the browser refetches its columns' newest page (no Last-Event-ID replay).
 */
export function openStreamEvents(
  request: FastifyRequest,
  reply: FastifyReply,
  scope: OrgScope,
  listeners: StreamListeners,
  log: FastifyBaseLogger,
  signer: ImageUrlSigner,
): () => void {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  let closed = false;
  const watch = () => watchVisibleJobs(scope).catch((error) => log.warn({ err: error }, 'marking watched streams failed'));
  // The first bytes (and so the headers) go out once this dashboard's streams are marked watched.
  void watch().then(() => {
    if (!closed) raw.write('retry: 3000\n\n');
  });
  let eventId = 0;
  const send = (event: string, data: unknown) => raw.write(`id: ${++eventId}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

  const deliver = async (change: StreamChange) => {
    if (change.type === 'relay') return; // Other modules' news has its own event streams.
    if (change.type === 'metrics') {
      // Read at delivery, not carried in the change: a later poll's counts win, and a pruned item is skipped.
      const items = await currentMetrics(scope, change.itemIds);
      if (items.length > 0) send('metrics', { items });
      return;
    }
    if (change.type === 'reactions') {
      send('reactions', { itemIds: change.itemIds });
      return;
    }
    const visible = await readableColumnIds(scope);
    if (change.type === 'items') {
      const memberships = change.memberships.filter((m) => visible.has(m.columnId));
      for (const { item, imageUrls, columnIds } of await itemsForColumns(scope, memberships))
        send('item', { columnIds, item, imageSignatures: signImageUrls(signer, scope.orgId, imageUrls) });
      return;
    }
    const columnIds = change.columnIds.filter((id) => visible.has(id));
    if (columnIds.length === 0) return;
    const columns = await scope.selectFrom('stream_columns').selectAll().where('id', 'in', columnIds).execute();
    for (const [columnId, unread] of await unreadCounts(scope, columns)) send('unread', { columnId, unread });
  };
  // Changes are delivered in the order they arrived, one at a time per connection.
  let chain = Promise.resolve();
  const unsubscribe = listeners.subscribe(scope.orgId, (change) => {
    chain = chain.then(() => deliver(change)).catch((error) => log.warn({ err: error }, 'stream event delivery failed'));
  });
  const heartbeat = setInterval(() => {
    raw.write(': heartbeat\n\n');
    void watch();
  }, HEARTBEAT_MS);
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
    raw.end();
  };
  request.raw.on('close', close);
  return close;
}
