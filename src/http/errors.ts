import type { FastifyError, FastifyInstance } from 'fastify';
import { DomainError } from '../lib/domain-error.js';
import { isStoreUnavailable, STORE_RETRY_AFTER_SECONDS, StoreUnavailableError } from '../store/outage.js';
import { isStorageFull, STORAGE_FULL_MESSAGE } from '../store/storage-full.js';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

/**
 * The one error shape every API response uses: {"error":{"code","message","details","params"}}.
 * `params` repeats details that are a flat record of values (a status, a limit, a network): what
 * the web's translation of `code` fills in, so the reader gets the error in their own language.
 */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; params?: Record<string, string | number | boolean | null> };
}

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);
export const forbidden = (message = 'You do not have permission to do this') => new HttpError(403, 'forbidden', message);
export const conflict = (code: string, message: string) => new HttpError(409, code, message);
export const badRequest = (code: string, message: string, details?: unknown) => new HttpError(400, code, message, details);

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  if (details === undefined) return { error: { code, message } };
  return { error: isParams(details) ? { code, message, details, params: details } : { code, message, details } };
}

function isParams(details: unknown): details is Record<string, string | number | boolean | null> {
  if (details === null || typeof details !== 'object' || Array.isArray(details)) return false;
  return Object.values(details).every((value) => value === null || ['string', 'number', 'boolean'].includes(typeof value));
}

const FASTIFY_CODES: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'malformed_json', message: 'The request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'malformed_json', message: 'The request body is empty but Content-Type is application/json' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large', message: 'The request body is larger than this endpoint accepts' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type', message: 'Send the request body as application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'bad_content_length', message: 'Content-Length does not match the body' },
};

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpError) {
      return reply
        .status(error.statusCode)
        .headers(error.headers)
        .send(errorBody(error.code, error.message, error.details));
    }
    if (isStorageFull(error)) {
      // The real SQLite or PostgreSQL error goes to the log; readiness drops until writes work again.
      request.server.store.storage.noteFailure(error);
      request.log.error({ err: error }, 'store cannot write: storage is full');
      return reply.status(507).send(errorBody('storage_full', STORAGE_FULL_MESSAGE));
    }
    if (isStoreUnavailable(error)) {
      // Restart or failover: tell the client when to come back instead of a 500 or a hang.
      const seconds = error instanceof StoreUnavailableError ? error.retryAfterSeconds : STORE_RETRY_AFTER_SECONDS;
      request.log.warn({ err: error }, 'store unavailable');
      return reply
        .status(503)
        .header('retry-after', String(seconds))
        .send(errorBody('store_unavailable', new StoreUnavailableError(seconds).message, { retryAfterSeconds: seconds }));
    }
    if (error instanceof DomainError) {
      return reply.status(error.status).send(errorBody(error.code, error.message, error.details));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((v) => ({
        location: error.validationContext ?? 'body',
        path: v.instancePath.replace(/^\//, '').replaceAll('/', '.'),
        message: v.message ?? 'invalid',
      }));
      const summary = details.map((d) => `${d.location}${d.path ? '.' + d.path : ''}: ${d.message}`).join('; ');
      return reply.status(400).send(errorBody('validation_failed', `Invalid request: ${summary}`, details));
    }
    const known = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (known) return reply.status(known.status).send(errorBody(known.code, known.message));
    if (error.statusCode === 429) {
      return reply.status(429).send(errorBody('rate_limited', error.message));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.status(error.statusCode).send(errorBody('bad_request', error.message));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(errorBody('internal', 'Something went wrong on our side; it has been logged'));
  });
}
