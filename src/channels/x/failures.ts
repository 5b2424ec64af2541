import { z } from 'zod';
import { blockedAddressFailure } from '../blocked-address.js';
import type { ConnectorFailure } from '../connector.js';
import { XTokenRejected } from './oauth.js';

const DEFAULT_RETRY_AFTER_MS = 15 * 60_000;

/** X's v2 problem shape: {"title","detail","type","status"}, or {"errors":[{"message"}]}. */
const problem = z.object({
  title: z.string().optional(),
  detail: z.string().optional(),
  type: z.string().optional(),
  errors: z.array(z.object({ message: z.string().optional(), detail: z.string().optional() })).optional(),
});

/** A non-2xx answer from the X API. */
export class XApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Headers,
  ) {
    const parsed = problem.safeParse(body);
    const detail = parsed.success
      ? (parsed.data.detail ?? parsed.data.errors?.[0]?.message ?? parsed.data.errors?.[0]?.detail ?? parsed.data.title)
      : undefined;
    super(`X answered ${status}${detail ? `: ${detail}` : ''}`);
  }

  get isDuplicateContent(): boolean {
    return this.status === 403 && /duplicate content/i.test(this.message);
  }
}

/** A request that can never succeed as asked: not worth a retry. */
export class RequestProblem extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** `x-rate-limit-reset` is epoch seconds of the end of the current window. */
export function retryAfterFrom(headers: Headers, now: Date): number {
  const reset = Number(headers.get('x-rate-limit-reset'));
  if (!Number.isFinite(reset) || reset <= 0) return DEFAULT_RETRY_AFTER_MS;
  return Math.max(0, reset * 1000 - now.getTime());
}

export function toFailure(error: unknown, now: Date): ConnectorFailure {
  if (error instanceof RequestProblem) return { kind: 'permanent', message: error.message, code: error.code };
  if (error instanceof XTokenRejected) return { kind: 'auth', message: `X refused the token refresh: ${error.message}` };
  if (error instanceof z.ZodError) return { kind: 'transient', message: `unexpected answer from X: ${error.issues[0]?.message ?? 'invalid'}` };
  const blocked = blockedAddressFailure(error);
  if (blocked) return blocked;
  if (!(error instanceof XApiError)) return { kind: 'transient', message: error instanceof Error ? error.message : String(error) };
  if (error.status === 429) return { kind: 'rate_limited', message: error.message, retryAfterMs: retryAfterFrom(error.headers, now) };
  if (error.status === 401) return { kind: 'auth', message: error.message };
  if (error.status >= 500 || error.status === 408) return { kind: 'transient', message: error.message };
  return { kind: 'permanent', message: error.message, code: error.isDuplicateContent ? 'duplicate_content' : `http_${error.status}` };
}
