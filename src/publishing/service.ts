import type { z } from 'zod';
import { DateTime } from 'luxon';
import { networkRules, privateReplyText } from '../../core/networks/index.js';
import { textAsSent } from '../../core/short-link-text.js';
import { DomainError } from '../lib/domain-error.js';
import { newId } from '../lib/ids.js';
import type { OrgScope } from '../teams/org-scope.js';
import { can } from '../../core/policies.js';
import type { ChannelDirectory, PublishingChannel } from '../channels/channel-directory.js';
import { shortLinkPrefixFor, type LinkShortening } from './link-shortening.js';
import { assertMediaFits, attachMedia, mediaOfPost, mediaOfPosts, resolveMedia, type MediaView } from './media.js';
import { nextFreeSlot, wallClockToUtc } from './schedule-time.js';
import type { EditPostBody, NewPostBody, PostListQuery, ScheduleBody } from './schemas.js';
import type { PostTargetsTable, PostsTable, PostWorkflow } from './tables.js';
import { presentPost, type PostView } from './views.js';
import type { QueueView } from '../../core/api/publishing.js';

export type { QueueView };

export type NewPost = z.output<typeof NewPostBody>;
export type PostEdit = z.output<typeof EditPostBody>;
type Overrides = Partial<Record<string, string>>;

const EDITABLE: PostWorkflow[] = ['draft', 'pending_approval', 'rejected', 'scheduled'];

async function resolveChannels(directory: ChannelDirectory, scope: OrgScope, ids: string[]): Promise<PublishingChannel[]> {
  const unique = [...new Set(ids)];
  const channels = await directory.listChannels(scope.orgId, unique);
  const missing = unique.filter((id) => !channels.some((c) => c.id === id));
  if (missing.length) throw new DomainError('channel_not_found', `No connected account with id ${missing.join(', ')} in this organization`, 404);
  return unique.map((id) => channels.find((c) => c.id === id)!);
}

const bodyFor = (channel: PublishingChannel, text: string, overrides: Overrides): string => overrides[channel.network] ?? text;

interface TextProblem {
  channelAccountId: string;
  network: string;
  problem: 'empty' | 'too_long';
  length?: number;
  limit?: number;
}

/**
 * Every target's text must fit its network (core/networks: the composer's counters give the same
 * answer) before anything is scheduled or sent for approval, measured as it will be sent: with
 * `shortLinkPrefix`, its links already shortened, and as a private reply to `privateTo` (on Mastodon
 * with their @handle in front). A blank text fits only with images.
 */
function assertTextsFit(
  channels: PublishingChannel[],
  text: string,
  overrides: Overrides,
  mediaCount: number,
  shortLinkPrefix: string | null,
  privateTo: string | null,
): void {
  const problems = channels.flatMap((channel): TextProblem[] => {
    const body = bodyFor(channel, text, overrides);
    // A blank private reply stays blank: the added mention alone is not a post.
    const sent = privateTo && body.trim() ? privateReplyText(channel.network, privateTo, body) : body;
    const measure = networkRules(channel.network).measureText(textAsSent(sent, shortLinkPrefix), {
      limit: channel.textLimit,
      mediaCount,
    });
    if (measure.fits) return [];
    if (measure.empty) return [{ channelAccountId: channel.id, network: channel.network, problem: 'empty' }];
    return [{ channelAccountId: channel.id, network: channel.network, problem: 'too_long', length: measure.length, limit: measure.limit }];
  });
  if (problems.length) {
    const summary = problems.map((p) => (p.problem === 'empty' ? `${p.network}: the text is empty` : `${p.network}: ${p.length}/${p.limit}`)).join('; ');
    throw new DomainError('text_does_not_fit', `The text does not fit every network (${summary}); shorten it or add a per-network version`, 422, problems);
  }
}

/** Whom a stored post answers privately (a reply to a direct message), if anyone. */
const privateToOf = (post: PostsTable): string | null => (post.reply_to ? ((JSON.parse(post.reply_to) as { privateTo?: string }).privateTo ?? null) : null);

/** A stored post's text and media must fit each of its targets' networks before it is scheduled or sent for approval; returns those channels. */
async function assertStoredPostFits(
  scope: OrgScope,
  directory: ChannelDirectory,
  shortening: LinkShortening,
  post: PostsTable,
  targets: PostTargetsTable[],
): Promise<PublishingChannel[]> {
  const channels = await resolveChannels(
    directory,
    scope,
    targets.map((t) => t.channel_account_id),
  );
  const media = await mediaOfPost(scope, post.id);
  const prefix = await shortLinkPrefixFor(shortening, scope, storedChoice(post));
  assertTextsFit(channels, post.text, JSON.parse(post.overrides), media.length, prefix, privateToOf(post));
  assertMediaFits(channels, media);
  return channels;
}

/** A stored post's own shortening choice (null: the org's default). */
const storedChoice = (post: PostsTable): boolean | null => (post.shorten_links == null ? null : post.shorten_links === 1);

function assertMayPublish(scope: OrgScope): void {
  if (!can(scope.actor.role, 'posts.publish')) {
    throw new DomainError('approval_required', 'Your role needs approval to publish: submit the post for approval instead', 403);
  }
}

async function takenSlots(scope: OrgScope, channelIds: string[], excludePostId?: string): Promise<Set<string>> {
  let query = scope
    .selectFrom('post_targets')
    .select('due_at')
    .where('channel_account_id', 'in', channelIds)
    .where('state', 'in', ['scheduled', 'retrying', 'publishing', 'published']);
  if (excludePostId) query = query.where('post_id', '!=', excludePostId);
  return new Set((await query.execute()).map((r) => r.due_at).filter((d): d is string => d !== null));
}

/** The next weekly slot (of any of the accounts) that no post already occupies. */
async function nextQueueTime(scope: OrgScope, channelIds: string[], after: Date): Promise<string> {
  const slots = await scope.selectFrom('posting_slots').selectAll().where('channel_account_id', 'in', channelIds).execute();
  const due = nextFreeSlot(
    slots.map((s) => ({ weekday: s.weekday, time: s.time, timeZone: s.time_zone })),
    after,
    await takenSlots(scope, channelIds),
  );
  if (!due) throw new DomainError('no_queue_slots', 'None of these accounts has posting times: set its queue in Publish → Queue first', 422);
  return due;
}

function targetRows(
  post: { id: string; dueAt: string | null; scheduled: boolean; text: string; overrides: Overrides },
  channels: PublishingChannel[],
  now: string,
) {
  return channels.map((channel) => {
    const id = newId();
    return {
      id,
      post_id: post.id,
      channel_account_id: channel.id,
      network: channel.network,
      state: post.scheduled ? ('scheduled' as const) : ('draft' as const),
      body: bodyFor(channel, post.text, post.overrides),
      // The target's own id: unique, stable across retries and restarts, never reused.
      idempotency_key: id,
      due_at: post.dueAt,
      next_attempt_at: post.scheduled ? post.dueAt : null,
      attempts: 0,
      lease_owner: null,
      lease_expires_at: null,
      remote_id: null,
      remote_cid: null,
      remote_url: null,
      failure_kind: null,
      failure_reason: null,
      published_at: null,
      updated_at: now,
    } satisfies Omit<PostTargetsTable, 'org_id'>;
  });
}

export async function createPost(scope: OrgScope, directory: ChannelDirectory, shortening: LinkShortening, input: NewPost): Promise<PostView> {
  const channels = await resolveChannels(directory, scope, input.channelAccountIds);
  if (input.repeat && input.mediaIds.length)
    throw new DomainError(
      'media_not_repeatable',
      'Images cannot be attached to a repeating post yet: post the images once, or repeat the post without them',
      422,
    );
  return input.repeat ? createSeries(scope, channels, shortening, input, input.repeat) : createPostFor(scope, channels, shortening, input);
}

const REPEAT_UNITS = { day: 'days', week: 'weeks', month: 'months' } as const;

/**
 * A repeating post is a series of ordinary scheduled posts, one per occurrence, all at the same
 * wall-clock time in the author's zone (a weekly 09:00 stays 09:00 across DST), created in one
 * transaction and then edited or cancelled one by one like any other post.
 */
async function createSeries(
  scope: OrgScope,
  channels: PublishingChannel[],
  shortening: LinkShortening,
  input: NewPost,
  repeat: NonNullable<NewPost['repeat']>,
): Promise<PostView> {
  const seriesId = newId();
  const { local, timeZone } = input.scheduledAt!;
  const start = DateTime.fromISO(local);
  return scope.transaction(async (tx) => {
    const ids: string[] = [];
    for (let i = 0; i < repeat.count; i++) {
      const occurrence = start.plus({ [REPEAT_UNITS[repeat.every]]: i }).toFormat("yyyy-MM-dd'T'HH:mm");
      ids.push(await writePost(tx, channels, shortening, { ...input, repeat: undefined, scheduledAt: { local: occurrence, timeZone } }));
    }
    await tx.updateTable('posts').set({ series_id: seriesId }).where('id', 'in', ids).execute();
    return getPost(tx, ids[0]!);
  });
}

/** Cancels this occurrence of a repeating post and every later one; earlier ones stay as they are. */
export async function cancelSeriesFrom(scope: OrgScope, postId: string): Promise<PostView[]> {
  const post = await scope.selectFrom('posts').select(['series_id', 'due_at']).where('id', '=', postId).executeTakeFirst();
  if (!post) throw new DomainError('post_not_found', 'Post not found', 404);
  if (!post.series_id) throw new DomainError('not_a_series', 'This post does not repeat; cancel it on its own', 409);
  const later = await scope
    .selectFrom('posts')
    .select('id')
    .where('series_id', '=', post.series_id)
    .where('due_at', '>=', post.due_at ?? '')
    .orderBy('due_at')
    .execute();
  const cancelled: PostView[] = [];
  for (const { id } of later) cancelled.push(await cancelPost(scope, id));
  return cancelled;
}

type ComposedPost = Omit<NewPost, 'channelAccountIds' | 'mediaIds'> & { mediaIds?: string[] };

/** Composes a post (see writePost) and answers with it, read in the same transaction. */
export function createPostFor(scope: OrgScope, channels: PublishingChannel[], shortening: LinkShortening, input: ComposedPost): Promise<PostView> {
  // Read inside the transaction: once the post is committed, nothing may fail the request (a 5xx would invite a duplicate).
  return scope.transaction(async (tx) => getPost(tx, await writePost(tx, channels, shortening, input)));
}

/**
 * Writes a post for accounts already resolved and returns its id. It asks the channel directory
 * nothing, so it may run inside a caller's transaction (on SQLite, a lookup outside the one
 * connection's open transaction would wait for it forever).
 */
export async function writePost(scope: OrgScope, channels: PublishingChannel[], shortening: LinkShortening, input: ComposedPost): Promise<string> {
  const now = scope.now();
  const overrides: Overrides = input.overrides;
  const media = await resolveMedia(scope, input.mediaIds ?? [], null);
  if (input.action !== 'draft') {
    assertTextsFit(
      channels,
      input.text,
      overrides,
      media.length,
      await shortLinkPrefixFor(shortening, scope, input.shortenLinks),
      input.replyTo?.privateTo ?? null,
    );
    assertMediaFits(channels, media);
  }
  if (input.action === 'schedule' || input.action === 'publish_now' || input.action === 'queue') assertMayPublish(scope);

  const timeZone = input.scheduledAt?.timeZone ?? input.timeZone ?? 'UTC';
  let dueAt: string | null = input.scheduledAt ? wallClockToUtc(input.scheduledAt.local, input.scheduledAt.timeZone) : null;
  if (input.action === 'publish_now') dueAt = now;
  if (input.action === 'queue')
    dueAt = await nextQueueTime(
      scope,
      channels.map((c) => c.id),
      new Date(now),
    );
  const workflow: PostWorkflow = input.action === 'draft' ? 'draft' : input.action === 'submit' ? 'pending_approval' : 'scheduled';

  const post: Omit<PostsTable, 'org_id'> = {
    id: newId(),
    author_user_id: scope.actor.userId,
    workflow,
    text: input.text,
    overrides: JSON.stringify(overrides),
    scheduled_local: input.action === 'schedule' ? input.scheduledAt!.local : null,
    time_zone: timeZone,
    due_at: dueAt,
    campaign: input.campaign ?? null,
    shorten_links: input.shortenLinks == null ? null : input.shortenLinks ? 1 : 0,
    reply_to: input.replyTo ? JSON.stringify(input.replyTo) : null,
    quote_of: input.quote ? JSON.stringify(input.quote) : null,
    series_id: null,
    review_comment: null,
    reviewed_by: null,
    created_at: now,
    updated_at: now,
  };
  const targets = targetRows({ id: post.id, dueAt, scheduled: workflow === 'scheduled', text: input.text, overrides }, channels, now);
  await scope.transaction(async (tx) => {
    await tx.insertInto('posts', post);
    await tx.insertInto('post_targets', targets);
    if (media.length)
      await attachMedia(
        tx,
        post.id,
        media.map((m) => m.id),
      );
    await tx.audit(`post.${input.action}`, { postId: post.id, targets: targets.length, dueAt, ...(media.length ? { images: media.length } : {}) });
  });
  return post.id;
}

export async function getPost(scope: OrgScope, postId: string): Promise<PostView & { media: MediaView[] }> {
  const post = await scope.selectFrom('posts').selectAll().where('id', '=', postId).executeTakeFirst();
  if (!post) throw new DomainError('post_not_found', 'Post not found', 404);
  const targets = await scope.selectFrom('post_targets').selectAll().where('post_id', '=', postId).orderBy('network').orderBy('id').execute();
  return { ...presentPost(post, targets), media: await mediaOfPost(scope, postId) };
}

export async function listPosts(scope: OrgScope, filter: z.output<typeof PostListQuery>): Promise<PostView[]> {
  let query = scope.selectFrom('posts').selectAll();
  if (filter.from) query = query.where('due_at', '>=', new Date(filter.from).toISOString());
  if (filter.to) query = query.where('due_at', '<', new Date(filter.to).toISOString());
  if (filter.workflow) query = query.where('workflow', '=', filter.workflow);
  if (filter.campaign) query = query.where('campaign', '=', filter.campaign);
  if (filter.channelAccountId) {
    const postIds = scope.selectFrom('post_targets').select('post_id').where('channel_account_id', '=', filter.channelAccountId);
    query = query.where('id', 'in', postIds);
  }
  const ordered =
    filter.order === 'due_desc'
      ? query.orderBy('due_at', 'desc').orderBy('created_at', 'desc')
      : filter.order === 'updated_desc'
        ? query.orderBy('updated_at', 'desc')
        : query.orderBy('due_at').orderBy('created_at');
  // A derived status needs the targets; read a wider window and filter it, then cut to the limit.
  const posts = await ordered.limit(filter.status ? Math.min(filter.limit * 10, 5000) : filter.limit).execute();
  if (posts.length === 0) return [];
  const targets = await scope
    .selectFrom('post_targets')
    .selectAll()
    .where(
      'post_id',
      'in',
      posts.map((p) => p.id),
    )
    .orderBy('network')
    .execute();
  const media = await mediaOfPosts(
    scope,
    posts.map((p) => p.id),
  );
  const views = posts.map((post) => ({
    ...presentPost(
      post,
      targets.filter((t) => t.post_id === post.id),
    ),
    media: media.get(post.id) ?? [],
  }));
  return filter.status ? views.filter((v) => filter.status!.includes(v.status)).slice(0, filter.limit) : views;
}

async function loadEditable(scope: OrgScope, postId: string): Promise<{ post: PostsTable; targets: PostTargetsTable[] }> {
  const post = await scope.selectFrom('posts').selectAll().where('id', '=', postId).executeTakeFirst();
  if (!post) throw new DomainError('post_not_found', 'Post not found', 404);
  const targets = await scope.selectFrom('post_targets').selectAll().where('post_id', '=', postId).execute();
  if (!EDITABLE.includes(post.workflow) || targets.some((t) => ['publishing', 'published', 'retrying', 'failed'].includes(t.state))) {
    throw new DomainError('post_not_editable', 'This post has started publishing; it can no longer be edited (retry or cancel what is left instead)', 409);
  }
  return { post, targets };
}

/** Edits text, accounts or time (the calendar's drag-to-reschedule is an edit of scheduledAt). */
export async function editPost(scope: OrgScope, directory: ChannelDirectory, shortening: LinkShortening, postId: string, edit: PostEdit): Promise<PostView> {
  const { post, targets } = await loadEditable(scope, postId);
  if (post.workflow === 'scheduled') assertMayPublish(scope);
  const text = edit.text ?? post.text;
  const overrides: Overrides = edit.overrides ?? JSON.parse(post.overrides);
  const channels = await resolveChannels(directory, scope, edit.channelAccountIds ?? targets.map((t) => t.channel_account_id));
  const scheduled = post.workflow === 'scheduled';
  const media = edit.mediaIds ? await resolveMedia(scope, edit.mediaIds, postId) : await mediaOfPost(scope, postId);
  if (post.workflow !== 'draft') {
    const shortenLinks = edit.shortenLinks !== undefined ? edit.shortenLinks : storedChoice(post);
    assertTextsFit(channels, text, overrides, media.length, await shortLinkPrefixFor(shortening, scope, shortenLinks), privateToOf(post));
    assertMediaFits(channels, media);
  }
  if (edit.mediaIds) await attachMedia(scope, postId, edit.mediaIds);
  const dueAt = edit.scheduledAt ? wallClockToUtc(edit.scheduledAt.local, edit.scheduledAt.timeZone) : post.due_at;
  const now = scope.now();
  await scope
    .updateTable('posts')
    .set({
      text,
      overrides: JSON.stringify(overrides),
      due_at: dueAt,
      ...(edit.scheduledAt ? { scheduled_local: edit.scheduledAt.local, time_zone: edit.scheduledAt.timeZone } : {}),
      ...(edit.campaign !== undefined ? { campaign: edit.campaign } : {}),
      ...(edit.shortenLinks !== undefined ? { shorten_links: edit.shortenLinks === null ? null : edit.shortenLinks ? 1 : 0 } : {}),
      updated_at: now,
    })
    .where('id', '=', postId)
    .execute();
  // Targets of an unpublished post are rebuilt from the post: simpler than diffing, and nothing was sent yet.
  await scope.deleteFrom('post_targets').where('post_id', '=', postId).execute();
  await scope.insertInto('post_targets', targetRows({ id: postId, dueAt, scheduled, text, overrides }, channels, now));
  await scope.audit('post.edited', { postId, dueAt });
  return getPost(scope, postId);
}

async function setWorkflow(scope: OrgScope, postId: string, from: PostWorkflow[], to: PostWorkflow, extra: Partial<PostsTable> = {}): Promise<PostsTable> {
  const post = await scope.selectFrom('posts').selectAll().where('id', '=', postId).executeTakeFirst();
  if (!post) throw new DomainError('post_not_found', 'Post not found', 404);
  if (!from.includes(post.workflow))
    throw new DomainError('wrong_state', `A ${post.workflow.replace('_', ' ')} post cannot become ${to.replace('_', ' ')}`, 409);
  await scope
    .updateTable('posts')
    .set({ workflow: to, updated_at: scope.now(), ...extra })
    .where('id', '=', postId)
    .execute();
  return post;
}

/** Schedules (or publishes now, or queues) a draft or rejected post in place: one step, nothing recreated. */
export async function schedulePost(
  scope: OrgScope,
  directory: ChannelDirectory,
  shortening: LinkShortening,
  postId: string,
  input: z.output<typeof ScheduleBody>,
): Promise<PostView> {
  assertMayPublish(scope);
  const { post, targets } = await loadEditable(scope, postId);
  if (post.workflow !== 'draft' && post.workflow !== 'rejected') {
    throw new DomainError(
      'wrong_state',
      `A ${post.workflow.replace('_', ' ')} post cannot be scheduled this way${post.workflow === 'pending_approval' ? ': approve it instead' : ''}`,
      409,
    );
  }
  const channels = await assertStoredPostFits(scope, directory, shortening, post, targets);
  const now = scope.now();
  const dueAt =
    input.action === 'publish_now'
      ? now
      : input.action === 'queue'
        ? await nextQueueTime(
            scope,
            channels.map((c) => c.id),
            new Date(now),
          )
        : wallClockToUtc(input.scheduledAt!.local, input.scheduledAt!.timeZone);
  return scope.transaction(async (tx) => {
    await tx
      .updateTable('posts')
      .set({
        workflow: 'scheduled',
        due_at: dueAt,
        scheduled_local: input.action === 'schedule' ? input.scheduledAt!.local : null,
        ...(input.scheduledAt ? { time_zone: input.scheduledAt.timeZone } : {}),
        updated_at: now,
      })
      .where('id', '=', postId)
      .execute();
    await tx
      .updateTable('post_targets')
      .set({ state: 'scheduled', due_at: dueAt, next_attempt_at: dueAt, updated_at: now })
      .where('post_id', '=', postId)
      .execute();
    // In the transaction: once the post is scheduled, nothing may fail the request.
    await tx.audit(`post.${input.action}`, { postId, dueAt });
    return getPost(tx, postId);
  });
}

export async function submitForApproval(scope: OrgScope, directory: ChannelDirectory, shortening: LinkShortening, postId: string): Promise<PostView> {
  const { post, targets } = await loadEditable(scope, postId);
  await assertStoredPostFits(scope, directory, shortening, post, targets);
  await setWorkflow(scope, postId, ['draft', 'rejected'], 'pending_approval', { review_comment: null, reviewed_by: null });
  await scope.audit('post.submitted', { postId });
  return getPost(scope, postId);
}

/** Approval schedules the post; without a chosen time, or with one already past, it goes out now. */
export async function approvePost(scope: OrgScope, postId: string, comment?: string): Promise<PostView> {
  const post = await setWorkflow(scope, postId, ['pending_approval'], 'scheduled', { review_comment: comment ?? null, reviewed_by: scope.actor.userId });
  const now = scope.now();
  const dueAt = post.due_at && post.due_at > now ? post.due_at : now;
  await scope.updateTable('posts').set({ due_at: dueAt }).where('id', '=', postId).execute();
  await scope
    .updateTable('post_targets')
    .set({ state: 'scheduled', due_at: dueAt, next_attempt_at: dueAt, updated_at: now })
    .where('post_id', '=', postId)
    .where('state', '=', 'draft')
    .execute();
  await scope.audit('post.approved', { postId, dueAt });
  return getPost(scope, postId);
}

export async function rejectPost(scope: OrgScope, postId: string, comment?: string): Promise<PostView> {
  await setWorkflow(scope, postId, ['pending_approval'], 'rejected', { review_comment: comment ?? null, reviewed_by: scope.actor.userId });
  await scope.audit('post.rejected', { postId, comment });
  return getPost(scope, postId);
}

/** Stops what has not gone out; targets already in flight or published are left as they are. */
export async function cancelPost(scope: OrgScope, postId: string): Promise<PostView> {
  const post = await scope.selectFrom('posts').select('workflow').where('id', '=', postId).executeTakeFirst();
  if (!post) throw new DomainError('post_not_found', 'Post not found', 404);
  await scope
    .updateTable('post_targets')
    .set({ state: 'cancelled', next_attempt_at: null, updated_at: scope.now() })
    .where('post_id', '=', postId)
    .where('state', 'in', ['draft', 'scheduled', 'retrying'])
    .execute();
  const remaining = await scope.selectFrom('post_targets').select('state').where('post_id', '=', postId).where('state', '!=', 'cancelled').execute();
  if (remaining.length === 0) await scope.updateTable('posts').set({ workflow: 'cancelled', updated_at: scope.now() }).where('id', '=', postId).execute();
  await scope.audit('post.cancelled', { postId });
  return getPost(scope, postId);
}

/** Sends the failed targets again, and only those: published ones are never touched. */
export async function retryFailedTargets(scope: OrgScope, postId: string): Promise<PostView> {
  const now = scope.now();
  const result = await scope
    .updateTable('post_targets')
    // 1, not 0: the next claim makes it attempt 2, which tells X-like networks an earlier try may have landed.
    .set({ state: 'retrying', next_attempt_at: now, attempts: 1, failure_kind: null, failure_reason: null, updated_at: now })
    .where('post_id', '=', postId)
    .where('state', '=', 'failed')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new DomainError('nothing_to_retry', 'This post has no failed targets', 409);
  await scope.audit('post.retried', { postId, targets: Number(result.numUpdatedRows) });
  return getPost(scope, postId);
}

export async function deletePost(scope: OrgScope, postId: string): Promise<void> {
  const targets = await scope.selectFrom('post_targets').select('state').where('post_id', '=', postId).execute();
  if (targets.some((t) => ['publishing', 'published', 'retrying', 'failed'].includes(t.state))) {
    throw new DomainError('post_not_deletable', 'Posts that went (or tried to go) out stay in the history; cancel what is left instead', 409);
  }
  const result = await scope.deleteFrom('posts').where('id', '=', postId).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new DomainError('post_not_found', 'Post not found', 404);
  await scope.audit('post.deleted', { postId });
}

export async function getQueue(scope: OrgScope, channelAccountId: string): Promise<QueueView> {
  const rows = await scope
    .selectFrom('posting_slots')
    .selectAll()
    .where('channel_account_id', '=', channelAccountId)
    .orderBy('weekday')
    .orderBy('time')
    .execute();
  return { channelAccountId, timeZone: rows[0]?.time_zone ?? 'UTC', slots: rows.map((r) => ({ weekday: r.weekday, time: r.time })) };
}

export async function setQueue(scope: OrgScope, directory: ChannelDirectory, queue: QueueView): Promise<QueueView> {
  await resolveChannels(directory, scope, [queue.channelAccountId]);
  await scope.deleteFrom('posting_slots').where('channel_account_id', '=', queue.channelAccountId).execute();
  const unique = [...new Map(queue.slots.map((s) => [`${s.weekday} ${s.time}`, s])).values()];
  await scope.insertInto(
    'posting_slots',
    unique.map((slot) => ({ id: newId(), channel_account_id: queue.channelAccountId, weekday: slot.weekday, time: slot.time, time_zone: queue.timeZone })),
  );
  await scope.audit('queue.updated', { channelAccountId: queue.channelAccountId, slots: unique.length });
  return getQueue(scope, queue.channelAccountId);
}
