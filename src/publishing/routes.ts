import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { scopeOf } from '../http/org-scoped.js';
import type { SafeFetch } from '../lib/outbound-http/safe-fetch.js';
import { announce } from '../notifications/service.js';
import type { ChannelDirectory } from '../channels/channel-directory.js';
import type { LinkShortening } from './link-shortening.js';
import { importCsv } from './bulk-import.js';
import { mediaContent, updateMediaAlt, uploadMedia } from './media.js';
import {
  BulkImportBody,
  EditPostBody,
  MediaAltBody,
  MediaBody,
  MediaParams,
  NewPostBody,
  PostListQuery,
  PostParams,
  ReviewBody,
  ScheduleBody,
  SlotsBody,
  SlotsParams,
} from './schemas.js';
import {
  approvePost,
  cancelPost,
  cancelSeriesFrom,
  createPost,
  deletePost,
  editPost,
  getPost,
  getQueue,
  listPosts,
  rejectPost,
  retryFailedTargets,
  schedulePost,
  setQueue,
  submitForApproval,
} from './service.js';
import { BinaryBody, errorAnswers, NoBody } from '../../core/api/errors.js';
import { BulkReportAnswer, MediaAnswer, PostAnswer, PostsAnswer, QueueAnswer } from '../../core/api/publishing.js';

const tags = ['publishing'];

/** Composer, approval, calendar and queue routes; registered under /api/orgs/:orgId. */
export function publishingRoutes(directory: ChannelDirectory, announceFetch: () => SafeFetch, shortening: LinkShortening) {
  return async function routes(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/posts',
      {
        config: { permission: 'posts.write', idempotent: true },
        schema: {
          tags,
          summary: 'Compose a post: save a draft, submit for approval, schedule, queue or publish now',
          body: NewPostBody,
          response: { 201: PostAnswer, ...errorAnswers },
        },
      },
      async (request, reply) => reply.status(201).send({ post: await createPost(scopeOf(request), directory, shortening, request.body) }),
    );

    app.post(
      '/media',
      {
        config: { permission: 'posts.write', idempotent: true },
        // 5 MB as base64 plus the JSON around it; the decoded size is checked exactly (413).
        bodyLimit: 8 * 1024 * 1024,
        schema: {
          tags,
          summary: 'Upload an image (JPEG, PNG, WebP or GIF, up to 5 MB) with its alt text, to attach to a post by id',
          body: MediaBody,
          response: { 201: MediaAnswer, ...errorAnswers },
        },
      },
      async (request, reply) => reply.status(201).send({ media: await uploadMedia(scopeOf(request), request.body) }),
    );

    app.patch(
      '/media/:mediaId',
      {
        config: { permission: 'posts.write' },
        schema: { tags, summary: "Change an image's alt text", params: MediaParams, body: MediaAltBody, response: { 200: MediaAnswer, ...errorAnswers } },
      },
      async (request) => ({ media: await updateMediaAlt(scopeOf(request), request.params.mediaId, request.body.alt) }),
    );

    app.get(
      '/media/:mediaId/content',
      {
        config: { permission: 'posts.read' },
        schema: { tags, summary: 'The image itself (for the composer preview)', params: MediaParams, response: { 200: BinaryBody, ...errorAnswers } },
      },
      async (request, reply) => {
        const { mimeType, data } = await mediaContent(scopeOf(request), request.params.mediaId);
        return reply.header('content-type', mimeType).header('x-content-type-options', 'nosniff').header('cache-control', 'private, max-age=3600').send(data);
      },
    );

    app.get(
      '/posts',
      {
        config: { permission: 'posts.read' },
        schema: {
          tags,
          summary: 'Posts by due time (the calendar), with every target state',
          querystring: PostListQuery,
          response: { 200: PostsAnswer, ...errorAnswers },
        },
      },
      async (request) => ({ posts: await listPosts(scopeOf(request), request.query) }),
    );

    app.get(
      '/posts/:postId',
      {
        config: { permission: 'posts.read' },
        schema: { tags, summary: 'One post and its targets', params: PostParams, response: { 200: PostAnswer, ...errorAnswers } },
      },
      async (request) => ({
        post: await getPost(scopeOf(request), request.params.postId),
      }),
    );

    app.patch(
      '/posts/:postId',
      {
        config: { permission: 'posts.write' },
        schema: {
          tags,
          summary: 'Edit or reschedule a post that has not started publishing',
          params: PostParams,
          body: EditPostBody,
          response: { 200: PostAnswer, ...errorAnswers },
        },
      },
      async (request) => ({ post: await editPost(scopeOf(request), directory, shortening, request.params.postId, request.body) }),
    );

    app.delete(
      '/posts/:postId',
      {
        config: { permission: 'posts.write' },
        schema: { tags, summary: 'Delete a post that never went out', params: PostParams, response: { 204: NoBody, ...errorAnswers } },
      },
      async (request, reply) => {
        await deletePost(scopeOf(request), request.params.postId);
        return reply.status(204).send();
      },
    );

    app.post(
      '/posts/:postId/schedule',
      {
        config: { permission: 'posts.publish', idempotent: true },
        schema: {
          tags,
          summary: 'Schedule, queue or publish now a draft (or a rejected post) in place',
          params: PostParams,
          body: ScheduleBody,
          response: { 200: PostAnswer, ...errorAnswers },
        },
      },
      async (request) => ({ post: await schedulePost(scopeOf(request), directory, shortening, request.params.postId, request.body) }),
    );

    app.post(
      '/posts/bulk',
      {
        config: { permission: 'posts.publish', idempotent: true },
        bodyLimit: 3 * 1024 * 1024,
        schema: {
          tags,
          summary: 'Schedule many posts from CSV (account,time,text[,media_url][,campaign]): every row is checked first',
          body: BulkImportBody,
          response: { 200: BulkReportAnswer, ...errorAnswers },
        },
      },
      async (request) => ({ report: await importCsv(scopeOf(request), directory, shortening, request.body) }),
    );

    app.post(
      '/posts/:postId/submit',
      {
        config: { permission: 'posts.write' },
        schema: { tags, summary: 'Submit a draft for approval', params: PostParams, response: { 200: PostAnswer, ...errorAnswers } },
      },
      async (request) => ({ post: await submitForApproval(scopeOf(request), directory, shortening, request.params.postId) }),
    );

    app.post(
      '/posts/:postId/approve',
      {
        config: { permission: 'posts.publish' },
        schema: {
          tags,
          summary: 'Approve: the post is scheduled (or goes out now if its time has passed)',
          params: PostParams,
          body: ReviewBody,
          response: { 200: PostAnswer, ...errorAnswers },
        },
      },
      async (request) => ({ post: await approvePost(scopeOf(request), request.params.postId, request.body.comment) }),
    );

    app.post(
      '/posts/:postId/reject',
      {
        config: { permission: 'posts.publish' },
        schema: { tags, summary: 'Reject with a comment for the author', params: PostParams, body: ReviewBody, response: { 200: PostAnswer, ...errorAnswers } },
      },
      async (request) => {
        const scope = scopeOf(request);
        const post = await rejectPost(scope, request.params.postId, request.body.comment);
        await announce(scope, announceFetch(), {
          kind: 'post.rejected',
          userId: post.authorUserId,
          title: 'Your post was not approved',
          body: request.body.comment ?? '',
          link: `/orgs/${scope.orgId}/publish?post=${post.id}`,
          payload: { postId: post.id, comment: request.body.comment ?? null },
        });
        return { post };
      },
    );

    app.post(
      '/posts/:postId/cancel',
      {
        config: { permission: 'posts.publish' },
        schema: { tags, summary: 'Stop the targets that have not gone out', params: PostParams, response: { 200: PostAnswer, ...errorAnswers } },
      },
      async (request) => ({ post: await cancelPost(scopeOf(request), request.params.postId) }),
    );

    app.post(
      '/posts/:postId/cancel-series',
      {
        config: { permission: 'posts.publish' },
        schema: {
          tags,
          summary: 'Cancel this occurrence of a repeating post and every later one',
          params: PostParams,
          response: { 200: PostsAnswer, ...errorAnswers },
        },
      },
      async (request) => ({ posts: await cancelSeriesFrom(scopeOf(request), request.params.postId) }),
    );

    app.post(
      '/posts/:postId/retry',
      {
        config: { permission: 'posts.publish' },
        schema: { tags, summary: 'Retry only the failed targets', params: PostParams, response: { 200: PostAnswer, ...errorAnswers } },
      },
      async (request) => ({ post: await retryFailedTargets(scopeOf(request), request.params.postId) }),
    );

    app.get(
      '/queues/:channelAccountId',
      {
        config: { permission: 'posts.read' },
        schema: { tags, summary: "An account's weekly posting times", params: SlotsParams, response: { 200: QueueAnswer, ...errorAnswers } },
      },
      async (request) => ({ queue: await getQueue(scopeOf(request), request.params.channelAccountId) }),
    );

    app.put(
      '/queues/:channelAccountId',
      {
        config: { permission: 'posts.publish' },
        schema: {
          tags,
          summary: "Set an account's weekly posting times",
          params: SlotsParams,
          body: SlotsBody,
          response: { 200: QueueAnswer, ...errorAnswers },
        },
      },
      async (request) => ({
        queue: await setQueue(scopeOf(request), directory, {
          channelAccountId: request.params.channelAccountId,
          timeZone: request.body.timeZone,
          slots: request.body.slots,
        }),
      }),
    );
  };
}
