import { z } from 'zod';
import { ROLES } from './vocabulary.js';
import { NextCursor } from './pagination.js';

export { ROLES };
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const OrgView = z.object({
  id: z.string(),
  name: z.string(),
  role: Role,
  createdAt: z.string(),
  /** Members without two-factor sign-in are refused on this org's routes until they turn it on. */
  requiresTwoFactor: z.boolean(),
});
export type OrgView = z.infer<typeof OrgView>;

export const MemberView = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  role: Role,
  joinedAt: z.string(),
  /** Whether the member signs in with two factors; only for roles that hold `members.two_factor.read`. */
  twoFactor: z.boolean().optional(),
});
export type MemberView = z.infer<typeof MemberView>;

export const InvitationView = z.object({
  id: z.string(),
  role: Role,
  email: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
  createdBy: z.string(),
});
export type InvitationView = z.infer<typeof InvitationView>;

/** What an invitation link shows whoever opens it, before signing in. */
export const InvitationPreview = z.object({
  orgName: z.string(),
  role: Role,
  email: z.string().nullable(),
  invitedBy: z.string(),
  expiresAt: z.string(),
});
export type InvitationPreview = z.infer<typeof InvitationPreview>;

export const AuditEventView = z.object({
  id: z.string(),
  action: z.string(),
  actorUserId: z.string().nullable(),
  detail: z.unknown(),
  at: z.string(),
});
export type AuditEventView = z.infer<typeof AuditEventView>;

export const OrgAnswer = z.object({ org: OrgView });
export type OrgAnswer = z.infer<typeof OrgAnswer>;
export const OrgsAnswer = z.object({ orgs: z.array(OrgView) });
export type OrgsAnswer = z.infer<typeof OrgsAnswer>;
export const MembersAnswer = z.object({ members: z.array(MemberView) });
export type MembersAnswer = z.infer<typeof MembersAnswer>;
export const InvitationsAnswer = z.object({ invitations: z.array(InvitationView) });
export type InvitationsAnswer = z.infer<typeof InvitationsAnswer>;
export const InvitationPreviewAnswer = z.object({ invitation: InvitationPreview });
export type InvitationPreviewAnswer = z.infer<typeof InvitationPreviewAnswer>;
/** The token is shown once; `url` is the link to hand over. */
export const NewInvitationAnswer = z.object({ invitation: InvitationView, token: z.string(), url: z.string() });
export type NewInvitationAnswer = z.infer<typeof NewInvitationAnswer>;
export const AuditAnswer = z.object({ events: z.array(AuditEventView), nextCursor: NextCursor });
export type AuditAnswer = z.infer<typeof AuditAnswer>;
