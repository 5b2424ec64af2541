import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { securityHeaders } from '../../src/http/security-headers.js';

/** The headers are recorded from helmet once at start-up: every answer must still carry all of them, every time. */
describe('security headers', () => {
  it('are set on every answer and skipped for a bodiless redirect', async () => {
    const app = Fastify({ logger: false });
    await app.register(securityHeaders);
    app.get('/page', async () => ({ ok: true }));
    app.get('/s/x', { config: { bodilessRedirect: true } }, async (_request, reply) => reply.redirect('https://example.com/', 302));
    try {
      for (let i = 0; i < 2; i++) {
        const page = await app.inject({ method: 'GET', url: '/page' });
        expect(page.headers['content-security-policy']).toContain("img-src 'self' data: blob:");
        expect(page.headers['content-security-policy']).toContain("script-src 'self'");
        expect(page.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
        expect(page.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
        expect(page.headers['x-content-type-options']).toBe('nosniff');
        expect(page.headers['x-frame-options']).toBe('SAMEORIGIN');
        expect(page.headers['referrer-policy']).toBe('no-referrer');
        expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
        expect(page.headers['x-powered-by']).toBeUndefined();
      }
      const redirect = await app.inject({ method: 'GET', url: '/s/x' });
      expect(redirect.statusCode).toBe(302);
      expect(redirect.headers['content-security-policy']).toBeUndefined();
      expect(redirect.headers['strict-transport-security']).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});
