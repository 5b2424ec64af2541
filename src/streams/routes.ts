import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { scopeOf } from '../http/org-scoped.js';
import type { ChannelDirectory } from '../channels/channel-directory.js';
import { actOnItem } from './actions.js';
import { addColumn, createBoard, deleteBoard, deleteColumn, editBoard, editColumn, listBoards, readableColumn, reorderColumns } from './boards.js';
import { openStreamEvents } from './events.js';
import { signImageUrls } from '../image-proxy/item-images.js';
import { ImageUrlSigner } from '../image-proxy/signature.js';
import { markColumnRead, readColumnItems, searchStoredItems, setItemState } from './items.js';
import type { StreamListeners, StreamNotifier } from './live.js';
import { ColumnPageCache } from './page-cache.js';
import { retentionDays, setRetentionDays } from './retention.js';
import { sendRevalidatable } from '../http/revalidation.js';
import {
  BoardParams,
  ColumnOrderBody,
  ColumnParams,
  EditBoardBody,
  EditColumnBody,
  ItemActionBody,
  ItemParams,
  ItemStateBody,
  ItemsQuery,
  MarkReadBody,
  NewBoardBody,
  NewColumnBody,
  RetentionBody,
  SearchQuery,
} from './schemas.js';
import { errorAnswers, NoBody } from '../../core/api/errors.js';
import {
  BoardAnswer,
  BoardsAnswer,
  ColumnAnswer,
  ItemActionAnswer,
  ItemPage,
  ItemStateAnswer,
  RetentionAnswer,
  StreamEventsBody,
  UnreadAnswer,
} from '../../core/api/streams.js';
import type { ItemPageBytes } from './item-pages.js';

const tags = ['streams'];

/** Item pages are sent as the JSON they were built as (see items.ts). */
const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * A page is sent as UTF-8 bytes: Fastify measures a string's byte length for Content-Length and
 * then encodes it again to write it; a Buffer is written as it is (bench/README.md, column read).
 * The bytes bypass the serializer, so the declared ItemPage only documents them; test/streams
 * checks a page against it.
 */
const pageBytes = (bytes: ItemPageBytes): ItemPage => bytes as unknown as ItemPage;

export interface StreamsRouteOptions {
  directory: ChannelDirectory;
  listeners: StreamListeners;
  notifier: StreamNotifier;
}

/** Boards, columns, items, search and live events; registered under /api/orgs/:orgId. */
export function streamsRoutes(options: StreamsRouteOptions) {
  return async function routes(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const dialect = fastify.store.dialect;
    const channels = { directory: options.directory, environment: fastify.channels };
    const signer = new ImageUrlSigner(fastify.settings.secretKey);
    const pages = new ColumnPageCache(fastify.store.changeStamp);
    const openEvents = new Set<() => void>();
    fastify.addHook('onClose', async () => {
      for (const close of openEvents) close();
    });

    app.get(
      '/boards',
      {
        config: { permission: 'streams.read' },
        schema: {
          tags,
          summary: 'Your boards and the boards shared with the team, with columns and unread counts',
          response: { 200: BoardsAnswer, ...errorAnswers },
        },
      },
      async (request) => ({
        boards: await listBoards(scopeOf(request)),
      }),
    );

    app.post(
      '/boards',
      {
        config: { permission: 'streams.write', idempotent: true },
        schema: { tags, summary: 'Create a board', body: NewBoardBody, response: { 201: BoardAnswer, ...errorAnswers } },
      },
      async (request, reply) => reply.status(201).send({ board: await createBoard(scopeOf(request), request.body) }),
    );

    app.patch(
      '/boards/:boardId',
      {
        config: { permission: 'streams.write' },
        schema: { tags, summary: 'Rename, share or move a board', params: BoardParams, body: EditBoardBody, response: { 200: BoardAnswer, ...errorAnswers } },
      },
      async (request) => ({
        board: await editBoard(scopeOf(request), request.params.boardId, request.body),
      }),
    );

    app.delete(
      '/boards/:boardId',
      {
        config: { permission: 'streams.write' },
        schema: { tags, summary: 'Delete a board and its columns', params: BoardParams, response: { 204: NoBody, ...errorAnswers } },
      },
      async (request, reply) => {
        await deleteBoard(scopeOf(request), request.params.boardId);
        return reply.status(204).send();
      },
    );

    app.post(
      '/boards/:boardId/columns',
      {
        config: { permission: 'streams.write', idempotent: true },
        schema: {
          tags,
          summary: 'Add a column (kind feed: a feed channel, or a feed URL as target)',
          params: BoardParams,
          body: NewColumnBody,
          response: { 201: ColumnAnswer, ...errorAnswers },
        },
      },
      async (request, reply) => reply.status(201).send({ column: await addColumn(scopeOf(request), channels, request.params.boardId, request.body) }),
    );

    app.put(
      '/boards/:boardId/column-order',
      {
        config: { permission: 'streams.write' },
        schema: {
          tags,
          summary: 'Reorder the columns of a board',
          params: BoardParams,
          body: ColumnOrderBody,
          response: { 200: BoardAnswer, ...errorAnswers },
        },
      },
      async (request) => ({ board: await reorderColumns(scopeOf(request), request.params.boardId, request.body.columnIds) }),
    );

    app.patch(
      '/columns/:columnId',
      {
        config: { permission: 'streams.write' },
        schema: {
          tags,
          summary: 'Rename, resize, move or filter a column',
          params: ColumnParams,
          body: EditColumnBody,
          response: { 200: ColumnAnswer, ...errorAnswers },
        },
      },
      async (request) => ({ column: await editColumn(scopeOf(request), request.params.columnId, request.body) }),
    );

    app.delete(
      '/columns/:columnId',
      {
        config: { permission: 'streams.write' },
        schema: { tags, summary: 'Remove a column', params: ColumnParams, response: { 204: NoBody, ...errorAnswers } },
      },
      async (request, reply) => {
        await deleteColumn(scopeOf(request), request.params.columnId);
        return reply.status(204).send();
      },
    );

    app.get(
      '/columns/:columnId/items',
      {
        config: { permission: 'streams.read' },
        schema: {
          tags,
          summary: "A column's items, newest first; pass nextCursor as before for the next page",
          params: ColumnParams,
          querystring: ItemsQuery,
          response: { 200: ItemPage, 304: NoBody, ...errorAnswers },
        },
      },
      async (request, reply) => {
        const scope = scopeOf(request);
        const { columnId } = request.params;
        const { before, limit } = request.query;
        // The caller's access is checked on every read; the page is the same for everyone who may see it.
        const page = await pages.page(
          `${scope.orgId} ${columnId} ${before ?? ''} ${limit}`,
          () => readableColumn(scope, columnId),
          (column) => readColumnItems(scope, dialect, signer, column, { before, limit }),
        );
        return sendRevalidatable(request, reply, page, JSON_TYPE);
      },
    );

    app.post(
      '/columns/:columnId/read',
      {
        config: { permission: 'streams.read' },
        schema: {
          tags,
          summary: 'Mark read every item up to (and including) upTo',
          params: ColumnParams,
          body: MarkReadBody,
          response: { 200: UnreadAnswer, ...errorAnswers },
        },
      },
      async (request) => {
        const scope = scopeOf(request);
        const unread = await markColumnRead(scope, request.params.columnId, request.body.upTo);
        await options.notifier.notify({ type: 'unread', orgId: scope.orgId, columnIds: [request.params.columnId] });
        return { unread };
      },
    );

    app.post(
      '/items/:itemId/state',
      {
        config: { permission: 'streams.write' },
        schema: {
          tags,
          summary: 'Mark an item read or done, or assign it to a teammate',
          params: ItemParams,
          body: ItemStateBody,
          response: { 200: ItemStateAnswer, ...errorAnswers },
        },
      },
      async (request) => {
        const scope = scopeOf(request);
        const { item, imageUrls, changedColumns } = await setItemState(scope, request.params.itemId, request.body);
        if (changedColumns.length) await options.notifier.notify({ type: 'unread', orgId: scope.orgId, columnIds: changedColumns.map((c) => c.id) });
        // Beside the item, as on pages, so a client that shows the returned item can proxy its images.
        return { item, imageSignatures: signImageUrls(signer, scope.orgId, imageUrls) };
      },
    );

    app.post(
      '/items/:itemId/actions',
      {
        config: { permission: 'streams.write', idempotent: true },
        schema: {
          tags,
          summary: 'Like or repost through the connected account, or take it back (undo); a second like is a no-op (reply and quote: POST /posts)',
          params: ItemParams,
          body: ItemActionBody,
          response: { 200: ItemActionAnswer, ...errorAnswers },
        },
      },
      async (request) => {
        const scope = scopeOf(request);
        const viewer = await actOnItem(scope, options.directory, request.params.itemId, request.body);
        // Teammates' boards show the like or repost too.
        await options.notifier.notify({ type: 'reactions', orgId: scope.orgId, itemIds: [request.params.itemId] });
        return { ok: true as const, viewer };
      },
    );

    app.get(
      '/search',
      {
        config: { permission: 'streams.read' },
        schema: {
          tags,
          summary: 'Full-text search over every stored item (Japanese works: substrings)',
          querystring: SearchQuery,
          response: { 200: ItemPage, ...errorAnswers },
        },
      },
      async (request, reply) => reply.type(JSON_TYPE).send(pageBytes(await searchStoredItems(scopeOf(request), dialect, signer, request.query))),
    );

    app.get(
      '/stream-settings',
      {
        config: { permission: 'streams.read' },
        schema: { tags, summary: 'How long stored items are kept', response: { 200: RetentionAnswer, ...errorAnswers } },
      },
      async (request) => ({
        retentionDays: await retentionDays(scopeOf(request)),
      }),
    );

    app.put(
      '/stream-settings',
      {
        config: { permission: 'streams.manage' },
        schema: { tags, summary: 'Set how long stored items are kept', body: RetentionBody, response: { 200: RetentionAnswer, ...errorAnswers } },
      },
      async (request) => ({
        retentionDays: await setRetentionDays(scopeOf(request), request.body.retentionDays),
      }),
    );

    app.get(
      '/stream-events',
      {
        config: { permission: 'streams.read' },
        schema: { tags, summary: 'Server-sent events: item, unread and metrics, with heartbeats', response: { 200: StreamEventsBody, ...errorAnswers } },
      },
      async (request, reply) => {
        const close = openStreamEvents(request, reply, scopeOf(request), options.listeners, request.log, signer);
        openEvents.add(close);
        request.raw.on('close', () => openEvents.delete(close));
      },
    );
  };
}
