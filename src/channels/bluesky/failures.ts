import { XRPCError } from '@atproto/api';
import { blockedAddressFailure } from '../blocked-address.js';
import type { ConnectorFailure } from '../connector.js';

const DEFAULT_RETRY_AFTER_MS = 60_000;
const AUTH_ERRORS = new Set(['AuthenticationRequired', 'ExpiredToken', 'InvalidToken', 'AccountTakedown', 'AccountDeactivated']);

/** Reads `ratelimit-reset` (epoch seconds), the header the PDS and AppView send. */
export function retryAfterFrom(headers: Record<string, string | undefined> | undefined, now: Date): number {
  const reset = Number(headers?.['ratelimit-reset']);
  if (!Number.isFinite(reset) || reset <= 0) return DEFAULT_RETRY_AFTER_MS;
  return Math.max(0, reset * 1000 - now.getTime());
}

export function isAuthError(error: unknown): boolean {
  return error instanceof XRPCError && (error.status === 401 || AUTH_ERRORS.has(error.error));
}

/** A request that can never succeed as asked (missing post, missing stream target): not worth a retry. */
export class RequestProblem extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Turns whatever the SDK threw into the typed failure the publisher and pollers act on. */
export function toFailure(error: unknown, now: Date): ConnectorFailure {
  if (error instanceof RequestProblem) return { kind: 'permanent', message: error.message, code: error.code };
  const blocked = blockedAddressFailure(error);
  if (blocked) return blocked;
  if (!(error instanceof XRPCError)) {
    return { kind: 'transient', message: error instanceof Error ? error.message : String(error) };
  }
  const message = `${error.error}: ${error.message}`;
  if (error.status === 429) return { kind: 'rate_limited', message, retryAfterMs: retryAfterFrom(error.headers, now) };
  if (isAuthError(error)) return { kind: 'auth', message };
  // Status 1 and 2 are the SDK's "no usable answer" (connection refused, unparsable body).
  if (error.status < 100 || error.status >= 500 || Number(error.status) === 408) return { kind: 'transient', message };
  return { kind: 'permanent', message, code: error.error };
}
