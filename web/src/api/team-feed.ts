import { request, segment } from './client.js';

/** Response shapes of src/team-feed/routes.ts (TeamPostView, TeamGroupView). */
export interface TeamGroup {
  id: string;
  name: string;
  description: string;
  memberCount: number;
  joined: boolean;
  createdAt: string;
}

export interface TeamAttachment {
  id: string;
  name: string;
  contentType: string;
  size: number;
}

export interface TeamPost {
  id: string;
  /** Null once the author's account is gone. */
  author: { userId: string; name: string } | null;
  groupId: string | null;
  text: string;
  mentions: { userId: string; name: string }[];
  attachments: TeamAttachment[];
  createdAt: string;
}

export interface NewAttachment {
  name: string;
  contentType: string;
  dataBase64: string;
}

export interface TeamPostFilter {
  groupId?: string | undefined;
  mentioningMe?: boolean;
  cursor?: string | undefined;
}

const feed = (orgId: string) => `/api/orgs/${segment(orgId)}/team-feed`;

export function listTeamPosts(orgId: string, filter: TeamPostFilter) {
  const query = new URLSearchParams();
  if (filter.groupId) query.set('groupId', filter.groupId);
  if (filter.mentioningMe) query.set('mentioningMe', 'true');
  if (filter.cursor) query.set('cursor', filter.cursor);
  const qs = query.toString();
  return request<{ posts: TeamPost[]; olderCursor: string | null }>('GET', `${feed(orgId)}/posts${qs ? `?${qs}` : ''}`);
}

export const createTeamPost = (orgId: string, input: { text: string; groupId?: string; attachments?: NewAttachment[] }, idempotencyKey: string) =>
  request<{ post: TeamPost }>('POST', `${feed(orgId)}/posts`, input, { idempotencyKey }).then((r) => r.post);

export const deleteTeamPost = (orgId: string, postId: string) => request<void>('DELETE', `${feed(orgId)}/posts/${segment(postId)}`);

/** Served as a download (content-disposition: attachment), never rendered inline. */
export const attachmentUrl = (orgId: string, attachmentId: string) => `${feed(orgId)}/attachments/${segment(attachmentId)}`;

export const listGroups = (orgId: string) => request<{ groups: TeamGroup[] }>('GET', `${feed(orgId)}/groups`).then((r) => r.groups);

export const createGroup = (orgId: string, input: { name: string; description?: string }, idempotencyKey: string) =>
  request<{ group: TeamGroup }>('POST', `${feed(orgId)}/groups`, input, { idempotencyKey }).then((r) => r.group);

export const joinGroup = (orgId: string, groupId: string) => request<void>('POST', `${feed(orgId)}/groups/${segment(groupId)}/members`);

export const leaveGroup = (orgId: string, groupId: string) => request<void>('DELETE', `${feed(orgId)}/groups/${segment(groupId)}/members`);
