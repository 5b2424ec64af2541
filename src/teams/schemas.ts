import { z } from 'zod';
import { Email, Password, PersonName } from '../accounts/schemas.js';
import { ROLES } from './tables.js';

export const Role = z.enum(ROLES);
export const OrgName = z.string().trim().min(1, 'must not be empty').max(100);

export const NewOrgBody = z.strictObject({ name: OrgName });
export const RenameOrgBody = z.strictObject({ name: OrgName });
export const OrgSecurityBody = z.strictObject({ requireTwoFactor: z.boolean() });
export const MemberParams = z.strictObject({ orgId: z.string(), userId: z.string().min(1).max(100) });
export const RoleBody = z.strictObject({ role: Role });
export const NewInvitationBody = z.strictObject({ role: Role, email: Email.optional() });
export const InvitationParams = z.strictObject({ orgId: z.string(), invitationId: z.string().min(1).max(100) });
export const InvitationTokenParams = z.strictObject({ token: z.string().min(10).max(200) });
export const InvitationSignupBody = z.strictObject({ name: PersonName, email: Email, password: Password });
export const AuditQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100), before: z.string().min(1).max(500).optional() });
