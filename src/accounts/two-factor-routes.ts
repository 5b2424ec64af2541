import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireCaller } from '../http/authentication.js';
import { HttpError } from '../http/errors.js';
import { startSession } from './session-cookie.js';
import type { AccountRoutesOptions } from './account-orgs.js';
import type { Lockout } from './login-throttle.js';
import { checkSecondFactor, confirmIdentity, type IdentityProof, type ProofCheck } from './second-factor.js';
import { ConfirmEnrolmentBody, EnrolmentBody, IdentityProofBody, SecondFactorBody } from './security-schemas.js';
import { SignInChallenges } from './sign-in-challenge.js';
import { confirmEnrolment, disableTwoFactor, renewRecoveryCodes, startEnrolment, twoFactorSecretBox, twoFactorStatus } from './two-factor.js';
import { findUserById } from './users.js';
import { EnabledTwoFactorAnswer, EnrolmentAnswer, RecoveryCodesAnswer, SessionAnswer, TwoFactorAnswer } from '../../core/api/accounts.js';
import { errorAnswers, NoBody } from '../../core/api/errors.js';

const tags = ['accounts'];

const tooManyAttempts = ({ scope, retryAfterSeconds }: Lockout) =>
  new HttpError(
    429,
    'too_many_attempts',
    `Too many failed attempts for this ${scope === 'address' ? 'network address' : 'account from this network address'}; try again in ${retryAfterSeconds} s`,
    { scope, retryAfterSeconds },
    { 'retry-after': String(retryAfterSeconds) },
  );

/** Turns a failed check into the answer: 429 when locked, else `status` with what was wrong. */
function refuse(check: Exclude<ProofCheck, { ok: true }>, status: 400 | 401): HttpError {
  if (check.reason === 'locked') return tooManyAttempts(check.lockout);
  return check.reason === 'wrong_password'
    ? new HttpError(status, 'wrong_password', 'The current password is wrong')
    : new HttpError(status, 'invalid_code', 'The code is wrong, expired or already used');
}

/**
 * Two-factor sign-in: the user's own enrolment and recovery codes under /api/me/two-factor, and
 * the second sign-in step, POST /api/session/two-factor, which trades the password step's
 * challenge and a code for a session.
 */
export async function twoFactorRoutes(fastify: FastifyInstance, { orgs }: AccountRoutesOptions): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { store, clock } = fastify;
  const box = twoFactorSecretBox(fastify.settings.secretKey);
  const challenges = new SignInChallenges(fastify.settings.secretKey, clock);

  async function requireIdentity(request: { ip: string }, user: { id: string; email: string }, proof: IdentityProof): Promise<void> {
    const check = await confirmIdentity(store.db, clock, fastify.settings.loginThrottle, box, { user, ip: request.ip, proof });
    if (!check.ok) throw refuse(check, 400);
  }

  app.get(
    '/api/me/two-factor',
    {
      schema: { tags, summary: 'Whether two-factor sign-in is on, and how many recovery codes are left', response: { 200: TwoFactorAnswer, ...errorAnswers } },
    },
    async (request) => ({
      twoFactor: await twoFactorStatus(store.db, requireCaller(request).user.id),
    }),
  );

  app.post(
    '/api/me/two-factor/enrolment',
    {
      schema: {
        tags,
        summary: 'Start setting up an authenticator app: a new secret and its QR code (needs your password)',
        body: EnrolmentBody,
        response: { 201: EnrolmentAnswer, ...errorAnswers },
      },
    },
    async (request, reply) => {
      const { user } = requireCaller(request);
      await requireIdentity(request, user, { password: request.body.password });
      return reply.status(201).send({ enrolment: await startEnrolment(store.db, clock, box, user) });
    },
  );

  app.post(
    '/api/me/two-factor/enrolment/confirm',
    {
      schema: {
        tags,
        summary: 'Turn two-factor sign-in on with the first code from the app; returns the recovery codes (shown once)',
        body: ConfirmEnrolmentBody,
        response: { 200: EnabledTwoFactorAnswer, ...errorAnswers },
      },
    },
    async (request) => {
      const { user } = requireCaller(request);
      const recoveryCodes = await confirmEnrolment(store.db, clock, box, user.id, request.body.code);
      return { recoveryCodes, twoFactor: await twoFactorStatus(store.db, user.id) };
    },
  );

  app.post(
    '/api/me/two-factor/disable',
    {
      schema: {
        tags,
        summary: 'Turn two-factor sign-in off (needs your password or a current code)',
        body: IdentityProofBody,
        response: { 204: NoBody, ...errorAnswers },
      },
    },
    async (request, reply) => {
      const { user } = requireCaller(request);
      await requireIdentity(request, user, request.body.code === undefined ? { password: request.body.password! } : { code: request.body.code });
      await disableTwoFactor(store.db, user.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/me/two-factor/recovery-codes',
    {
      schema: {
        tags,
        summary: 'Replace your recovery codes with new ones (needs your password or a current code)',
        body: IdentityProofBody,
        response: { 200: RecoveryCodesAnswer, ...errorAnswers },
      },
    },
    async (request) => {
      const { user } = requireCaller(request);
      await requireIdentity(request, user, request.body.code === undefined ? { password: request.body.password! } : { code: request.body.code });
      return { recoveryCodes: await renewRecoveryCodes(store.db, clock, user.id) };
    },
  );

  app.post(
    '/api/session/two-factor',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Second sign-in step: the challenge from POST /api/session and a code (or a recovery code)',
        body: SecondFactorBody,
        response: { 200: SessionAnswer, ...errorAnswers },
      },
    },
    async (request, reply) => {
      const { challenge, code, recoveryCode } = request.body;
      const userId = await challenges.verify(store.db, challenge);
      const user = userId ? await findUserById(store.db, userId) : undefined;
      if (!user) throw new HttpError(401, 'sign_in_expired', 'This sign-in has expired; enter your email and password again');
      const proof = code === undefined ? { recoveryCode: recoveryCode! } : { code };
      const check = await checkSecondFactor(store.db, clock, fastify.settings.loginThrottle, box, { userId: user.id, ip: request.ip, proof });
      if (!check.ok) throw refuse(check, 401);
      const csrfToken = await startSession(request, reply, user.id);
      return { user, orgs: await orgs.listOrgsForUser(store.db, user.id), csrfToken };
    },
  );
}
