import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';

/**
 * Helmet's security headers (CSP, HSTS, nosniff, frame-ancestors…), built once at start-up.
 * @fastify/helmet rebuilt the middleware, CSP parsing included, on every request: a measured
 * ~6 % of the CPU of a simple authenticated GET.
 */
const applySecurityHeaders = helmet({
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      // Mantine sets inline style attributes; scripts stay strictly same-origin.
      styleSrc: ["'self'", "'unsafe-inline'"],
      // Remote pictures (stream items) come through the image proxy; the page itself loads none.
      // blob: is the composer's preview of a picked file (URL.createObjectURL): only this page
      // can mint one, from bytes it already holds, so it reaches no other host.
      imgSrc: ["'self'", 'data:', 'blob:'],
      connectSrc: ["'self'"],
      upgradeInsecureRequests: null,
    },
  },
});

/**
 * A route answering only a redirect with no body (the short links' `GET /s/<code>`, config
 * `bodilessRedirect`) skips them: a browser renders nothing of a 302, so CSP and frame rules have
 * nothing to govern, and those ~1 KB of headers were the largest cost of Chorus's hottest path.
 */
export const securityHeaders = fp(async (app: FastifyInstance) => {
  app.addHook('onRequest', (request, reply, done) => {
    if (request.routeOptions.config.bodilessRedirect) return done();
    applySecurityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
});
