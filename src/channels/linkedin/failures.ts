import { z } from 'zod';
import { blockedAddressFailure } from '../blocked-address.js';
import type { ConnectorFailure } from '../connector.js';

/** LinkedIn's quotas are per day (reset at midnight UTC) and it sends no reset header: an hour unless Retry-After says otherwise. */
export const LINKEDIN_DEFAULT_WAIT_MS = 60 * 60_000;

const restliError = z.object({
  message: z.string().optional(),
  serviceErrorCode: z.number().optional(),
  code: z.string().optional(),
  status: z.number().optional(),
});

/** A non-2xx answer; LinkedIn's body is {"status", "serviceErrorCode", "code", "message"}. */
export class LinkedinApiError extends Error {
  readonly code: string | undefined;
  constructor(
    readonly status: number,
    body: unknown,
    readonly headers: Headers,
  ) {
    const parsed = restliError.safeParse(body);
    super(`LinkedIn answered ${status}${parsed.success && parsed.data.message ? `: ${parsed.data.message}` : ''}`);
    this.code = parsed.success ? parsed.data.code : undefined;
  }
}

/** The token endpoint refused the refresh (revoked or expired refresh token). */
export class LinkedinTokenRejected extends Error {}

export class LinkedinProblem extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function linkedinWaitMs(headers: Headers): number {
  const retryAfter = Number(headers.get('retry-after'));
  return Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : LINKEDIN_DEFAULT_WAIT_MS;
}

export function toLinkedinFailure(error: unknown): ConnectorFailure {
  if (error instanceof LinkedinProblem) return { kind: 'permanent', message: error.message, code: error.code };
  if (error instanceof LinkedinTokenRejected) return { kind: 'auth', message: `LinkedIn refused the token refresh: ${error.message}` };
  if (error instanceof z.ZodError) return { kind: 'transient', message: `unexpected answer from LinkedIn: ${error.issues[0]?.message ?? 'invalid'}` };
  const blocked = blockedAddressFailure(error);
  if (blocked) return blocked;
  if (!(error instanceof LinkedinApiError)) return { kind: 'transient', message: error instanceof Error ? error.message : String(error) };
  if (error.status === 429) return { kind: 'rate_limited', message: error.message, retryAfterMs: linkedinWaitMs(error.headers) };
  if (error.status === 401) return { kind: 'auth', message: error.message };
  if (error.status >= 500 || error.status === 408) return { kind: 'transient', message: error.message };
  const code =
    error.status === 403
      ? 'permission_missing'
      : error.status === 404
        ? 'not_found'
        : error.status === 422 || error.status === 400
          ? 'rejected'
          : `http_${error.status}`;
  return { kind: 'permanent', message: error.message, code };
}
