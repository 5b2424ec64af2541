import { z } from 'zod';
import { NextCursor } from './pagination.js';

export const TeamGroupView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  memberCount: z.number(),
  joined: z.boolean(),
  createdAt: z.string(),
});
export type TeamGroupView = z.infer<typeof TeamGroupView>;

export const TeamAttachmentView = z.object({ id: z.string(), name: z.string(), contentType: z.string(), size: z.number() });
export type TeamAttachmentView = z.infer<typeof TeamAttachmentView>;

export const TeamPostView = z.object({
  id: z.string(),
  /** Null once the author's account is gone. */
  author: z.object({ userId: z.string(), name: z.string() }).nullable(),
  groupId: z.string().nullable(),
  text: z.string(),
  mentions: z.array(z.object({ userId: z.string(), name: z.string() })),
  attachments: z.array(TeamAttachmentView),
  createdAt: z.string(),
});
export type TeamPostView = z.infer<typeof TeamPostView>;

export const TeamPostPage = z.object({ posts: z.array(TeamPostView), nextCursor: NextCursor });
export type TeamPostPage = z.infer<typeof TeamPostPage>;
export const TeamPostAnswer = z.object({ post: TeamPostView });
export type TeamPostAnswer = z.infer<typeof TeamPostAnswer>;
export const TeamGroupsAnswer = z.object({ groups: z.array(TeamGroupView) });
export type TeamGroupsAnswer = z.infer<typeof TeamGroupsAnswer>;
export const TeamGroupAnswer = z.object({ group: TeamGroupView });
export type TeamGroupAnswer = z.infer<typeof TeamGroupAnswer>;
