import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifySchema, type HTTPMethods } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { API_DOCS_PREFIX } from './authentication.js';

interface DocumentedRoute {
  method: HTTPMethods | HTTPMethods[];
  url: string;
  schema: FastifySchema | undefined;
}

/** What the browser asks with that the docs server answers to: the type it takes, and revalidation (a 304 for the UI's 1 MB of script). */
const ASKED_WITH = ['accept', 'if-none-match', 'if-modified-since'];
/** Headers of the docs server's answer that describe the content; the rest (length, date, connection) are the real server's. */
const ANSWERED_WITH = ['content-type', 'content-security-policy', 'cache-control', 'etag', 'last-modified', 'location', 'vary'];

/**
 * The OpenAPI document (`/api/docs/json`, `/api/docs/yaml`) and its browsable UI (`/api/docs/`),
 * built on their first request. Loading @fastify/swagger and its UI (with yaml, glob and
 * @fastify/static) and registering them was ~0.1 s of every cold start (bench/README.md,
 * "Session 14") for pages few visitors open. Every route is recorded as it is registered; the
 * first docs request starts a second Fastify instance, never listening, that declares the same
 * routes (with handlers that never run) and answers every /api/docs request through `inject`.
 * The docs are public: they describe the API and carry no data.
 */
export const apiDocs = fp(async (app: FastifyInstance, options: { openapi: FastifyDynamicSwaggerOptions['openapi'] }) => {
  const routes: DocumentedRoute[] = [];
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith(API_DOCS_PREFIX)) routes.push({ method: route.method, url: route.url, schema: route.schema });
  });
  let docsServer: Promise<FastifyInstance> | null = null;
  const forward = async (request: FastifyRequest, reply: FastifyReply) => {
    docsServer ??= startDocsServer(routes, options.openapi).catch((error: unknown) => {
      docsServer = null;
      throw error;
    });
    const headers = Object.fromEntries(ASKED_WITH.flatMap((name) => (request.headers[name] === undefined ? [] : [[name, request.headers[name]!]])));
    const answer = await (await docsServer).inject({ method: 'GET', url: request.url, headers });
    // Unknown docs paths get the API's own 404, like every other unknown path.
    if (answer.statusCode === 404) return reply.callNotFound();
    for (const name of ANSWERED_WITH) {
      const value = answer.headers[name];
      if (value !== undefined) reply.header(name, value);
    }
    reply.code(answer.statusCode);
    return answer.rawPayload.length > 0 ? reply.send(answer.rawPayload) : reply.send();
  };
  const config = { public: true, anonymous: true };
  const schema = { hide: true };
  app.get(API_DOCS_PREFIX, { config, schema }, forward);
  app.get(`${API_DOCS_PREFIX}/*`, { config, schema }, forward);
});

async function startDocsServer(routes: DocumentedRoute[], openapi: FastifyDynamicSwaggerOptions['openapi']): Promise<FastifyInstance> {
  const [{ default: swagger }, { default: swaggerUi }] = await Promise.all([import('@fastify/swagger'), import('@fastify/swagger-ui')]);
  const docs = Fastify({ logger: false, exposeHeadRoutes: false, routerOptions: { ignoreTrailingSlash: true } });
  // The schemas are zod; here they are only read by the document's transform, never compiled.
  docs.setValidatorCompiler(() => () => true);
  docs.setSerializerCompiler(() => (data) => JSON.stringify(data));
  await docs.register(swagger, { openapi, transform: jsonSchemaTransform });
  await docs.register(swaggerUi, { routePrefix: API_DOCS_PREFIX, staticCSP: true, uiConfig: { docExpansion: 'list' } });
  const answered = () => {
    throw new Error('the docs server documents routes; it does not answer them');
  };
  for (const route of routes) docs.route({ method: route.method, url: route.url, ...(route.schema ? { schema: route.schema } : {}), handler: answered });
  await docs.ready();
  return docs;
}
