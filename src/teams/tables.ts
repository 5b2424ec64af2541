import type { Generated } from 'kysely';
import type { Role } from '../../core/api/vocabulary.js';

export { ROLES, type Role } from '../../core/api/vocabulary.js';

export interface OrgsTable {
  id: string;
  name: string;
  created_at: string;
  /** 1: members without two-factor sign-in are refused on the org's routes until they enrol. */
  require_two_factor: Generated<number>;
}

export interface MembershipsTable {
  org_id: string;
  user_id: string;
  role: Role;
  created_at: string;
}

export interface InvitationsTable {
  id: string;
  org_id: string;
  role: Role;
  /** Optional: who the link is meant for; shown to the recipient, not enforced. */
  email: string | null;
  token_hash: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  accepted_by: string | null;
  revoked_at: string | null;
}

export interface AuditEventsTable {
  id: string;
  org_id: string;
  actor_user_id: string | null;
  action: string;
  /** JSON text: what changed, never secrets. */
  detail: string;
  at: string;
}

export interface TeamsTables {
  orgs: OrgsTable;
  memberships: MembershipsTable;
  invitations: InvitationsTable;
  audit_events: AuditEventsTable;
}
