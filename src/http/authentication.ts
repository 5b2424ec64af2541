import type { FastifyInstance, FastifyPluginAsync, FastifyPluginCallback, FastifyPluginOptions, FastifyRequest } from 'fastify';
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

/**
 * Registers a plugin whose every route is served to anyone without resolving the caller:
 * static files and the API docs, which carry no data. The mark is put on the routes when they
 * are registered, so the authentication hook still decides by the matched route alone.
 */
export function servedToAnyone<Options extends FastifyPluginOptions>(
  plugin: FastifyPluginAsync<Options> | FastifyPluginCallback<Options>,
): FastifyPluginAsync<Options> {
  return async (app, options) => {
    app.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true, anonymous: true };
    });
    await app.register(plugin as FastifyPluginAsync<Options>, options);
  };
}

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

export function requireCaller(request: FastifyRequest): Caller {
  if (!request.caller) throw new HttpError(401, 'unauthenticated', 'Sign in first');
  return request.caller;
}
