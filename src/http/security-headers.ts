import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';

/**
 * Helmet's security headers (CSP, HSTS, nosniff, frame-ancestors…), worked out once at start-up.
 * @fastify/helmet rebuilt the middleware, CSP parsing included, on every request: a measured
 * ~6 % of the CPU of a simple authenticated GET. Running helmet's twelve middlewares per request
 * still cost ~3 % of a column read (bench/README.md, session 10); every directive below is a
 * constant, so the headers are the same for every request and are recorded once.
 */
const helmetHeaders = helmet({
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

/** What helmet sets and removes, recorded from one run against a stand-in response. */
function recordHeaders(): { set: [string, string][]; removed: string[] } {
  const set: [string, string][] = [];
  const removed: string[] = [];
  const response = {
    setHeader: (name: string, value: string) => void set.push([name, String(value)]),
    removeHeader: (name: string) => void removed.push(name),
  };
  let finished = false;
  helmetHeaders({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error as Error;
    finished = true;
  });
  // Helmet runs synchronously; if a version ever did not, this start-up check says so.
  if (!finished) throw new Error('helmet did not finish synchronously: its headers cannot be recorded once');
  return { set, removed };
}

const SECURITY_HEADERS = recordHeaders();

/**
 * A route answering only a redirect with no body (the short links' `GET /s/<code>`, config
 * `bodilessRedirect`) skips them: a browser renders nothing of a 302, so CSP and frame rules have
 * nothing to govern, and those ~1 KB of headers were the largest cost of Chorus's hottest path.
 */
export const securityHeaders = fp(async (app: FastifyInstance) => {
  app.addHook('onRequest', (request, reply, done) => {
    if (request.routeOptions.config.bodilessRedirect) return done();
    const raw = reply.raw;
    for (const name of SECURITY_HEADERS.removed) raw.removeHeader(name);
    for (const [name, value] of SECURITY_HEADERS.set) raw.setHeader(name, value);
    done();
  });
});
