import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { requireCaller } from '../http/authentication.js';
import { HttpError } from '../http/errors.js';
import { RequestFingerprinter } from './request-fingerprint.js';
import { releaseKey, reserveKey, storeAnswer, type KeyOwner } from './reservations.js';
import { AnswerSeal } from './sealed-answer.js';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** Set on an answer that repeats the stored answer of an earlier request with the same key. */
export const REPLAYED_HEADER = 'idempotent-replayed';
/** Opaque to Chorus: 1-255 visible ASCII characters (a UUID fits). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** A repeat that arrives while the first request still runs is told to come back this soon. */
export const IN_PROGRESS_RETRY_AFTER_SECONDS = 1;
/** When the bookkeeping write after an answer fails (a store outage), it is tried again this much later, then given up. */
const BOOKKEEPING_RETRY_DELAYS_MS = [250, 1_000, 2_000, 4_000, 8_000, 16_000];

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Takes an Idempotency-Key header: a repeat of the request gets the first one's answer, and nothing runs twice. */
    idempotent?: boolean;
  }
}

interface HeldKey {
  owner: KeyOwner;
  reservedAt: string;
}

/**
 * Exactly once at the edge: on routes with `config.idempotent`, a request carrying an
 * Idempotency-Key reserves the key (preHandler, after authentication and validation) and its
 * answer is stored under it (onSend). A repeat with the same key and the same request gets that
 * answer back, marked `Idempotent-Replayed: true`, without running again; the same key with a
 * different request is refused (422), and a repeat while the first still runs gets 409 with
 * Retry-After. Answers a client may retry (5xx, 429) are not kept: the key is released instead.
 * Keys belong to the caller (user) and live 24 hours. Without the header nothing changes.
 */
export const idempotentRequests = fp(async (app: FastifyInstance) => {
  const fingerprinter = new RequestFingerprinter(app.settings.secretKey);
  const seal = new AnswerSeal(app.settings.secretKey);
  const held = new WeakMap<FastifyRequest, HeldKey>();

  app.addHook('preHandler', async (request, reply) => {
    if (!request.routeOptions.config.idempotent) return;
    const key = idempotencyKeyOf(request);
    if (key === null) return;
    const owner: KeyOwner = { userId: requireCaller(request).user.id, key };
    const requestHash = fingerprinter.fingerprint({
      method: request.method,
      route: request.routeOptions.url ?? request.url,
      params: request.params,
      body: request.body,
    });
    const reservation = await reserveKey(app.store.db, app.clock, owner, { requestHash, orgId: request.orgScope?.orgId ?? null });
    if (reservation.kind === 'reserved') {
      held.set(request, { owner, reservedAt: reservation.reservedAt });
      return;
    }
    if (reservation.requestHash !== requestHash) {
      throw new HttpError(422, 'idempotency_key_reused', 'This Idempotency-Key was already used for a different request; send a new key for a new request');
    }
    if (reservation.kind === 'in_flight') {
      throw new HttpError(
        409,
        'idempotency_in_progress',
        'A request with this Idempotency-Key is still being carried out; repeat it shortly to get its answer',
        { retryAfterSeconds: IN_PROGRESS_RETRY_AFTER_SECONDS },
        { 'retry-after': String(IN_PROGRESS_RETRY_AFTER_SECONDS) },
      );
    }
    const body = seal.open(reservation.answer.body, sealedFor(owner));
    if (body === null) {
      throw new HttpError(
        409,
        'idempotency_answer_unreadable',
        "This request was already carried out, but its stored answer cannot be read (the instance's secret key changed); look the result up instead of repeating it",
      );
    }
    return replay(reply, reservation.answer.status, reservation.answer.contentType, body);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const holding = held.get(request);
    if (!holding) return payload;
    held.delete(request);
    const status = reply.statusCode;
    const body = typeof payload === 'string' ? payload : payload === null || payload === undefined ? '' : null;
    if (status >= 500 || status === 429 || body === null) {
      if (body === null)
        request.log.error({ route: request.routeOptions.url }, 'an idempotent route answered with a stream or buffer; its answer cannot be stored');
      await persist(request, 'release', () => releaseKey(app.store.db, holding.owner, holding.reservedAt));
    } else {
      const contentType = reply.getHeader('content-type');
      const answer = { status, contentType: typeof contentType === 'string' ? contentType : null, body: seal.seal(body, sealedFor(holding.owner)) };
      await persist(request, 'store answer', () => storeAnswer(app.store.db, holding.owner, holding.reservedAt, answer));
    }
    return payload;
  });
});

function idempotencyKeyOf(request: FastifyRequest): string | null {
  const value = request.headers[IDEMPOTENCY_KEY_HEADER];
  if (value === undefined) return null;
  if (typeof value !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(value)) {
    throw new HttpError(400, 'invalid_idempotency_key', 'Idempotency-Key must be one value of 1-255 visible ASCII characters (a UUID is a good choice)');
  }
  return value;
}

const sealedFor = (owner: KeyOwner): string => `${owner.userId}\n${owner.key}`;

function replay(reply: FastifyReply, status: number, contentType: string | null, body: string): FastifyReply {
  reply.status(status).header(REPLAYED_HEADER, 'true');
  if (contentType) reply.header('content-type', contentType);
  return reply.send(status === 204 ? undefined : body);
}

/**
 * Writes the bookkeeping after an answer. The answer goes out whatever happens here (the work
 * is done; failing it now would invite a retry): a write the store refused is tried again in
 * the background, so a released key does not stay reserved until ABANDONED_AFTER_MS.
 */
async function persist(request: FastifyRequest, what: string, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    request.log.warn({ err: error }, `idempotency key: ${what} failed; retrying in the background`);
    void (async () => {
      for (const delay of BOOKKEEPING_RETRY_DELAYS_MS) {
        await sleep(delay, undefined, { ref: false });
        try {
          return await write();
        } catch {
          // Still unreachable: wait longer.
        }
      }
      request.log.error({ err: error }, `idempotency key: ${what} gave up; the key stays reserved until it is abandoned`);
    })();
  }
}
