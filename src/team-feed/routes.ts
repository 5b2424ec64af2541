import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { scopeOf } from '../http/org-scoped.js';
import { ringBells } from '../notifications/bell-signal.js';
import { notifyMembers } from '../notifications/service.js';
import type { Store } from '../store/store.js';
import type { OrgScope } from '../teams/org-scope.js';
import {
  ATTACHMENT_MAX_BYTES,
  ATTACHMENTS_PER_POST,
  TEAM_POST_MAX_LENGTH,
  createGroup,
  createPost,
  deletePost,
  joinGroup,
  leaveGroup,
  listGroups,
  listPosts,
  readAttachment,
  type TeamPostView,
} from './service.js';
import { BinaryBody, errorAnswers, NoBody } from '../../core/api/errors.js';
import { PageQuery } from '../../core/api/pagination.js';
import { TeamGroupAnswer, TeamGroupsAnswer, TeamPostAnswer, TeamPostPage } from '../../core/api/team-feed.js';

const tags = ['team feed'];

/** Rings the bell of every teammate the post @mentions (not its author). Best effort: the post is already stored. */
async function tellMentioned(store: Store, scope: OrgScope, post: TeamPostView): Promise<void> {
  const userIds = post.mentions.map((m) => m.userId).filter((id) => id !== scope.actor.userId);
  if (userIds.length === 0) return;
  const author = post.author?.name ?? '';
  const told = await notifyMembers(scope, userIds, {
    kind: 'team.mention',
    title: `${author} mentioned you in the team feed`,
    body: post.text.slice(0, 280),
    link: `/orgs/${scope.orgId}/team`,
  });
  await ringBells(store, scope.orgId, told);
}
const Id = z.string().min(1).max(100);
const GroupParams = z.strictObject({ orgId: z.string(), groupId: Id });
const PostParams = z.strictObject({ orgId: z.string(), postId: Id });
const AttachmentParams = z.strictObject({ orgId: z.string(), attachmentId: Id });
const NewGroupBody = z.strictObject({ name: z.string().trim().min(1, 'must not be empty').max(80), description: z.string().max(500).optional() });
const Attachment = z.strictObject({
  name: z.string().trim().min(1).max(200),
  contentType: z
    .string()
    .regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a media type such as application/pdf')
    .max(100),
  /** Base64 of the file; checked against the size limit after decoding. */
  dataBase64: z
    .string()
    .max(Math.ceil((ATTACHMENT_MAX_BYTES * 4) / 3) + 4, `must be at most ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB`)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
});
const NewPostBody = z.strictObject({
  text: z.string().max(TEAM_POST_MAX_LENGTH),
  groupId: Id.optional(),
  attachments: z.array(Attachment).max(ATTACHMENTS_PER_POST).optional(),
});
/** The list convention (docs/api.md#pagination); `cursor` is the old name of `before`, accepted for one release. */
const PostsQuery = z.strictObject({
  ...PageQuery.shape,
  groupId: Id.optional(),
  mentioningMe: z.enum(['true', 'false']).optional(),
  cursor: z.string().max(200).optional(),
});

/** The org's internal feed: status updates, groups, @mentions and attachments. Under /api/orgs/:orgId. */
export async function teamFeedRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const use = { permission: 'team_feed.use' as const };

  app.get(
    '/team-feed/posts',
    { config: use, schema: { tags, summary: 'Team posts, newest first', querystring: PostsQuery, response: { 200: TeamPostPage, ...errorAnswers } } },
    async (request) => {
      const scope = scopeOf(request);
      const { groupId, mentioningMe, before, cursor, limit } = request.query;
      return listPosts(scope, { groupId, mentioning: mentioningMe === 'true' ? scope.actor.userId : undefined, before: before ?? cursor, limit });
    },
  );

  app.post(
    '/team-feed/posts',
    {
      config: { ...use, idempotent: true },
      bodyLimit: 6 * 1024 * 1024,
      schema: { tags, summary: 'Post a status update (with @mentions and attachments)', body: NewPostBody, response: { 201: TeamPostAnswer, ...errorAnswers } },
    },
    async (request, reply) => {
      const { text, groupId, attachments } = request.body;
      const scope = scopeOf(request);
      const { post, alreadyExisted } = await createPost(scope, {
        text,
        groupId,
        attachments: attachments?.map((a) => ({ name: a.name, contentType: a.contentType, data: Buffer.from(a.dataBase64, 'base64') })),
      });
      if (!alreadyExisted)
        await tellMentioned(fastify.store, scope, post).catch((error: unknown) => request.log.warn({ err: error }, 'team mention notifications failed'));
      return reply.status(201).send({ post });
    },
  );

  app.delete(
    '/team-feed/posts/:postId',
    { config: use, schema: { tags, summary: 'Delete your own post', params: PostParams, response: { 204: NoBody, ...errorAnswers } } },
    async (request, reply) => {
      await deletePost(scopeOf(request), request.params.postId);
      return reply.status(204).send();
    },
  );

  app.get(
    '/team-feed/attachments/:attachmentId',
    { config: use, schema: { tags, summary: 'Download an attachment', params: AttachmentParams, response: { 200: BinaryBody, ...errorAnswers } } },
    async (request, reply) => {
      const file = await readAttachment(scopeOf(request), request.params.attachmentId);
      // Always a download, never rendered inline: the bytes are whatever a teammate uploaded.
      return reply
        .header('content-type', 'application/octet-stream')
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`)
        .header('x-original-content-type', file.contentType)
        .send(file.data);
    },
  );

  app.get(
    '/team-feed/groups',
    { config: use, schema: { tags, summary: 'Groups of the team feed', response: { 200: TeamGroupsAnswer, ...errorAnswers } } },
    async (request) => ({ groups: await listGroups(scopeOf(request)) }),
  );

  app.post(
    '/team-feed/groups',
    {
      config: { ...use, idempotent: true },
      schema: { tags, summary: 'Create a group (you join it)', body: NewGroupBody, response: { 201: TeamGroupAnswer, ...errorAnswers } },
    },
    async (request, reply) => reply.status(201).send({ group: await createGroup(scopeOf(request), request.body) }),
  );

  app.post(
    '/team-feed/groups/:groupId/members',
    { config: use, schema: { tags, summary: 'Join a group', params: GroupParams, response: { 204: NoBody, ...errorAnswers } } },
    async (request, reply) => {
      await joinGroup(scopeOf(request), request.params.groupId);
      return reply.status(204).send();
    },
  );

  app.delete(
    '/team-feed/groups/:groupId/members',
    { config: use, schema: { tags, summary: 'Leave a group', params: GroupParams, response: { 204: NoBody, ...errorAnswers } } },
    async (request, reply) => {
      await leaveGroup(scopeOf(request), request.params.groupId);
      return reply.status(204).send();
    },
  );
}
