import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createUser } from '../accounts/users.js';
import { requireCaller } from '../http/authentication.js';
import { notFound } from '../http/errors.js';
import { scopeOf } from '../http/org-scoped.js';
import { startSession } from '../accounts/session-cookie.js';
import {
  AuditQuery,
  InvitationParams,
  InvitationSignupBody,
  InvitationTokenParams,
  MemberParams,
  NewInvitationBody,
  NewOrgBody,
  OrgSecurityBody,
  RenameOrgBody,
  RoleBody,
} from './schemas.js';
import {
  acceptInvitation,
  changeRole,
  createInvitation,
  createOrg,
  deleteOrg,
  getOrg,
  listAuditEvents,
  listMembers,
  listOrgsForUser,
  listPendingInvitations,
  previewInvitation,
  removeMember,
  renameOrg,
  revokeInvitation,
  setTwoFactorRequirement,
} from './service.js';
import { SessionAnswer } from '../../core/api/accounts.js';
import { errorAnswers, NoBody } from '../../core/api/errors.js';
import { AuditAnswer, InvitationPreviewAnswer, InvitationsAnswer, MembersAnswer, NewInvitationAnswer, OrgAnswer, OrgsAnswer } from '../../core/api/teams.js';

const tags = ['teams'];

/** Routes about orgs that are not inside one org: listing mine, creating one, invitation links. */
export async function teamRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { store, clock } = fastify;

  app.get('/api/orgs', { schema: { tags, summary: 'Organizations you belong to', response: { 200: OrgsAnswer, ...errorAnswers } } }, async (request) => ({
    orgs: await listOrgsForUser(store.db, requireCaller(request).user.id),
  }));

  app.post(
    '/api/orgs',
    {
      config: { idempotent: true },
      schema: { tags, summary: 'Create an organization (you become its owner)', body: NewOrgBody, response: { 201: OrgAnswer, ...errorAnswers } },
    },
    async (request, reply) => {
      const org = await createOrg(store.db, clock, { name: request.body.name, ownerUserId: requireCaller(request).user.id });
      return reply.status(201).send({ org });
    },
  );

  app.get(
    '/api/invitations/:token',
    {
      config: { public: true },
      schema: { tags, summary: 'What an invitation link offers', params: InvitationTokenParams, response: { 200: InvitationPreviewAnswer, ...errorAnswers } },
    },
    async (request) => ({ invitation: await previewInvitation(store.db, clock, request.params.token) }),
  );

  app.post(
    '/api/invitations/:token/accept',
    {
      schema: {
        tags,
        summary: 'Join the org of an invitation as the signed-in user',
        params: InvitationTokenParams,
        response: { 200: OrgAnswer, ...errorAnswers },
      },
    },
    async (request) => ({ org: await acceptInvitation(store.db, clock, request.params.token, requireCaller(request).user.id) }),
  );

  app.post(
    '/api/invitations/:token/signup',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Create an account from an invitation and join its org',
        params: InvitationTokenParams,
        body: InvitationSignupBody,
        response: { 201: SessionAnswer, ...errorAnswers },
      },
    },
    async (request, reply) => {
      const { user, org } = await store.db.transaction().execute(async (tx) => {
        await previewInvitation(tx, clock, request.params.token);
        const user = await createUser(tx, clock, request.body);
        const org = await acceptInvitation(tx, clock, request.params.token, user.id);
        return { user, org };
      });
      const csrfToken = await startSession(request, reply, user.id);
      return reply.status(201).send({ user, orgs: [org], csrfToken });
    },
  );
}

/** Routes inside one org; registered under /api/orgs/:orgId by orgScopedRoutes. */
export async function orgRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { clock } = fastify;

  app.get(
    '/',
    { config: { permission: 'org.read' }, schema: { tags, summary: 'This organization', response: { 200: OrgAnswer, ...errorAnswers } } },
    async (request) => ({ org: await getOrg(scopeOf(request)) }),
  );

  app.patch(
    '/',
    {
      config: { permission: 'org.update' },
      schema: { tags, summary: 'Rename this organization', body: RenameOrgBody, response: { 200: OrgAnswer, ...errorAnswers } },
    },
    async (request) => ({
      org: await renameOrg(scopeOf(request), request.body.name),
    }),
  );

  app.patch(
    '/security',
    {
      config: { permission: 'org.security' },
      schema: {
        tags,
        summary: 'Require two-factor sign-in of every member (owners; turn it on for yourself first)',
        body: OrgSecurityBody,
        response: { 200: OrgAnswer, ...errorAnswers },
      },
    },
    async (request) => ({ org: await setTwoFactorRequirement(scopeOf(request), request.body.requireTwoFactor) }),
  );

  app.delete(
    '/',
    {
      config: { permission: 'org.delete' },
      schema: { tags, summary: 'Delete this organization and everything in it', response: { 204: NoBody, ...errorAnswers } },
    },
    async (request, reply) => {
      await deleteOrg(scopeOf(request));
      return reply.status(204).send();
    },
  );

  app.get(
    '/members',
    { config: { permission: 'members.read' }, schema: { tags, summary: 'Members and their roles', response: { 200: MembersAnswer, ...errorAnswers } } },
    async (request) => ({
      members: await listMembers(scopeOf(request)),
    }),
  );

  app.patch(
    '/members/:userId',
    {
      config: { permission: 'members.manage' },
      schema: { tags, summary: "Change a member's role", params: MemberParams, body: RoleBody, response: { 200: MembersAnswer, ...errorAnswers } },
    },
    async (request) => ({ members: await changeRole(scopeOf(request), request.params.userId, request.body.role) }),
  );

  app.delete(
    '/members/:userId',
    {
      config: { permission: 'members.manage' },
      schema: { tags, summary: 'Remove a member', params: MemberParams, response: { 204: NoBody, ...errorAnswers } },
    },
    async (request, reply) => {
      await removeMember(scopeOf(request), request.params.userId);
      return reply.status(204).send();
    },
  );

  app.delete(
    '/membership',
    { config: { permission: 'org.read' }, schema: { tags, summary: 'Leave this organization', response: { 204: NoBody, ...errorAnswers } } },
    async (request, reply) => {
      const scope = scopeOf(request);
      await removeMember(scope, scope.actor.userId);
      return reply.status(204).send();
    },
  );

  app.get(
    '/invitations',
    { config: { permission: 'members.manage' }, schema: { tags, summary: 'Pending invitation links', response: { 200: InvitationsAnswer, ...errorAnswers } } },
    async (request) => ({
      invitations: await listPendingInvitations(scopeOf(request)),
    }),
  );

  app.post(
    '/invitations',
    {
      config: { permission: 'members.manage', idempotent: true },
      schema: {
        tags,
        summary: 'Create an invitation link (the token is shown once)',
        body: NewInvitationBody,
        response: { 201: NewInvitationAnswer, ...errorAnswers },
      },
    },
    async (request, reply) => {
      const { token, invitation } = await createInvitation(scopeOf(request), clock, request.body);
      const base = fastify.settings.publicUrl ?? `${request.protocol}://${request.host}`;
      return reply.status(201).send({ invitation, token, url: new URL(`/invite/${token}`, base).toString() });
    },
  );

  app.delete(
    '/invitations/:invitationId',
    {
      config: { permission: 'members.manage' },
      schema: { tags, summary: 'Revoke an invitation link', params: InvitationParams, response: { 204: NoBody, ...errorAnswers } },
    },
    async (request, reply) => {
      if (!(await revokeInvitation(scopeOf(request), request.params.invitationId))) throw notFound('Invitation');
      return reply.status(204).send();
    },
  );

  app.get(
    '/audit',
    {
      config: { permission: 'audit.read' },
      schema: { tags, summary: 'Audit log of this organization', querystring: AuditQuery, response: { 200: AuditAnswer, ...errorAnswers } },
    },
    async (request) => listAuditEvents(scopeOf(request), request.query),
  );
}
