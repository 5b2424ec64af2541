/** Response shapes of the Chorus API (src/accounts, src/teams). */

export const LOCALES = ['en', 'ja'] as const;
export type Locale = (typeof LOCALES)[number];

// Roles and their powers come from the server's one policy table, so the UI cannot drift from it.
import type { Role } from '../../../src/teams/tables.js';
export { ROLES, type Role } from '../../../src/teams/tables.js';

export interface User {
  id: string;
  email: string;
  name: string;
  locale: string;
  createdAt: string;
}

export interface Org {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  /** Members without two-factor sign-in cannot use the org until they turn it on. */
  requiresTwoFactor: boolean;
}

export interface Session {
  user: User;
  orgs: Org[];
  csrfToken: string | null;
  via?: 'session' | 'token';
  /** Runs the installation (backups, status incidents); only GET /api/session tells. */
  instanceAdmin?: boolean;
}

export interface Member {
  userId: string;
  name: string;
  email: string;
  role: Role;
  joinedAt: string;
  /** Whether the member signs in with two factors; sent to owners and admins only. */
  twoFactor?: boolean;
}

export interface Invitation {
  id: string;
  role: Role;
  email: string | null;
  createdAt: string;
  expiresAt: string;
  createdBy: string;
}

export interface InvitationPreview {
  orgName: string;
  role: Role;
  email: string | null;
  invitedBy: string;
  expiresAt: string;
}

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

export interface AuditEvent {
  id: string;
  action: string;
  actorUserId: string | null;
  detail: unknown;
  at: string;
}
