import { afterEach, describe, expect, it, vi } from 'vitest';
import { IDEMPOTENCY_KEY_PATTERN } from '../../src/idempotency/idempotent-requests.js';
import { ApiError, MAX_ATTEMPTS, request } from '../../web/src/api/client.js';
import { Intent, newIdempotencyKey } from '../../web/src/api/intent.js';

type Answer = { status: number; body: unknown } | 'unreachable';

/** A fetch that answers from a script and records the Idempotency-Key of every call. */
function scriptedFetch(...answers: Answer[]) {
  const keys: (string | undefined)[] = [];
  const fetch = vi.fn(async (_path: string, init: RequestInit) => {
    keys.push((init.headers as Record<string, string>)['idempotency-key']);
    // The last answer repeats for every further call.
    const answer = answers.length > 1 ? answers.shift()! : (answers[0] ?? 'unreachable');
    if (answer === 'unreachable') throw new TypeError('Failed to fetch');
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetch);
  return { fetch, keys };
}

const failure = (status: number, code: string, retryAfterSeconds?: number): Answer => ({
  status,
  body: { error: { code, message: code, ...(retryAfterSeconds === undefined ? {} : { details: { retryAfterSeconds } }) } },
});
// Fractions of a second keep the test fast; the server sends whole seconds.
const outage = failure(503, 'store_unavailable', 0.001);
const inProgress = failure(409, 'idempotency_in_progress', 0.001);
const created: Answer = { status: 201, body: { contact: { id: 'c1' } } };

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('a keyed create request', () => {
  it('repeats an outage and a still-running first request with the same key, and returns the answer', async () => {
    const { keys } = scriptedFetch(outage, inProgress, created);
    const answer = await request('POST', '/api/orgs/o/contacts', { displayName: 'Aiko' }, { idempotencyKey: 'intent-1' });
    expect(answer).toEqual({ contact: { id: 'c1' } });
    expect(keys).toEqual(['intent-1', 'intent-1', 'intent-1']);
  });

  it('repeats when the server cannot be reached, backing off', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const { keys } = scriptedFetch('unreachable', 'unreachable', created);
    const answer = request('POST', '/api/orgs/o/contacts', {}, { idempotencyKey: 'intent-2' });
    await vi.advanceTimersByTimeAsync(500 + 1000);
    await expect(answer).resolves.toEqual({ contact: { id: 'c1' } });
    expect(keys).toEqual(['intent-2', 'intent-2', 'intent-2']);
  });

  it('takes any other answer as final: a refusal is not repeated', async () => {
    for (const refusal of [
      failure(422, 'idempotency_key_reused'),
      failure(409, 'channel_already_connected'),
      failure(400, 'validation_failed'),
      failure(500, 'internal'),
    ]) {
      const { fetch } = scriptedFetch(refusal, created);
      await expect(request('POST', '/api/x', {}, { idempotencyKey: 'k' })).rejects.toBeInstanceOf(ApiError);
      expect(fetch).toHaveBeenCalledTimes(1);
    }
  });

  it(`gives up after ${MAX_ATTEMPTS} tries and reports the last answer`, async () => {
    const { fetch } = scriptedFetch(outage);
    await expect(request('POST', '/api/x', {}, { idempotencyKey: 'k' })).rejects.toMatchObject({ status: 503, code: 'store_unavailable' });
    expect(fetch).toHaveBeenCalledTimes(MAX_ATTEMPTS);
  });

  it('is never repeated without a key, and sends none', async () => {
    const { fetch, keys } = scriptedFetch(outage, created);
    await expect(request('POST', '/api/x', {})).rejects.toMatchObject({ status: 503 });
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(keys).toEqual([undefined]);
  });
});

describe('an intent', () => {
  it('makes keys the server accepts, one per create it names, fresh for every intent', () => {
    const intent = new Intent();
    expect(intent.key()).toMatch(IDEMPOTENCY_KEY_PATTERN);
    expect(intent.key('image-0')).toMatch(IDEMPOTENCY_KEY_PATTERN);
    expect(intent.key('post')).toBe(intent.key('post'));
    expect(new Set([intent.key(), intent.key('image-0'), intent.key('image-1'), intent.key('post')]).size).toBe(4);
    expect(new Intent().key('post')).not.toBe(intent.key('post'));
    expect(newIdempotencyKey()).toMatch(/^[0-9a-f]{32}$/);
  });
});
