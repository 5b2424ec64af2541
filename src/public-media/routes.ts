import type { FastifyInstance } from 'fastify';
import { BinaryBody, errorAnswers } from '../../core/api/errors.js';
import { errorBody } from '../http/errors.js';
import { PUBLIC_MEDIA_RETENTION_MS } from './host.js';
import { PUBLIC_MEDIA_KEY } from './keys.js';
import { servedImage } from './service.js';

/** An address's content never changes (it is named by the content), so any cache may keep it as long as Chorus does. */
const CACHE_FOR_SECONDS = PUBLIC_MEDIA_RETENTION_MS / 1000;

/**
 * `GET /m/<key>`: a post's image, public and sign-in-free, for the network that fetches it
 * (Instagram, Threads, LINE). The key is the capability (`:token`, so the request log hides it).
 */
export async function publicMediaRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: { token: string } }>(
    '/m/:token',
    { exposeHeadRoute: true, config: { public: true, anonymous: true }, schema: { hide: true, response: { 200: BinaryBody, ...errorAnswers } } },
    async (request, reply) => {
      const key = request.params.token;
      const image = PUBLIC_MEDIA_KEY.test(key) ? await servedImage(app.store.db, key, app.clock) : null;
      reply.header('x-content-type-options', 'nosniff');
      if (!image) return reply.status(404).send(errorBody('media_not_found', 'No image is served at this address (or it has expired)'));
      return reply
        .header('content-type', image.mimeType)
        .header('cache-control', `public, max-age=${CACHE_FOR_SECONDS}, immutable`)
        .header('cross-origin-resource-policy', 'cross-origin')
        .send(image.data);
    },
  );
}
