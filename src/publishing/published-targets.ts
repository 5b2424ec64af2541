import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import type { OrgScope } from '../teams/org-scope.js';

/** A post as it went out on one account: what analytics measures. */
export interface PublishedTarget {
  orgId: string;
  targetId: string;
  postId: string;
  channelAccountId: string;
  network: string;
  remoteId: string;
  remoteCid: string | null;
  remoteUrl: string | null;
  publishedAt: string;
  text: string;
  campaign: string | null;
  /** The post answers another one (a reply sent from a stream). */
  isReply: boolean;
}

const columns = [
  'post_targets.org_id',
  'post_targets.id',
  'post_targets.post_id',
  'post_targets.channel_account_id',
  'post_targets.network',
  'post_targets.remote_id',
  'post_targets.remote_cid',
  'post_targets.remote_url',
  'post_targets.published_at',
  'post_targets.body',
  'posts.campaign',
  'posts.reply_to',
] as const;

type Row = {
  org_id: string;
  id: string;
  post_id: string;
  channel_account_id: string;
  network: string;
  remote_id: string | null;
  remote_cid: string | null;
  remote_url: string | null;
  published_at: string | null;
  body: string;
  campaign: string | null;
  reply_to: string | null;
};

const present = (row: Row): PublishedTarget => ({
  orgId: row.org_id,
  targetId: row.id,
  postId: row.post_id,
  channelAccountId: row.channel_account_id,
  network: row.network,
  remoteId: row.remote_id!,
  remoteCid: row.remote_cid,
  remoteUrl: row.remote_url,
  publishedAt: row.published_at!,
  text: row.body,
  campaign: row.campaign,
  isReply: row.reply_to !== null,
});

/** The org's targets published in [fromIso, toIso), oldest first. */
export async function publishedTargetsBetween(scope: OrgScope, fromIso: string, toIso: string): Promise<PublishedTarget[]> {
  const rows = await scope
    .selectFrom('post_targets')
    .innerJoin('posts', 'posts.id', 'post_targets.post_id')
    .select(columns)
    .where('post_targets.state', '=', 'published')
    .where('post_targets.remote_id', 'is not', null)
    .where('post_targets.published_at', '>=', fromIso)
    .where('post_targets.published_at', '<', toIso)
    .orderBy('post_targets.published_at')
    .execute();
  return rows.map(present);
}

/** Every org's targets published since `sinceIso` (workers: the metrics puller finds new ones here). */
export async function publishedTargetsSince(db: Kysely<Database>, sinceIso: string, limit: number): Promise<PublishedTarget[]> {
  const rows = await db
    .selectFrom('post_targets')
    .innerJoin('posts', 'posts.id', 'post_targets.post_id')
    .select(columns)
    .where('post_targets.state', '=', 'published')
    .where('post_targets.remote_id', 'is not', null)
    .where('post_targets.published_at', '>=', sinceIso)
    .orderBy('post_targets.published_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(present);
}
