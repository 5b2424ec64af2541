import type { Selectable } from 'kysely';
import type { CampaignReport, CampaignView } from '../../core/api/campaigns.js';
import { campaignClicks } from '../analytics/links.js';
import { stageCounts } from '../crm/pipeline.js';
import { campaignFormResults, formCountsByCampaign } from '../forms/service.js';
import { conversationsOpenedOnPosts, type PublishedPostRef, type RepliesToPosts } from '../inbox/post-replies.js';
import { DomainError } from '../lib/domain-error.js';
import { newId } from '../lib/ids.js';
import { getPost } from '../publishing/service.js';
import type { OrgScope } from '../teams/org-scope.js';
import type { CampaignsTable } from './tables.js';

const notFound = () => new DomainError('campaign_not_found', 'Campaign not found', 404);

export interface CampaignInput {
  name?: string | undefined;
  description?: string | null | undefined;
  startsOn?: string | null | undefined;
  endsOn?: string | null | undefined;
}

async function present(scope: OrgScope, rows: Selectable<CampaignsTable>[]): Promise<CampaignView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const posts = await scope
    .selectFrom('campaign_posts')
    .select((eb) => ['campaign_id', eb.fn.countAll<number>().as('n')])
    .where('campaign_id', 'in', ids)
    .groupBy('campaign_id')
    .execute();
  const formCount = await formCountsByCampaign(scope, ids);
  const postCount = new Map(posts.map((p) => [p.campaign_id, Number(p.n)]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    postCount: postCount.get(r.id) ?? 0,
    formCount: formCount.get(r.id) ?? 0,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

export async function listCampaigns(scope: OrgScope): Promise<CampaignView[]> {
  return present(scope, await scope.selectFrom('campaigns').selectAll().orderBy('created_at', 'desc').orderBy('id').limit(500).execute());
}

export async function campaignView(scope: OrgScope, campaignId: string): Promise<CampaignView> {
  const row = await scope.selectFrom('campaigns').selectAll().where('id', '=', campaignId).executeTakeFirst();
  if (!row) throw notFound();
  return (await present(scope, [row]))[0]!;
}

const checkDates = (startsOn: string | null | undefined, endsOn: string | null | undefined) => {
  if (startsOn && endsOn && endsOn < startsOn) throw new DomainError('campaign_ends_before_start', 'A campaign cannot end before it starts', 422);
};

export async function createCampaign(scope: OrgScope, input: CampaignInput & { name: string }): Promise<CampaignView> {
  checkDates(input.startsOn, input.endsOn);
  return scope.transaction(async (tx) => {
    const id = newId();
    const now = tx.now();
    await tx.insertInto('campaigns', {
      id,
      name: input.name,
      description: input.description ?? null,
      starts_on: input.startsOn ?? null,
      ends_on: input.endsOn ?? null,
      created_at: now,
      updated_at: now,
    });
    await tx.audit('campaign.created', { campaignId: id, name: input.name });
    return campaignView(tx, id);
  });
}

export async function editCampaign(scope: OrgScope, campaignId: string, input: CampaignInput): Promise<CampaignView> {
  return scope.transaction(async (tx) => {
    const current = await campaignView(tx, campaignId);
    checkDates(input.startsOn === undefined ? current.startsOn : input.startsOn, input.endsOn === undefined ? current.endsOn : input.endsOn);
    await tx
      .updateTable('campaigns')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.startsOn !== undefined ? { starts_on: input.startsOn } : {}),
        ...(input.endsOn !== undefined ? { ends_on: input.endsOn } : {}),
        updated_at: tx.now(),
      })
      .where('id', '=', campaignId)
      .execute();
    await tx.audit('campaign.updated', { campaignId });
    return campaignView(tx, campaignId);
  });
}

/** Its posts and forms stay; they just no longer belong to it. */
export async function deleteCampaign(scope: OrgScope, campaignId: string): Promise<void> {
  await scope.transaction(async (tx) => {
    await campaignView(tx, campaignId);
    await tx.deleteFrom('campaigns').where('id', '=', campaignId).execute();
    await tx.audit('campaign.deleted', { campaignId });
  });
}

export async function addCampaignPost(scope: OrgScope, campaignId: string, postId: string): Promise<CampaignView> {
  return scope.transaction(async (tx) => {
    await campaignView(tx, campaignId);
    await getPost(tx, postId);
    const linked = await tx
      .selectFrom('campaign_posts')
      .select('post_id')
      .where('campaign_id', '=', campaignId)
      .where('post_id', '=', postId)
      .executeTakeFirst();
    if (!linked) await tx.insertInto('campaign_posts', { campaign_id: campaignId, post_id: postId, added_at: tx.now() });
    return campaignView(tx, campaignId);
  });
}

export async function removeCampaignPost(scope: OrgScope, campaignId: string, postId: string): Promise<void> {
  await campaignView(scope, campaignId);
  await scope.deleteFrom('campaign_posts').where('campaign_id', '=', campaignId).where('post_id', '=', postId).execute();
}

/** The campaign's dates as times: from the start of its first day to the end of its last (UTC), open where unset. */
const campaignTimes = (campaign: CampaignView) => ({
  from: campaign.startsOn ? `${campaign.startsOn}T00:00:00.000Z` : null,
  until: campaign.endsOn ? new Date(Date.parse(`${campaign.endsOn}T00:00:00.000Z`) + 86_400_000).toISOString() : null,
});

/** The campaign's posts, and where each went out (network and remote id). */
async function campaignPosts(scope: OrgScope, campaignId: string) {
  const links = await scope.selectFrom('campaign_posts').select('post_id').where('campaign_id', '=', campaignId).orderBy('added_at').limit(500).execute();
  const posts: CampaignReport['posts'] = [];
  const published: PublishedPostRef[] = [];
  for (const { post_id } of links) {
    const post = await getPost(scope, post_id);
    posts.push({ id: post.id, text: post.text, status: post.status, dueAt: post.dueAt });
    published.push(...post.targets.flatMap((t) => (t.remoteId ? [{ network: t.network, remoteId: t.remoteId }] : [])));
  }
  return { posts, published };
}

/** What ties an inbox conversation to the campaign: a reply to one of its published posts, within its dates. */
export async function campaignReplies(scope: OrgScope, campaignId: string): Promise<RepliesToPosts> {
  const campaign = await campaignView(scope, campaignId);
  return { posts: (await campaignPosts(scope, campaignId)).published, range: campaignTimes(campaign) };
}

/** What the campaign produced: its posts, its forms and their submissions, the new contacts by stage, the conversations its posts opened. */
export async function campaignReport(scope: OrgScope, campaignId: string): Promise<CampaignReport> {
  const campaign = await campaignView(scope, campaignId);
  const { posts, published } = await campaignPosts(scope, campaignId);
  const forms = await campaignFormResults(scope, campaignId);
  return {
    posts,
    forms: forms.forms,
    submissions: forms.submissions,
    newContactsByStage: await stageCounts(scope, forms.newContactIds),
    conversations: await conversationsOpenedOnPosts(scope, { posts: published, range: campaignTimes(campaign) }),
    clicks: await campaignClicks(
      scope,
      campaign.name,
      posts.map((p) => p.id),
    ),
  };
}
