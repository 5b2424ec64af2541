import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireCaller } from '../http/authentication.js';
import { HttpError, conflict, notFound } from '../http/errors.js';
import { clearSessionCookie, startSession } from './session-cookie.js';
import type { AccountRoutesOptions } from './account-orgs.js';
import { createApiToken, listApiTokens, revokeAllApiTokens, revokeApiToken } from './api-tokens.js';
import { isInstanceAdmin } from './instance-admin.js';
import { attemptLogin, checkPassword } from './login.js';
import { pruneLoginFailures, type Lockout } from './login-throttle.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { LoginBody, NewTokenBody, PasswordChangeBody, ProfileBody, SetupBody, TokenParams } from './schemas.js';
import { endOtherSessions, endSession } from './sessions.js';
import { SignInChallenges } from './sign-in-challenge.js';
import { hasTwoFactor } from './two-factor.js';
import { countUsers, createUser, updateProfile } from './users.js';
import { ApiTokensAnswer, NewApiTokenAnswer, SessionAnswer, SetupStatusAnswer, SignInAnswer, UserAnswer } from '../../core/api/accounts.js';
import { errorAnswers, NoBody } from '../../core/api/errors.js';

export async function accountRoutes(fastify: FastifyInstance, { orgs }: AccountRoutesOptions): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { store, clock } = fastify;
  const signInChallenges = new SignInChallenges(fastify.settings.secretKey, clock);

  app.get(
    '/api/setup',
    {
      config: { public: true },
      schema: { tags: ['accounts'], summary: 'Whether the first owner still has to be created', response: { 200: SetupStatusAnswer, ...errorAnswers } },
    },
    async () => ({
      setupRequired: (await countUsers(store.db)) === 0,
    }),
  );

  app.post(
    '/api/setup',
    {
      config: { public: true },
      schema: {
        tags: ['accounts'],
        summary: 'Create the first owner and their organization',
        body: SetupBody,
        response: { 201: SessionAnswer, ...errorAnswers },
      },
    },
    async (request, reply) => {
      const { user, org } = await store.db.transaction().execute(async (tx) => {
        if ((await countUsers(tx)) > 0) throw conflict('already_set_up', 'Chorus already has an owner; sign in instead');
        const user = await createUser(tx, clock, request.body);
        const org = await orgs.createOrg(tx, clock, { name: request.body.orgName, ownerUserId: user.id });
        return { user, org };
      });
      const csrfToken = await startSession(request, reply, user.id);
      return reply.status(201).send({ user, orgs: [org], csrfToken });
    },
  );

  app.post(
    '/api/session',
    { config: { public: true }, schema: { tags: ['accounts'], summary: 'Sign in', body: LoginBody, response: { 200: SignInAnswer, ...errorAnswers } } },
    async (request, reply) => {
      const policy = fastify.settings.loginThrottle;
      const result = await attemptLogin(store.db, clock, policy, { ...request.body, ip: request.ip }, fastify.settings.loginSlowdown);
      if (!result.ok && result.reason === 'locked') throw tooManyAttempts(result.lockout);
      if (!result.ok) throw new HttpError(401, 'invalid_credentials', 'Wrong email or password');
      if (Math.random() < 0.05) await pruneLoginFailures(store.db, clock, policy);
      // No session yet with two-factor sign-in on: the code goes to POST /api/session/two-factor with this challenge.
      if (await hasTwoFactor(store.db, result.user.id))
        return { twoFactorRequired: true as const, ...(await signInChallenges.issue(store.db, result.user.id)) };
      const csrfToken = await startSession(request, reply, result.user.id);
      return { user: result.user, orgs: await orgs.listOrgsForUser(store.db, result.user.id), csrfToken };
    },
  );

  app.get(
    '/api/session',
    { schema: { tags: ['accounts'], summary: 'The signed-in user, their orgs and CSRF token', response: { 200: SessionAnswer, ...errorAnswers } } },
    async (request) => {
      const caller = requireCaller(request);
      return {
        user: caller.user,
        orgs: await orgs.listOrgsForUser(store.db, caller.user.id),
        csrfToken: caller.csrfToken,
        via: caller.via,
        instanceAdmin: await isInstanceAdmin(store.db, caller.user.id),
      };
    },
  );

  app.delete('/api/session', { schema: { tags: ['accounts'], summary: 'Sign out', response: { 204: NoBody, ...errorAnswers } } }, async (request, reply) => {
    const caller = requireCaller(request);
    if (caller.sessionIdHash) await endSession(store.db, caller.sessionIdHash);
    clearSessionCookie(reply);
    return reply.status(204).send();
  });

  app.patch(
    '/api/me',
    { schema: { tags: ['accounts'], summary: 'Change your name or language', body: ProfileBody, response: { 200: UserAnswer, ...errorAnswers } } },
    async (request) => {
      const caller = requireCaller(request);
      return { user: await updateProfile(store.db, caller.user.id, request.body) };
    },
  );

  app.post(
    '/api/me/password',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Change your password (signs out your other sessions; revokeApiTokens also revokes your API tokens)',
        body: PasswordChangeBody,
        response: { 204: NoBody, ...errorAnswers },
      },
    },
    async (request, reply) => {
      const caller = requireCaller(request);
      const row = await store.db.selectFrom('users').select('password_hash').where('id', '=', caller.user.id).executeTakeFirstOrThrow();
      // Throttled like signing in: a stolen session must not become a way to guess the password.
      const throttle = { db: store.db, clock, policy: fastify.settings.loginThrottle, slowdown: fastify.settings.loginSlowdown };
      const check = await checkPassword(throttle, { account: caller.user.email, ip: request.ip }, () =>
        verifyPassword(request.body.currentPassword, row.password_hash),
      );
      if (!check.ok && check.reason === 'locked') throw tooManyAttempts(check.lockout);
      if (!check.ok) throw new HttpError(400, 'wrong_password', 'The current password is wrong');
      await store.db
        .updateTable('users')
        .set({ password_hash: await hashPassword(request.body.newPassword) })
        .where('id', '=', caller.user.id)
        .execute();
      await endOtherSessions(store.db, caller.user.id, caller.sessionIdHash);
      if (request.body.revokeApiTokens) await revokeAllApiTokens(store.db, caller.user.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/me/tokens',
    { schema: { tags: ['accounts'], summary: 'Your personal API tokens', response: { 200: ApiTokensAnswer, ...errorAnswers } } },
    async (request) => ({
      tokens: await listApiTokens(store.db, requireCaller(request).user.id),
    }),
  );

  app.post(
    '/api/me/tokens',
    {
      config: { idempotent: true },
      schema: {
        tags: ['accounts'],
        summary: 'Create a personal API token (shown once)',
        body: NewTokenBody,
        response: { 201: NewApiTokenAnswer, ...errorAnswers },
      },
    },
    async (request, reply) => {
      const { token, view } = await createApiToken(store.db, clock, requireCaller(request).user.id, request.body);
      return reply.status(201).send({ token, apiToken: view });
    },
  );

  app.delete(
    '/api/me/tokens/:tokenId',
    { schema: { tags: ['accounts'], summary: 'Revoke a personal API token', params: TokenParams, response: { 204: NoBody, ...errorAnswers } } },
    async (request, reply) => {
      if (!(await revokeApiToken(store.db, requireCaller(request).user.id, request.params.tokenId))) throw notFound('API token');
      return reply.status(204).send();
    },
  );
}

function tooManyAttempts({ scope, retryAfterSeconds }: Lockout): HttpError {
  const what = scope === 'address' ? 'from your network address' : 'at this account from your network address';
  return new HttpError(
    429,
    'too_many_attempts',
    `Too many wrong passwords ${what}; try again in ${retryAfterSeconds} s`,
    { scope, retryAfterSeconds },
    { 'retry-after': String(retryAfterSeconds) },
  );
}
