import { z } from 'zod';
import { blockedAddressFailure } from '../blocked-address.js';
import type { ConnectorFailure } from '../connector.js';

const DEFAULT_RETRY_AFTER_MS = 5 * 60_000;

/** A non-2xx answer; Mastodon's documented error body is {"error": "...", "error_description"?: "..."}. */
export class MastodonApiError extends Error {
  constructor(
    readonly status: number,
    body: unknown,
    readonly headers: Headers,
  ) {
    const parsed = z.object({ error: z.string(), error_description: z.string().optional() }).safeParse(body);
    super(`Mastodon answered ${status}${parsed.success ? `: ${parsed.data.error}` : ''}`);
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

/** `X-RateLimit-Reset` is an ISO 8601 time on Mastodon. */
export function retryAfterFrom(headers: Headers, now: Date): number {
  const reset = Date.parse(headers.get('x-ratelimit-reset') ?? '');
  if (Number.isNaN(reset)) return DEFAULT_RETRY_AFTER_MS;
  return Math.max(0, reset - now.getTime());
}

export function toFailure(error: unknown, now: Date): ConnectorFailure {
  if (error instanceof RequestProblem) return { kind: 'permanent', message: error.message, code: error.code };
  if (error instanceof z.ZodError) return { kind: 'transient', message: `unexpected answer from Mastodon: ${error.issues[0]?.message ?? 'invalid'}` };
  const blocked = blockedAddressFailure(error);
  if (blocked) return blocked;
  if (!(error instanceof MastodonApiError)) return { kind: 'transient', message: error instanceof Error ? error.message : String(error) };
  if (error.status === 429) return { kind: 'rate_limited', message: error.message, retryAfterMs: retryAfterFrom(error.headers, now) };
  if (error.status === 401) return { kind: 'auth', message: error.message };
  if (error.status >= 500 || error.status === 408) return { kind: 'transient', message: error.message };
  const code = error.status === 404 ? 'post_not_found' : error.status === 422 ? 'rejected' : `http_${error.status}`;
  return { kind: 'permanent', message: error.message, code };
}
