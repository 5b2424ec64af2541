import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { HttpError } from '../http/errors.js';
import type { Mailer } from '../lib/mail.js';
import { DEFAULT_PASSWORD_RESET, previewResetLink, prunePasswordResets, requestPasswordReset, resetPasswordWithLink } from './password-reset.js';
import { resetLink, resetMailMessage } from './reset-mail.js';
import { PasswordResetBody, PasswordResetRequestBody, ResetTokenParams } from './schemas.js';
import { PasswordResetAvailability, PasswordResetDone, PasswordResetRequested, ResetLinkPreview } from '../../core/api/accounts.js';
import { errorAnswers } from '../../core/api/errors.js';

const tags = ['accounts'];

/**
 * "Forgot password?": a link by mail. The link's host is the configured public URL, never the
 * request's Host header, which whoever asks for the mail could set to a host of their own.
 */
export function passwordResetRoutes(mailer: Mailer | null) {
  return async (fastify: FastifyInstance): Promise<void> => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const { store, clock } = fastify;
    const policy = DEFAULT_PASSWORD_RESET;
    const lifetimeMinutes = Math.round(policy.linkLifetimeMs / 60_000);
    const publicUrl = fastify.settings.publicUrl;
    const missingSetting = !mailer ? 'CHORUS_SMTP_URL' : !publicUrl ? 'CHORUS_PUBLIC_URL' : null;

    app.get(
      '/api/password-reset',
      {
        config: { public: true },
        schema: { tags, summary: 'Whether this server can mail password reset links', response: { 200: PasswordResetAvailability, ...errorAnswers } },
      },
      async () => ({
        byMail: missingSetting === null,
      }),
    );

    app.post(
      '/api/password-reset',
      {
        config: { public: true },
        schema: {
          tags,
          summary: 'Mail a password reset link (the same answer whether or not the account exists)',
          body: PasswordResetRequestBody,
          response: { 202: PasswordResetRequested, ...errorAnswers },
        },
      },
      async (request, reply) => {
        if (!mailer || !publicUrl) {
          throw new HttpError(
            503,
            'password_reset_unavailable',
            'This server does not send mail, so a password cannot be reset by mail. Ask the person who runs Chorus to set a new one with `chorus user set-password --email <your email> --password-stdin`.',
            { missingSetting },
          );
        }
        const result = await requestPasswordReset(store.db, clock, policy, { email: request.body.email, ip: request.ip });
        if (result.limited) {
          throw new HttpError(
            429,
            'too_many_reset_requests',
            `Too many password reset requests from your network address; try again in ${result.retryAfterSeconds} s`,
            { retryAfterSeconds: result.retryAfterSeconds },
            { 'retry-after': String(result.retryAfterSeconds) },
          );
        }
        if (result.mail) {
          // Sent after answering: how long the relay takes must not tell who has an account.
          const message = resetMailMessage(result.mail, resetLink(publicUrl, result.mail.token), lifetimeMinutes);
          mailer.send(message).catch((error: unknown) => request.log.error({ err: error }, 'password reset mail not sent'));
        }
        if (Math.random() < 0.05) await prunePasswordResets(store.db, clock, policy);
        return reply.status(202).send({ linkLifetimeMinutes: lifetimeMinutes });
      },
    );

    app.get(
      '/api/password-reset/:token',
      {
        config: { public: true },
        schema: { tags, summary: 'Whether a password reset link still works', params: ResetTokenParams, response: { 200: ResetLinkPreview, ...errorAnswers } },
      },
      async (request) => previewResetLink(store.db, clock, request.params.token),
    );

    app.post(
      '/api/password-reset/:token',
      {
        config: { public: true },
        schema: {
          tags,
          summary: 'Set a new password with a reset link (signs out every session)',
          params: ResetTokenParams,
          body: PasswordResetBody,
          response: { 200: PasswordResetDone, ...errorAnswers },
        },
      },
      async (request) => resetPasswordWithLink(store.db, clock, request.params.token, request.body.password),
    );
  };
}
