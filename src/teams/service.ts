import type { Kysely } from 'kysely';
import { hasTwoFactor, usersWithTwoFactor } from '../accounts/two-factor.js';
import { userSummaries, userSummariesByName } from '../accounts/users.js';
import { DomainError } from '../lib/domain-error.js';
import { isoIn, isoNow, type Clock } from '../lib/clock.js';
import { digestSecret, newId, newSecret } from '../lib/ids.js';
import type { Database } from '../store/database.js';
import { PreparedQuery } from '../store/prepared-query.js';
import { inTransaction } from '../store/transaction.js';
import type { OrgScope } from './org-scope.js';
import { can, canAssignRole } from '../../core/policies.js';
import type { InvitationsTable, Role } from './tables.js';
import type { AuditEventView, InvitationPreview, InvitationView, MemberView, OrgView } from '../../core/api/teams.js';
import { decodePageCursor, nextCursorOf } from '../lib/page-cursor.js';

export type { AuditEventView, InvitationPreview, InvitationView, MemberView, OrgView };

type TeamRule = 'last_owner' | 'role_not_assignable' | 'not_a_member' | 'already_member' | 'invitation_invalid' | 'enable_two_factor_first';
const STATUS: Record<TeamRule, 403 | 404 | 409> = {
  last_owner: 409,
  role_not_assignable: 403,
  not_a_member: 404,
  already_member: 409,
  invitation_invalid: 404,
  enable_two_factor_first: 409,
};

export class TeamRuleError extends DomainError {
  constructor(code: TeamRule, message: string) {
    super(code, message, STATUS[code]);
  }
}

export const INVITATION_LIFETIME_DAYS = 7;

export async function createOrg(db: Kysely<Database>, clock: Clock, input: { name: string; ownerUserId: string }): Promise<OrgView> {
  const org = { id: newId(), name: input.name.trim(), created_at: isoNow(clock) };
  await inTransaction(db, async (tx) => {
    await tx.insertInto('orgs').values(org).execute();
    await tx.insertInto('memberships').values({ org_id: org.id, user_id: input.ownerUserId, role: 'owner', created_at: org.created_at }).execute();
    await tx
      .insertInto('audit_events')
      .values({
        id: newId(),
        org_id: org.id,
        actor_user_id: input.ownerUserId,
        action: 'org.created',
        detail: JSON.stringify({ name: org.name }),
        at: org.created_at,
      })
      .execute();
  });
  return { id: org.id, name: org.name, role: 'owner', createdAt: org.created_at, requiresTwoFactor: false };
}

export async function listOrgsForUser(db: Kysely<Database>, userId: string): Promise<OrgView[]> {
  const rows = await db
    .selectFrom('memberships')
    .innerJoin('orgs', 'orgs.id', 'memberships.org_id')
    .select(['orgs.id', 'orgs.name', 'orgs.created_at', 'orgs.require_two_factor', 'memberships.role'])
    .where('memberships.user_id', '=', userId)
    .orderBy('orgs.name')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, role: r.role, createdAt: r.created_at, requiresTwoFactor: r.require_two_factor === 1 }));
}

// Every org route checks it first: compiled once per store.
const memberOfOrg = new PreparedQuery((db, params: { orgId: string; userId: string }) =>
  db
    .selectFrom('memberships')
    .innerJoin('orgs', 'orgs.id', 'memberships.org_id')
    .select(['memberships.role', 'orgs.require_two_factor'])
    .where('memberships.org_id', '=', params.orgId)
    .where('memberships.user_id', '=', params.userId),
);

export async function membershipRole(db: Kysely<Database>, orgId: string, userId: string): Promise<Role | null> {
  const row = await memberOfOrg.takeFirst(db, { orgId, userId });
  return row?.role ?? null;
}

export interface MemberAccess {
  role: Role;
  /** The org requires two-factor sign-in and this member has not turned it on. */
  mustEnableTwoFactor: boolean;
}

/** Used by the org-scope hook: is this user a member of that org, as what, and may they in yet? */
export async function memberAccess(db: Kysely<Database>, orgId: string, userId: string): Promise<MemberAccess | null> {
  const row = await memberOfOrg.takeFirst(db, { orgId, userId });
  if (!row) return null;
  // Only orgs that require it pay for the second lookup.
  return { role: row.role, mustEnableTwoFactor: row.require_two_factor === 1 && !(await hasTwoFactor(db, userId)) };
}

/** An org's name, or undefined once it is deleted. */
export async function orgName(db: Kysely<Database>, orgId: string): Promise<string | undefined> {
  return (await db.selectFrom('orgs').select('name').where('id', '=', orgId).executeTakeFirst())?.name;
}

/** Everyone in the scope's org, with name and email: who can be mentioned or addressed. */
export async function orgMembers(scope: OrgScope): Promise<{ userId: string; name: string; email: string }[]> {
  const ids = (await scope.selectFrom('memberships').select('user_id').execute()).map((r) => r.user_id);
  const users = await userSummaries(scope.shared, ids);
  return ids.flatMap((userId) => {
    const user = users.get(userId);
    return user ? [{ userId, ...user }] : [];
  });
}

export async function getOrg(scope: OrgScope): Promise<OrgView> {
  const org = await scope.shared.selectFrom('orgs').selectAll().where('id', '=', scope.orgId).executeTakeFirstOrThrow();
  return { id: org.id, name: org.name, role: scope.actor.role, createdAt: org.created_at, requiresTwoFactor: org.require_two_factor === 1 };
}

/** Owners only (`org.security`); an owner must have two-factor sign-in on before requiring it of everyone. */
export async function setTwoFactorRequirement(scope: OrgScope, required: boolean): Promise<OrgView> {
  if (required && !(await hasTwoFactor(scope.shared, scope.actor.userId))) {
    throw new TeamRuleError('enable_two_factor_first', 'Turn on two-factor sign-in for your own account before requiring it of the organization');
  }
  await scope.shared
    .updateTable('orgs')
    .set({ require_two_factor: required ? 1 : 0 })
    .where('id', '=', scope.orgId)
    .execute();
  await scope.audit(required ? 'org.two_factor_required' : 'org.two_factor_optional', {});
  return getOrg(scope);
}

export async function renameOrg(scope: OrgScope, name: string): Promise<OrgView> {
  await scope.shared.updateTable('orgs').set({ name: name.trim() }).where('id', '=', scope.orgId).execute();
  await scope.audit('org.renamed', { name });
  return getOrg(scope);
}

export async function deleteOrg(scope: OrgScope): Promise<void> {
  await scope.shared.deleteFrom('orgs').where('id', '=', scope.orgId).execute();
}

export async function listMembers(scope: OrgScope): Promise<MemberView[]> {
  const memberships = await scope.selectFrom('memberships').select(['user_id', 'role', 'created_at']).execute();
  const membershipOf = new Map(memberships.map((m) => [m.user_id, m]));
  // Sorted by accounts in the store, not here: the member list keeps the dialect's collation of names.
  const users = await userSummariesByName(
    scope.shared,
    memberships.map((m) => m.user_id),
  );
  const members: MemberView[] = users.map((u) => {
    const membership = membershipOf.get(u.id)!;
    return { userId: u.id, name: u.name, email: u.email, role: membership.role, joinedAt: membership.created_at };
  });
  if (!can(scope.actor.role, 'members.two_factor.read')) return members;
  const enrolled = await usersWithTwoFactor(
    scope.shared,
    members.map((m) => m.userId),
  );
  return members.map((m) => ({ ...m, twoFactor: enrolled.has(m.userId) }));
}

async function currentRole(scope: OrgScope, userId: string): Promise<Role> {
  const row = await scope.selectFrom('memberships').select('role').where('user_id', '=', userId).executeTakeFirst();
  if (!row) throw new TeamRuleError('not_a_member', 'That user is not a member of this organization');
  return row.role;
}

async function ensureAnotherOwner(scope: OrgScope, leavingUserId: string): Promise<void> {
  const owners = await scope.selectFrom('memberships').select('user_id').where('role', '=', 'owner').execute();
  if (!owners.some((o) => o.user_id !== leavingUserId)) {
    throw new TeamRuleError('last_owner', 'An organization needs at least one owner: make someone else owner first');
  }
}

export async function changeRole(scope: OrgScope, userId: string, role: Role): Promise<MemberView[]> {
  const previous = await currentRole(scope, userId);
  if (!canAssignRole(scope.actor.role, role) || !canAssignRole(scope.actor.role, previous)) {
    throw new TeamRuleError('role_not_assignable', `A ${scope.actor.role} cannot change a ${previous} into a ${role}`);
  }
  if (previous === 'owner' && role !== 'owner') await ensureAnotherOwner(scope, userId);
  await scope.updateTable('memberships').set({ role }).where('user_id', '=', userId).execute();
  await scope.audit('member.role_changed', { userId, from: previous, to: role });
  return listMembers(scope);
}

export async function removeMember(scope: OrgScope, userId: string): Promise<void> {
  const role = await currentRole(scope, userId);
  const leavingSelf = userId === scope.actor.userId;
  if (!leavingSelf && !canAssignRole(scope.actor.role, role)) {
    throw new TeamRuleError('role_not_assignable', `A ${scope.actor.role} cannot remove a ${role}`);
  }
  if (role === 'owner') await ensureAnotherOwner(scope, userId);
  await scope.deleteFrom('memberships').where('user_id', '=', userId).execute();
  await scope.audit(leavingSelf ? 'member.left' : 'member.removed', { userId });
}

const presentInvitation = (row: InvitationsTable): InvitationView => ({
  id: row.id,
  role: row.role,
  email: row.email,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  createdBy: row.created_by,
});

export async function createInvitation(
  scope: OrgScope,
  clock: Clock,
  input: { role: Role; email?: string | undefined },
): Promise<{ token: string; invitation: InvitationView }> {
  if (!canAssignRole(scope.actor.role, input.role)) {
    throw new TeamRuleError('role_not_assignable', `A ${scope.actor.role} cannot invite someone as ${input.role}`);
  }
  const token = newSecret();
  const row: InvitationsTable = {
    id: newId(),
    org_id: scope.orgId,
    role: input.role,
    email: input.email?.trim().toLowerCase() || null,
    token_hash: digestSecret(token),
    created_by: scope.actor.userId,
    created_at: isoNow(clock),
    expires_at: isoIn(clock, INVITATION_LIFETIME_DAYS * 86_400_000),
    accepted_at: null,
    accepted_by: null,
    revoked_at: null,
  };
  const { org_id: _org, ...values } = row;
  // One transaction, answered from what was written: a stored invitation never answers 5xx (a retry would make a second link).
  await scope.transaction(async (tx) => {
    await tx.insertInto('invitations', values);
    await tx.audit('invitation.created', { invitationId: row.id, role: row.role, email: row.email });
  });
  return { token, invitation: presentInvitation(row) };
}

export async function listPendingInvitations(scope: OrgScope): Promise<InvitationView[]> {
  const rows = await scope
    .selectFrom('invitations')
    .selectAll()
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', scope.now())
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(presentInvitation);
}

export async function revokeInvitation(scope: OrgScope, invitationId: string): Promise<boolean> {
  const result = await scope
    .updateTable('invitations')
    .set({ revoked_at: scope.now() })
    .where('id', '=', invitationId)
    .where('accepted_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return false;
  await scope.audit('invitation.revoked', { invitationId });
  return true;
}

async function findUsableInvitation(db: Kysely<Database>, clock: Clock, token: string) {
  const row = await db
    .selectFrom('invitations')
    .innerJoin('orgs', 'orgs.id', 'invitations.org_id')
    .selectAll('invitations')
    .select(['orgs.name as org_name', 'orgs.require_two_factor as org_requires_two_factor'])
    .where('invitations.token_hash', '=', digestSecret(token))
    .executeTakeFirst();
  const inviter = row && (await userSummaries(db, [row.created_by])).get(row.created_by);
  if (!row || !inviter || row.accepted_at || row.revoked_at || row.expires_at <= isoNow(clock)) {
    throw new TeamRuleError('invitation_invalid', 'This invitation link is invalid, expired, revoked or already used');
  }
  return { ...row, inviter_name: inviter.name };
}

export async function previewInvitation(db: Kysely<Database>, clock: Clock, token: string): Promise<InvitationPreview> {
  const row = await findUsableInvitation(db, clock, token);
  return { orgName: row.org_name, role: row.role, email: row.email, invitedBy: row.inviter_name, expiresAt: row.expires_at };
}

/** Joins the invited org; one transaction so an invitation is used exactly once. */
export async function acceptInvitation(db: Kysely<Database>, clock: Clock, token: string, userId: string): Promise<OrgView> {
  return inTransaction(db, async (tx) => {
    const row = await findUsableInvitation(tx, clock, token);
    const already = await membershipRole(tx, row.org_id, userId);
    if (already) throw new TeamRuleError('already_member', 'You are already a member of this organization');
    const now = isoNow(clock);
    const claimed = await tx
      .updateTable('invitations')
      .set({ accepted_at: now, accepted_by: userId })
      .where('id', '=', row.id)
      .where('accepted_at', 'is', null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw new TeamRuleError('invitation_invalid', 'This invitation was just used');
    await tx.insertInto('memberships').values({ org_id: row.org_id, user_id: userId, role: row.role, created_at: now }).execute();
    await tx
      .insertInto('audit_events')
      .values({
        id: newId(),
        org_id: row.org_id,
        actor_user_id: userId,
        action: 'invitation.accepted',
        detail: JSON.stringify({ invitationId: row.id, role: row.role }),
        at: now,
      })
      .execute();
    return { id: row.org_id, name: row.org_name, role: row.role, createdAt: now, requiresTwoFactor: row.org_requires_two_factor === 1 };
  });
}

export async function listAuditEvents(
  scope: OrgScope,
  page: { limit: number; before?: string | undefined },
): Promise<{ events: AuditEventView[]; nextCursor: string | null }> {
  let query = scope.selectFrom('audit_events').selectAll();
  if (page.before !== undefined) {
    const after = decodePageCursor(page.before);
    query = query.where((eb) => eb.or([eb('at', '<', after.key), eb.and([eb('at', '=', after.key), eb('id', '<', after.id)])]));
  }
  const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
  return {
    events: rows.map((r) => ({ id: r.id, action: r.action, actorUserId: r.actor_user_id, detail: JSON.parse(r.detail), at: r.at })),
    nextCursor: nextCursorOf(rows, page.limit, (row) => ({ key: row.at, id: row.id })),
  };
}
