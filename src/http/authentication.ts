import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { resolveApiToken } from '../accounts/api-tokens.js';
import { isInstanceAdmin } from '../accounts/instance-admin.js';
import { SESSION_COOKIE, resolveSession } from '../accounts/sessions.js';
import type { Caller } from './context.js';
import { HttpError, forbidden } from './errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'x-csrf-token';
/** The browsable OpenAPI docs are public: they describe the API, they expose no data. */
export const API_DOCS_PREFIX = '/api/docs';

/**
 * Resolves the caller of every /api request from a bearer API token or the session cookie.
 * Cookie-authenticated writes must echo the session's CSRF token in a header: a cross-site
 * form cannot set custom headers, and another origin cannot read the token.
 */
export const authentication = fp(async (app: FastifyInstance) => {
  app.decorateRequest('caller', null);
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/') || request.url.startsWith(API_DOCS_PREFIX)) return;
    request.caller = await identify(app, request);
    const config = request.routeOptions.config;
    if (!request.caller && !config?.public && request.routeOptions.url) {
      throw new HttpError(401, 'unauthenticated', 'Sign in, or send an API token as "Authorization: Bearer chorus_pat_..."');
    }
    if (config?.instanceAdmin && !(await isInstanceAdmin(app.store.db, request.caller!.user.id))) {
      throw forbidden('Only the instance admin (the first user of this installation) may do this');
    }
  });
});

async function identify(app: FastifyInstance, request: FastifyRequest): Promise<Caller | null> {
  const authorization = request.headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const resolved = match ? await resolveApiToken(app.store.db, app.clock, match[1]!) : null;
    if (!resolved) throw new HttpError(401, 'invalid_token', 'The API token is invalid, expired or revoked');
    return { user: resolved.user, via: 'token', sessionIdHash: null, csrfToken: null };
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (!cookie) return null;
  const session = await resolveSession(app.store.db, app.clock, cookie);
  if (!session) return null;
  if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== session.csrfToken) {
    throw new HttpError(403, 'csrf_failed', `Missing or wrong ${CSRF_HEADER} header for a cookie-authenticated write`);
  }
  return { user: session.user, via: 'session', sessionIdHash: session.idHash, csrfToken: session.csrfToken };
}

export function requireCaller(request: FastifyRequest): Caller {
  if (!request.caller) throw new HttpError(401, 'unauthenticated', 'Sign in first');
  return request.caller;
}
