import type { TeamAttachmentView, TeamGroupView, TeamPostPage, TeamPostView } from '@core/api/team-feed.js';
import { request, segment } from './client.js';

/** Shapes of the team feed API: the server's own (core/api/team-feed.ts). */
export type TeamGroup = TeamGroupView;
export type TeamAttachment = TeamAttachmentView;
export type TeamPost = TeamPostView;

export interface NewAttachment {
  name: string;
  contentType: string;
  dataBase64: string;
}

export interface TeamPostFilter {
  groupId?: string | undefined;
  mentioningMe?: boolean;
  before?: string | undefined;
}

const feed = (orgId: string) => `/api/orgs/${segment(orgId)}/team-feed`;

export function listTeamPosts(orgId: string, filter: TeamPostFilter) {
  const query = new URLSearchParams();
  if (filter.groupId) query.set('groupId', filter.groupId);
  if (filter.mentioningMe) query.set('mentioningMe', 'true');
  if (filter.before) query.set('before', filter.before);
  const qs = query.toString();
  return request<TeamPostPage>('GET', `${feed(orgId)}/posts${qs ? `?${qs}` : ''}`);
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
