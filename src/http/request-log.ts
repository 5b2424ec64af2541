import type { FastifyBaseLogger, FastifyRequest } from 'fastify';

/**
 * Links whose last path segment is a secret: password reset and invitation links, both the
 * web page the mail or the inviter points to and the API the page calls. Whoever reads the
 * logs must not be able to use them.
 */
const SECRET_IN_PATH = /^(\/(?:api\/password-reset|reset-password|api\/invitations|invite)\/)[^/?#]+/;

export const loggedUrl = (url: string): string => url.replace(SECRET_IN_PATH, '$1[redacted]');

/** Fastify's own request serializer, with the secret in the URL left out. */
function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: loggedUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** The logger the server logs requests with: the caller's, with secret URLs redacted. */
export const requestLogger = (logger: FastifyBaseLogger): FastifyBaseLogger => logger.child({}, { serializers: { req: serializeRequest } });
