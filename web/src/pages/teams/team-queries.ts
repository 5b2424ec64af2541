import { queryOptions, useQuery } from '@tanstack/react-query';
import { listInvitations, listMembers } from '../../api/orgs.js';

export const membersKey = (orgId: string) => ['org', orgId, 'members'] as const;
export const invitationsKey = (orgId: string) => ['org', orgId, 'invitations'] as const;

export const membersQuery = (orgId: string) => queryOptions({ queryKey: membersKey(orgId), queryFn: () => listMembers(orgId).then((r) => r.members) });

export const useMembers = (orgId: string) => useQuery(membersQuery(orgId));

export const useInvitations = (orgId: string) =>
  useQuery({ queryKey: invitationsKey(orgId), queryFn: () => listInvitations(orgId).then((r) => r.invitations) });
