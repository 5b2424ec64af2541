import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from './errors.js';

const refusal = () => new HttpError(400, 'nul_character', 'Text may not contain the NUL character (\\u0000)');

function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 32 || value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return false;
  if (Array.isArray(value)) return value.some((item) => holdsNul(item, depth + 1));
  return Object.entries(value).some(([key, item]) => key.includes('\u0000') || holdsNul(item, depth + 1));
}

/**
 * PostgreSQL text cannot hold U+0000 (it fails the query, a 500); SQLite stores it. Refused at the
 * edge, so both stores answer the same 400 and an export from one always imports into the other.
 * Path and query are checked before any hook reads them (the org scope looks up :orgId).
 */
export const refuseNulCharacters = fp(async (app: FastifyInstance) => {
  app.addHook('onRequest', async (request) => {
    if (holdsNul(request.params) || holdsNul(request.query)) throw refusal();
  });
  app.addHook('preValidation', async (request) => {
    if (holdsNul(request.body)) throw refusal();
  });
});
