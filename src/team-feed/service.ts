import { DomainError } from '../lib/domain-error.js';
import { newId } from '../lib/ids.js';
import { userSummaries } from '../accounts/users.js';
import type { OrgScope } from '../teams/org-scope.js';
import { orgMembers } from '../teams/service.js';
import { resolveMentions, teamRules, TEAM_POST_MAX_LENGTH } from '../../core/networks/team.js';
import type { TeamGroupView, TeamPostPage, TeamPostView } from '../../core/api/team-feed.js';

export type { TeamGroupView, TeamPostView };

export { TEAM_POST_MAX_LENGTH };
export const ATTACHMENT_MAX_BYTES = 1024 * 1024;
export const ATTACHMENTS_PER_POST = 4;

export interface NewTeamPost {
  text: string;
  groupId?: string | undefined;
  attachments?: { name: string; contentType: string; data: Buffer }[] | undefined;
  idempotencyKey?: string | undefined;
}

export async function createGroup(scope: OrgScope, input: { name: string; description?: string | undefined }): Promise<TeamGroupView> {
  const name = input.name.trim();
  const taken = await scope.selectFrom('team_groups').select('id').where('name', '=', name).executeTakeFirst();
  if (taken) throw new DomainError('group_name_taken', `There is already a group called "${name}"`, 409);
  const group = { id: newId(), name, description: input.description?.trim() ?? '', created_by: scope.actor.userId, created_at: scope.now() };
  await scope.transaction(async (tx) => {
    await tx.insertInto('team_groups', group);
    await tx.insertInto('team_group_members', { group_id: group.id, user_id: scope.actor.userId, joined_at: group.created_at });
    await tx.audit('team_group.created', { groupId: group.id, name });
  });
  return { id: group.id, name, description: group.description, memberCount: 1, joined: true, createdAt: group.created_at };
}

export async function listGroups(scope: OrgScope): Promise<TeamGroupView[]> {
  const groups = await scope.selectFrom('team_groups').selectAll().orderBy('name').execute();
  const memberships = await scope.selectFrom('team_group_members').select(['group_id', 'user_id']).execute();
  return groups.map((g) => {
    const members = memberships.filter((m) => m.group_id === g.id);
    return {
      id: g.id,
      name: g.name,
      description: g.description,
      memberCount: members.length,
      joined: members.some((m) => m.user_id === scope.actor.userId),
      createdAt: g.created_at,
    };
  });
}

async function requireGroup(scope: OrgScope, groupId: string): Promise<void> {
  const group = await scope.selectFrom('team_groups').select('id').where('id', '=', groupId).executeTakeFirst();
  if (!group) throw new DomainError('group_not_found', 'Group not found', 404);
}

export async function joinGroup(scope: OrgScope, groupId: string): Promise<void> {
  await requireGroup(scope, groupId);
  const already = await scope
    .selectFrom('team_group_members')
    .select('user_id')
    .where('group_id', '=', groupId)
    .where('user_id', '=', scope.actor.userId)
    .executeTakeFirst();
  if (!already) await scope.insertInto('team_group_members', { group_id: groupId, user_id: scope.actor.userId, joined_at: scope.now() });
}

export async function leaveGroup(scope: OrgScope, groupId: string): Promise<void> {
  await requireGroup(scope, groupId);
  await scope.deleteFrom('team_group_members').where('group_id', '=', groupId).where('user_id', '=', scope.actor.userId).execute();
}

/** Posts a status update; returns the earlier post when the idempotency key was already used. */
export async function createPost(scope: OrgScope, input: NewTeamPost): Promise<{ post: TeamPostView; alreadyExisted: boolean }> {
  if (input.idempotencyKey) {
    const earlier = await scope.selectFrom('team_posts').select('id').where('idempotency_key', '=', input.idempotencyKey).executeTakeFirst();
    if (earlier) return { post: (await presentPosts(scope, [earlier.id]))[0]!, alreadyExisted: true };
  }
  const text = input.text.trim();
  if (!text && !input.attachments?.length) throw new DomainError('empty_post', 'Write something or attach a file', 400);
  if (teamRules.measureText(text).tooLong) throw new DomainError('post_too_long', `A team post may have at most ${TEAM_POST_MAX_LENGTH} characters`, 400);
  const attachments = input.attachments ?? [];
  if (attachments.length > ATTACHMENTS_PER_POST) throw new DomainError('too_many_attachments', `At most ${ATTACHMENTS_PER_POST} attachments per post`, 400);
  const tooBig = attachments.find((a) => a.data.length > ATTACHMENT_MAX_BYTES);
  if (tooBig) throw new DomainError('attachment_too_large', `"${tooBig.name}" is larger than ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB`, 400);
  if (input.groupId) {
    await requireGroup(scope, input.groupId);
    const member = await scope
      .selectFrom('team_group_members')
      .select('user_id')
      .where('group_id', '=', input.groupId)
      .where('user_id', '=', scope.actor.userId)
      .executeTakeFirst();
    if (!member) throw new DomainError('not_in_group', 'Join the group before posting to it', 403);
  }
  const mentioned = resolveMentions(text, await orgMembers(scope));
  const post = {
    id: newId(),
    author_user_id: scope.actor.userId,
    group_id: input.groupId ?? null,
    text,
    idempotency_key: input.idempotencyKey ?? null,
    created_at: scope.now(),
  };
  return scope.transaction(async (tx) => {
    await tx.insertInto('team_posts', post);
    await tx.insertInto(
      'team_post_mentions',
      mentioned.map((userId) => ({ post_id: post.id, user_id: userId })),
    );
    await tx.insertInto(
      'team_attachments',
      attachments.map((a) => ({ id: newId(), post_id: post.id, name: a.name, content_type: a.contentType, size: a.data.length, data: a.data })),
    );
    // Read inside the transaction: once the post is committed, nothing may fail the request (a 5xx would invite a duplicate).
    return { post: (await presentPosts(tx, [post.id]))[0]!, alreadyExisted: false };
  });
}

export interface PostQuery {
  groupId?: string | undefined;
  mentioning?: string | undefined;
  /** Keyset cursor `<created_at>|<id>` of the last post of the previous page. */
  before?: string | null | undefined;
  limit: number;
}

/** Newest first. The whole feed holds org-wide posts and those of the caller's groups; a group's page holds all of its posts. */
export async function listPosts(scope: OrgScope, query: PostQuery): Promise<TeamPostPage> {
  let select = scope.selectFrom('team_posts').select(['team_posts.id', 'team_posts.created_at']);
  if (query.groupId) {
    await requireGroup(scope, query.groupId);
    select = select.where('team_posts.group_id', '=', query.groupId);
  } else {
    const myGroups = scope.selectFrom('team_group_members').select('group_id').where('user_id', '=', scope.actor.userId);
    select = select.where((eb) => eb.or([eb('team_posts.group_id', 'is', null), eb('team_posts.group_id', 'in', myGroups)]));
  }
  if (query.mentioning) {
    const mentioned = scope.selectFrom('team_post_mentions').select('post_id').where('user_id', '=', query.mentioning);
    select = select.where('team_posts.id', 'in', mentioned);
  }
  if (query.before) {
    const [at, id] = query.before.split('|');
    if (!at || !id) throw new DomainError('bad_cursor', 'That page cursor is not one Chorus gave out', 400);
    select = select.where((eb) => eb.or([eb('team_posts.created_at', '<', at), eb.and([eb('team_posts.created_at', '=', at), eb('team_posts.id', '<', id)])]));
  }
  const rows = await select
    .orderBy('team_posts.created_at', 'desc')
    .orderBy('team_posts.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    posts: await presentPosts(
      scope,
      page.map((r) => r.id),
    ),
    nextCursor: rows.length > query.limit && last ? `${last.created_at}|${last.id}` : null,
  };
}

/** Whether the scope's org has this team post. Groups are open: any member may join one and read its posts. */
export async function teamPostExists(scope: OrgScope, postId: string): Promise<boolean> {
  return (await scope.selectFrom('team_posts').select('id').where('id', '=', postId).executeTakeFirst()) !== undefined;
}

export async function deletePost(scope: OrgScope, postId: string): Promise<void> {
  const post = await scope.selectFrom('team_posts').select(['author_user_id']).where('id', '=', postId).executeTakeFirst();
  if (!post) throw new DomainError('post_not_found', 'Post not found', 404);
  if (post.author_user_id !== scope.actor.userId) throw new DomainError('not_your_post', 'Only the author can delete a post', 403);
  await scope.deleteFrom('team_posts').where('id', '=', postId).execute();
}

export async function readAttachment(scope: OrgScope, attachmentId: string): Promise<{ name: string; contentType: string; data: Buffer }> {
  const row = await scope.selectFrom('team_attachments').select(['name', 'content_type', 'data']).where('id', '=', attachmentId).executeTakeFirst();
  if (!row) throw new DomainError('attachment_not_found', 'Attachment not found', 404);
  return { name: row.name, contentType: row.content_type, data: Buffer.from(row.data) };
}

async function presentPosts(scope: OrgScope, ids: string[]): Promise<TeamPostView[]> {
  if (ids.length === 0) return [];
  const posts = await scope.selectFrom('team_posts').select(['id', 'author_user_id', 'group_id', 'text', 'created_at']).where('id', 'in', ids).execute();
  const mentionRows = await scope.selectFrom('team_post_mentions').select(['post_id', 'user_id']).where('post_id', 'in', ids).execute();
  // Names come from accounts; a mention of a deleted user is dropped, an author's name becomes ''.
  const users = await userSummaries(scope.shared, [
    ...posts.flatMap((p) => (p.author_user_id ? [p.author_user_id] : [])),
    ...mentionRows.map((m) => m.user_id),
  ]);
  const mentions = mentionRows.flatMap((m) => {
    const user = users.get(m.user_id);
    return user ? [{ post_id: m.post_id, id: m.user_id, name: user.name }] : [];
  });
  const attachments = await scope
    .selectFrom('team_attachments')
    .select(['id', 'post_id', 'name', 'content_type', 'size'])
    .where('post_id', 'in', ids)
    .orderBy('name')
    .execute();
  const byId = new Map(posts.map((p) => [p.id, p]));
  return ids.flatMap((id) => {
    const p = byId.get(id);
    if (!p) return [];
    return [
      {
        id: p.id,
        author: p.author_user_id ? { userId: p.author_user_id, name: users.get(p.author_user_id)?.name ?? '' } : null,
        groupId: p.group_id,
        text: p.text,
        mentions: mentions.filter((m) => m.post_id === id).map((m) => ({ userId: m.id, name: m.name })),
        attachments: attachments.filter((a) => a.post_id === id).map((a) => ({ id: a.id, name: a.name, contentType: a.content_type, size: Number(a.size) })),
        createdAt: p.created_at,
      },
    ];
  });
}
