import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE, createSession } from './sessions.js';

/** Opens a database session for the user and sets the HttpOnly cookie; returns the CSRF token for the SPA. */
export async function startSession(request: FastifyRequest, reply: FastifyReply, userId: string): Promise<string> {
  const { store, clock, settings } = request.server;
  const session = await createSession(store.db, clock, userId, { ip: request.ip, userAgent: request.headers['user-agent'] ?? '' });
  const secure = settings.secureCookies === 'always' || (settings.secureCookies === 'auto' && request.protocol === 'https');
  reply.setCookie(SESSION_COOKIE, session.cookieValue, { httpOnly: true, sameSite: 'lax', secure, path: '/', expires: session.expiresAt });
  return session.csrfToken;
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
