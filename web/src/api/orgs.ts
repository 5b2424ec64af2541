import { request, segment } from './client.js';
import type { AuditEvent, Invitation, Member, Org, Role } from './types.js';

const org = (orgId: string) => `/api/orgs/${segment(orgId)}`;

export const listOrgs = () => request<{ orgs: Org[] }>('GET', '/api/orgs');

export const createOrg = (name: string, idempotencyKey: string) => request<{ org: Org }>('POST', '/api/orgs', { name }, { idempotencyKey });

export const getOrg = (orgId: string) => request<{ org: Org }>('GET', org(orgId));

export const renameOrg = (orgId: string, name: string) => request<{ org: Org }>('PATCH', org(orgId), { name });

/** Owners only; turning the requirement on needs two-factor sign-in on the owner's own account first. */
export const setOrgSecurity = (orgId: string, settings: { requireTwoFactor: boolean }) => request<{ org: Org }>('PATCH', `${org(orgId)}/security`, settings);

export const deleteOrg = (orgId: string) => request<void>('DELETE', org(orgId));

export const leaveOrg = (orgId: string) => request<void>('DELETE', `${org(orgId)}/membership`);

export const listMembers = (orgId: string) => request<{ members: Member[] }>('GET', `${org(orgId)}/members`);

export const changeMemberRole = (orgId: string, userId: string, role: Role) =>
  request<{ members: Member[] }>('PATCH', `${org(orgId)}/members/${segment(userId)}`, { role });

export const removeMember = (orgId: string, userId: string) => request<void>('DELETE', `${org(orgId)}/members/${segment(userId)}`);

export const listInvitations = (orgId: string) => request<{ invitations: Invitation[] }>('GET', `${org(orgId)}/invitations`);

export const createInvitation = (orgId: string, input: { role: Role; email?: string }, idempotencyKey: string) =>
  request<{ invitation: Invitation; token: string; url: string }>('POST', `${org(orgId)}/invitations`, input, { idempotencyKey });

export const revokeInvitation = (orgId: string, invitationId: string) => request<void>('DELETE', `${org(orgId)}/invitations/${segment(invitationId)}`);

export const listAuditEvents = (orgId: string, limit = 100) => request<{ events: AuditEvent[] }>('GET', `${org(orgId)}/audit?limit=${limit}`);
