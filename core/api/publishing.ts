import { z } from 'zod';

/** What a post looks like from the outside; computed from its workflow and its targets' states. */
export const POST_STATUSES = [
  'draft',
  'pending_approval',
  'rejected',
  'cancelled',
  'scheduled',
  'publishing',
  'published',
  'partially_published',
  'failed',
] as const;
export const PostStatus = z.enum(POST_STATUSES);
export type PostStatus = z.infer<typeof PostStatus>;
export const POST_WORKFLOWS = ['draft', 'pending_approval', 'rejected', 'scheduled', 'cancelled'] as const;
export const PostWorkflow = z.enum(POST_WORKFLOWS);
export type PostWorkflow = z.infer<typeof PostWorkflow>;
export const TARGET_STATES = ['draft', 'scheduled', 'publishing', 'retrying', 'published', 'failed', 'cancelled'] as const;
export const TargetState = z.enum(TARGET_STATES);
export type TargetState = z.infer<typeof TargetState>;

/** One account a post goes out on. */
export const TargetView = z.object({
  id: z.string(),
  channelAccountId: z.string(),
  network: z.string(),
  state: TargetState,
  body: z.string(),
  dueAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  attempts: z.number(),
  remoteId: z.string().nullable(),
  remoteUrl: z.string().nullable(),
  /** The live post's https page; null when the network's answer is none a browser opens (an at-uri, a non-https URL). */
  url: z.string().nullable(),
  failureKind: z.string().nullable(),
  failureReason: z.string().nullable(),
  publishedAt: z.string().nullable(),
});
export type TargetView = z.infer<typeof TargetView>;

/** An uploaded image; its bytes are at …/media/:mediaId/content. */
export const MediaView = z.object({ id: z.string(), mimeType: z.string(), bytes: z.number(), alt: z.string() });
export type MediaView = z.infer<typeof MediaView>;

export const PostView = z.object({
  id: z.string(),
  status: PostStatus,
  workflow: PostWorkflow,
  text: z.string(),
  overrides: z.record(z.string(), z.string()),
  scheduledLocal: z.string().nullable(),
  timeZone: z.string(),
  dueAt: z.string().nullable(),
  campaign: z.string().nullable(),
  /** Shorten this post's links at publish; null: the org's default. */
  shortenLinks: z.boolean().nullable(),
  /** Shared by every occurrence of a repeating post. */
  seriesId: z.string().nullable(),
  authorUserId: z.string(),
  reviewComment: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  targets: z.array(TargetView),
  /** The post's images, in order; sent by the list and the single-post read. */
  media: z.array(MediaView).optional(),
});
export type PostView = z.infer<typeof PostView>;

export const QueueView = z.object({
  channelAccountId: z.string(),
  timeZone: z.string(),
  slots: z.array(z.object({ weekday: z.number(), time: z.string() })),
});
export type QueueView = z.infer<typeof QueueView>;

export const BulkRowProblem = z.object({ line: z.number(), errors: z.array(z.string()) });
export type BulkRowProblem = z.infer<typeof BulkRowProblem>;
/** What a CSV import checked and did; nothing is imported while a row is bad, unless only the valid rows were asked for. */
export const BulkReport = z.object({
  rows: z.number(),
  valid: z.number(),
  invalid: z.array(BulkRowProblem),
  imported: z.number(),
  postIds: z.array(z.string()),
});
export type BulkReport = z.infer<typeof BulkReport>;

export const PostAnswer = z.object({ post: PostView });
export type PostAnswer = z.infer<typeof PostAnswer>;
export const PostsAnswer = z.object({ posts: z.array(PostView) });
export type PostsAnswer = z.infer<typeof PostsAnswer>;
export const MediaAnswer = z.object({ media: MediaView });
export type MediaAnswer = z.infer<typeof MediaAnswer>;
export const QueueAnswer = z.object({ queue: QueueView });
export type QueueAnswer = z.infer<typeof QueueAnswer>;
export const BulkReportAnswer = z.object({ report: BulkReport });
export type BulkReportAnswer = z.infer<typeof BulkReportAnswer>;
