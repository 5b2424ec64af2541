import type { FastifyPluginAsync, FastifyPluginCallback, FastifyPluginOptions, FastifyRequest } from 'fastify';
import type { Caller } from './context.js';
import { HttpError } from './errors.js';

export const CSRF_HEADER = 'x-csrf-token';
/** The browsable OpenAPI docs are public: they describe the API, they expose no data. */
export const API_DOCS_PREFIX = '/api/docs';

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

export function requireCaller(request: FastifyRequest): Caller {
  if (!request.caller) throw new HttpError(401, 'unauthenticated', 'Sign in first');
  return request.caller;
}
