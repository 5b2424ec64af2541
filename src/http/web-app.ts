import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { servedToAnyone } from './authentication.js';
import { errorBody } from './errors.js';

/** Where `vite build` puts the SPA: web/dist at the project root, above src/http/ or dist/src/http/. */
export const DEFAULT_WEB_ROOT = path.join(projectRoot(import.meta.dirname), 'web/dist');

function projectRoot(from: string): string {
  const parent = path.dirname(from);
  if (parent === from || fs.existsSync(path.join(from, 'package.json'))) return from;
  return projectRoot(parent);
}

/** Serves the built SPA and answers unknown non-API paths with index.html (client-side routing). */
export async function webApp(app: FastifyInstance, options: { root: string | null }): Promise<void> {
  const root = options.root && fs.existsSync(path.join(options.root, 'index.html')) ? options.root : null;
  if (root) {
    // Vite's hashed bundles and ~480 font slices: one wildcard route, cached for good (a new build has new names).
    // A route per file was ~1 000 router entries with their HEAD twins, 0.12 s of every cold start (bench/README.md).
    const assets = path.join(root, 'assets');
    // The prefix belongs to the surrounding context: given to the plugin too, Fastify would apply it twice.
    const serveAssets = servedToAnyone(fastifyStatic);
    if (fs.existsSync(assets))
      await app.register(async (scope) => scope.register(serveAssets, { root: assets, index: false, immutable: true, maxAge: '365d' }), { prefix: '/assets' });
    // The few top-level files (index.html, favicon.svg): a route each, revalidated on every load.
    await app.register(servedToAnyone(fastifyStatic), { root, wildcard: false, index: false, globIgnore: ['assets/**'] });
  }
  // Read once: the static plugin lives in its own context (its routes are marked public there), so its sendFile is not ours.
  const indexHtml = root ? fs.readFileSync(path.join(root, 'index.html')) : null;

  app.setNotFoundHandler(async (request, reply) => {
    const wantsPage = request.method === 'GET' && !request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html');
    if (wantsPage && indexHtml) return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(indexHtml);
    if (wantsPage) return reply.status(503).type('text/plain').send('The web UI is not built: run `npm run build`.');
    return reply.status(404).send(errorBody('not_found', `No route for ${request.method} ${request.url.split('?')[0]}`));
  });
}
