import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireCaller } from '../http/authentication.js';
import { notFound } from '../http/errors.js';
import { clearSessionCookie } from './session-cookie.js';
import { EndSessionsQuery, SessionParams } from './security-schemas.js';
import { endSessionById, listSessions } from './session-list.js';
import { endOtherSessions } from './sessions.js';
import { EndedSessionsAnswer, SessionsAnswer } from '../../core/api/accounts.js';
import { errorAnswers, NoBody } from '../../core/api/errors.js';

const tags = ['accounts'];

/** The signed-in user's own sessions: which browsers are signed in, and signing them out. */
export async function sessionRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { store, clock } = fastify;

  app.get(
    '/api/me/sessions',
    {
      schema: { tags, summary: 'Your signed-in sessions (device, address, last seen; which one is this)', response: { 200: SessionsAnswer, ...errorAnswers } },
    },
    async (request) => {
      const caller = requireCaller(request);
      return { sessions: await listSessions(store.db, clock, caller.user.id, caller.sessionIdHash) };
    },
  );

  app.delete(
    '/api/me/sessions/:sessionId',
    { schema: { tags, summary: 'Sign out one of your sessions', params: SessionParams, response: { 204: NoBody, ...errorAnswers } } },
    async (request, reply) => {
      const caller = requireCaller(request);
      const ended = await endSessionById(store.db, caller.user.id, request.params.sessionId);
      if (!ended) throw notFound('Session');
      if (ended === caller.sessionIdHash) clearSessionCookie(reply);
      return reply.status(204).send();
    },
  );

  app.delete(
    '/api/me/sessions',
    {
      schema: {
        tags,
        summary: 'Sign out everywhere (?except=current keeps this session)',
        querystring: EndSessionsQuery,
        response: { 200: EndedSessionsAnswer, ...errorAnswers },
      },
    },
    async (request, reply) => {
      const caller = requireCaller(request);
      const keep = request.query.except === 'current' ? caller.sessionIdHash : null;
      const ended = await endOtherSessions(store.db, caller.user.id, keep);
      if (!keep) clearSessionCookie(reply);
      return { ended };
    },
  );
}
