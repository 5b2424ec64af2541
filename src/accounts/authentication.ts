import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { resolveApiToken } from './api-tokens.js';
import { isInstanceAdmin } from './instance-admin.js';
import { SESSION_COOKIE, resolveSession } from './sessions.js';
import { CSRF_HEADER } from '../http/authentication.js';
import type { Caller } from '../http/context.js';
import { HttpError, forbidden } from '../http/errors.js';
import type { LoginThrottlePolicy } from './login-throttle.js';
import type { UserView } from './users.js';
import type { Delay } from '../lib/clock.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module '../http/context.js' {
  interface Caller {
    user: UserView;
    via: 'session' | 'token';
    /** Set for cookie sessions only. */
    sessionIdHash: string | null;
    csrfToken: string | null;
  }
  interface ServerSettings {
    loginThrottle: LoginThrottlePolicy;
    /** How password checks at a much-attacked account wait (tests record instead of sleeping). */
    loginSlowdown: Delay;
  }
}

/**
 * Resolves the caller of every routed request from a bearer API token or the session cookie,
 * and refuses the request unless its route declares `config.public`.
 *
 * What a request needs is read from the route the router matched (`request.routeOptions`),
 * never from the URL string: the router decodes `/%61pi/...` into `/api/...`, so any test of
 * the raw URL is a bypass waiting to happen. A route is private unless it says otherwise.
 *
 * Cookie-authenticated writes must echo the session's CSRF token in a header: a cross-site
 * form cannot set custom headers, and another origin cannot read the token.
 */
export const authentication = fp(async (app: FastifyInstance) => {
  app.decorateRequest('caller', null);
  app.addHook('onRequest', async (request) => {
    // No matched route: the not-found handler answers, and it reveals nothing.
    if (request.routeOptions.url === undefined) return;
    const config = request.routeOptions.config;
    if (config.anonymous) return;
    request.caller = await identify(app, request);
    if (!request.caller && !config.public) {
      throw new HttpError(401, 'unauthenticated', 'Sign in, or send an API token as "Authorization: Bearer chorus_pat_..."');
    }
    if (config.instanceAdmin && !(request.caller && (await isInstanceAdmin(app.store.db, request.caller.user.id)))) {
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
  const session = await resolveSession(app.store.db, app.clock, cookie, request.ip);
  if (!session) return null;
  if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== session.csrfToken) {
    throw new HttpError(403, 'csrf_failed', `Missing or wrong ${CSRF_HEADER} header for a cookie-authenticated write`);
  }
  return { user: session.user, via: 'session', sessionIdHash: session.idHash, csrfToken: session.csrfToken };
}
