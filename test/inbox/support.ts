import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/database.js';
import type { Network, NormalizedItem, StreamKind } from '../../src/channels/connector.js';
import { collectConversations } from '../../src/inbox/collect.js';
import { storeIngestedBatch } from '../../src/streams/ingest.js';

let sequence = 0;

/** A Bluesky post by `handle` as the connector would hand it over. */
export function blueskyPost(handle: string, text: string, options: { replyTo?: string; createdAt?: string; remoteId?: string } = {}): NormalizedItem {
  sequence++;
  return {
    network: 'bluesky',
    remoteId: options.remoteId ?? `at://did:plc:${handle.split('.')[0]}/app.bsky.feed.post/${Date.now().toString(36)}${sequence}`,
    url: null,
    author: { remoteId: `did:plc:${handle.split('.')[0]}`, handle, displayName: handle.split('.')[0]!.replace(/^./, (c) => c.toUpperCase()) },
    text,
    html: null,
    links: [],
    media: [],
    replyToRemoteId: options.replyTo ?? null,
    quoteOfRemoteId: null,
    createdAt: options.createdAt ?? new Date(Date.now() + sequence).toISOString(),
    language: null,
    metrics: null,
  };
}

/** Stores items as one ingest poll of `kind` would, then files them into conversations as the worker does. */
export async function ingestAndCollect(
  app: FastifyInstance,
  orgId: string,
  channelAccountId: string,
  items: NormalizedItem[],
  kind: StreamKind = 'home',
): Promise<string[]> {
  const stored = await storeIngestedBatch(app.store.db, { orgId, channelAccountId, items, columnIds: [], fetchedAt: new Date().toISOString() });
  return collectConversations(app.store, app.clock, { orgId, channelAccountId, kind, itemIds: stored.newItemIds });
}

/** A Bluesky account row for tests that never talk to the network (filing, status, views). */
export async function offlineBlueskyAccount(app: FastifyInstance, orgId: string, handle = 'acme.test'): Promise<string> {
  const id = `acct-${handle}-${orgId.slice(0, 8)}`;
  await storedAccountRow(app.store.db, orgId, { id, network: 'bluesky', handle, displayName: 'Acme', remoteId: `did:plc:${handle.split('.')[0]}` });
  return id;
}

/**
 * A connected account's row, by default with no usable credentials: what conversations and items
 * point at, for tests whose connector is offline or scripted (test/support/scripted-network.ts).
 * `credentials`: sealed ones, where the server opens them (adding a column does).
 */
export async function storedAccountRow(
  db: Kysely<Database>,
  orgId: string,
  account: { id: string; network: Network; handle: string; displayName: string; remoteId: string; textLimit?: number; credentials?: string },
): Promise<void> {
  const now = new Date().toISOString();
  await db
    .insertInto('channel_accounts')
    .values({
      id: account.id,
      org_id: orgId,
      network: account.network,
      display_name: account.displayName,
      handle: account.handle,
      remote_id: account.remoteId,
      profile_url: null,
      avatar_url: null,
      credentials: account.credentials ?? 'offline',
      health_status: 'ok',
      health_reason: null,
      created_by: null,
      created_at: now,
      updated_at: now,
      last_checked_at: null,
      text_limit: account.textLimit ?? null,
      read_notes: null,
    })
    .execute();
}
