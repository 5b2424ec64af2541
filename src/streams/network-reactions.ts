import { sql, type Kysely } from 'kysely';
import type { Reaction, ViewerReactions } from '../channels/connector.js';
import type { Database } from '../store/database.js';

/** An item and what the network said, when the account read it, that the account did to it. */
export interface StatedReactions {
  itemId: string;
  viewer: ViewerReactions;
}

const KINDS = ['like', 'repost'] as const;
// Far below both dialects' bound-parameter limits.
const ITEMS_PER_READ = 500;

/**
 * Takes the likes and reposts a network stated when a poll read the items (Mastodon `favourited`,
 * Bluesky `viewer.like`): one made in the network's own app shows in Chorus, one taken back there
 * is cleared. A state set after `fetchedAt` (a like or undo through Chorus while the poll was under
 * way) is newer than the network's answer and stays; the check is in each write, so a concurrent
 * action is never overwritten. Returns the items whose liked or reposted state changed.
 */
export async function takeStatedReactions(
  tx: Kysely<Database>,
  batch: { orgId: string; channelAccountId: string; fetchedAt: string },
  stated: StatedReactions[],
): Promise<string[]> {
  const statements = stated.flatMap(({ itemId, viewer }) =>
    KINDS.flatMap((kind) => (viewer[kind] === undefined ? [] : [{ itemId, kind, reaction: viewer[kind] as Reaction | null }])),
  );
  if (statements.length === 0) return [];
  const ids = [...new Set(statements.map((s) => s.itemId))];
  const rows = [];
  for (let i = 0; i < ids.length; i += ITEMS_PER_READ) {
    rows.push(
      ...(await tx
        .selectFrom('item_reactions')
        .select(['item_id', 'kind', 'record_id', 'undone_at'])
        .where('channel_account_id', '=', batch.channelAccountId)
        .where('item_id', 'in', ids.slice(i, i + ITEMS_PER_READ))
        .execute()),
    );
  }
  const held = new Map(rows.map((row) => [`${row.item_id} ${row.kind}`, row]));
  const { fetchedAt } = batch;
  // Items whose liked or reposted state this read changed; a new record id for the same state is no news.
  const changed = new Set<string>();
  for (const { itemId, kind, reaction } of statements) {
    const row = held.get(`${itemId} ${kind}`);
    const one = tx
      .updateTable('item_reactions')
      .where('item_id', '=', itemId)
      .where('channel_account_id', '=', batch.channelAccountId)
      .where('kind', '=', kind)
      .where(sql<boolean>`coalesce(undone_at, created_at) <= ${fetchedAt}`);
    if (reaction && !row) {
      const inserted = await tx
        .insertInto('item_reactions')
        .values({
          org_id: batch.orgId,
          item_id: itemId,
          channel_account_id: batch.channelAccountId,
          kind,
          record_id: reaction.recordId,
          created_at: fetchedAt,
          undone_at: null,
        })
        .onConflict((oc) => oc.columns(['item_id', 'channel_account_id', 'kind']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) changed.add(itemId);
    } else if (reaction && row && row.undone_at !== null) {
      const updated = await one.set({ record_id: reaction.recordId, created_at: fetchedAt, undone_at: null }).executeTakeFirst();
      if (Number(updated.numUpdatedRows) > 0) changed.add(itemId);
    } else if (reaction && row && reaction.recordId !== null && reaction.recordId !== row.record_id) {
      // Taken back and made again in the network's app: undo must delete the network's new record.
      await one.set({ record_id: reaction.recordId }).execute();
    } else if (!reaction && row && row.undone_at === null) {
      const updated = await one.set({ record_id: null, undone_at: fetchedAt }).executeTakeFirst();
      if (Number(updated.numUpdatedRows) > 0) changed.add(itemId);
    }
  }
  return [...changed];
}
