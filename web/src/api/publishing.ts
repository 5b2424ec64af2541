import { request, segment } from './client.js';
import type { BulkReport, PostStatus, PostView, PostWorkflow, QueueView, TargetState, TargetView } from '@core/api/publishing.js';

/** Answers of src/publishing/routes.ts: the server's own (core/api/publishing.ts). */
export type { PostStatus, PostWorkflow, TargetState };
export type Target = TargetView;
export type Post = PostView;
export type PostAction = 'draft' | 'submit' | 'schedule' | 'publish_now' | 'queue';

export interface ScheduledAt {
  /** Wall-clock time in `timeZone`, e.g. 2027-03-29T09:00. */
  local: string;
  timeZone: string;
}

export interface NewPost {
  text: string;
  overrides: Record<string, string>;
  channelAccountIds: string[];
  action: PostAction;
  scheduledAt?: ScheduledAt;
  timeZone?: string;
  campaign?: string;
  /** Shorten this post's links at publish; omitted: the org's default. */
  shortenLinks?: boolean;
  /** A reply or quote: the post on its network (Bluesky also needs its CID; the server looks it up when null). */
  replyTo?: PostRef;
  quote?: PostRef;
  mediaIds?: string[];
  /** Schedule only: this post and the next count-1 occurrences at the same wall-clock time. */
  repeat?: { every: RepeatEvery; count: number };
}

export type RepeatEvery = 'day' | 'week' | 'month';

export interface PostRef {
  remoteId: string;
  cid?: string | null;
  rootRemoteId?: string;
  rootCid?: string | null;
  /** Replying to a direct message from this handle: the reply stays private. */
  privateTo?: string;
}

export interface PostEdit {
  text?: string;
  overrides?: Record<string, string>;
  channelAccountIds?: string[];
  scheduledAt?: ScheduledAt;
  campaign?: string | null;
  shortenLinks?: boolean | null;
  mediaIds?: string[];
}

export interface PostFilter {
  from?: string;
  to?: string;
  workflow?: PostWorkflow;
  channelAccountId?: string;
  campaign?: string;
  /** Derived statuses, comma-separated: e.g. failed,partially_published. */
  status?: string;
  order?: 'due_asc' | 'due_desc' | 'updated_desc';
  limit?: number;
}

/** What POST /posts/bulk found in a CSV. */
export type { BulkReport };

export interface QueueSlot {
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** HH:mm in the queue's time zone. */
  time: string;
}

export type Queue = QueueView;

/** One entry of a 422 text_does_not_fit error's details. */
export interface TextProblem {
  channelAccountId: string;
  network: string;
  problem: 'empty' | 'too_long';
  length?: number;
  limit?: number;
}

const org = (orgId: string) => `/api/orgs/${segment(orgId)}`;
const post = (orgId: string, postId: string) => `${org(orgId)}/posts/${segment(postId)}`;

export function listPosts(orgId: string, filter: PostFilter = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value !== undefined && value !== '') query.set(key, String(value));
  const qs = query.toString();
  return request<{ posts: Post[] }>('GET', `${org(orgId)}/posts${qs ? `?${qs}` : ''}`).then((r) => r.posts);
}

export const createPost = (orgId: string, input: NewPost, idempotencyKey: string) =>
  request<{ post: Post }>('POST', `${org(orgId)}/posts`, input, { idempotencyKey }).then((r) => r.post);
export const getPost = (orgId: string, postId: string) => request<{ post: Post }>('GET', post(orgId, postId)).then((r) => r.post);
export const editPost = (orgId: string, postId: string, edit: PostEdit) => request<{ post: Post }>('PATCH', post(orgId, postId), edit).then((r) => r.post);
export const deletePost = (orgId: string, postId: string) => request<void>('DELETE', post(orgId, postId));
export const submitPost = (orgId: string, postId: string) => request<{ post: Post }>('POST', `${post(orgId, postId)}/submit`).then((r) => r.post);
export const approvePost = (orgId: string, postId: string, comment?: string) =>
  request<{ post: Post }>('POST', `${post(orgId, postId)}/approve`, comment ? { comment } : {}).then((r) => r.post);
export const rejectPost = (orgId: string, postId: string, comment?: string) =>
  request<{ post: Post }>('POST', `${post(orgId, postId)}/reject`, comment ? { comment } : {}).then((r) => r.post);
/** Schedule, queue or publish a draft (or rejected post) in place, keeping its id. */
export const schedulePost = (
  orgId: string,
  postId: string,
  input: { action: 'schedule' | 'publish_now' | 'queue'; scheduledAt?: ScheduledAt },
  idempotencyKey: string,
) => request<{ post: Post }>('POST', `${post(orgId, postId)}/schedule`, input, { idempotencyKey }).then((r) => r.post);
export const cancelPost = (orgId: string, postId: string) => request<{ post: Post }>('POST', `${post(orgId, postId)}/cancel`).then((r) => r.post);
/** Cancels this occurrence of a repeating post and every later one. */
export const cancelSeriesFrom = (orgId: string, postId: string) =>
  request<{ posts: Post[] }>('POST', `${post(orgId, postId)}/cancel-series`).then((r) => r.posts);
export const retryPost = (orgId: string, postId: string) => request<{ post: Post }>('POST', `${post(orgId, postId)}/retry`).then((r) => r.post);

export const getQueue = (orgId: string, channelAccountId: string) =>
  request<{ queue: Queue }>('GET', `${org(orgId)}/queues/${segment(channelAccountId)}`).then((r) => r.queue);
export const setQueue = (orgId: string, channelAccountId: string, queue: { timeZone: string; slots: QueueSlot[] }) =>
  request<{ queue: Queue }>('PUT', `${org(orgId)}/queues/${segment(channelAccountId)}`, queue).then((r) => r.queue);

export const importCsv = (orgId: string, input: { csv: string; timeZone: string; dryRun: boolean; importValidOnly?: boolean }, idempotencyKey: string) =>
  request<{ report: BulkReport }>('POST', `${org(orgId)}/posts/bulk`, input, { idempotencyKey }).then((r) => r.report);
