import { z } from 'zod';
import { blockedAddressFailure } from '../blocked-address.js';
import type { ConnectorFailure } from '../connector.js';

/**
 * LINE sends no Retry-After: its rate limits are per minute (push 2 000 requests/s, broadcast 60
 * requests/h), so a minute is the documented shortest wait that can help.
 */
export const LINE_RATE_LIMIT_WAIT_MS = 60_000;

/** A non-2xx answer; LINE's documented error body is {"message": "...", "details"?: [{message, property}]}. */
export class LineApiError extends Error {
  constructor(
    readonly status: number,
    body: unknown,
    readonly headers: Headers,
  ) {
    const parsed = z
      .object({ message: z.string(), details: z.array(z.object({ message: z.string(), property: z.string().optional() })).optional() })
      .safeParse(body);
    const details =
      parsed.success && parsed.data.details?.length
        ? ` (${parsed.data.details.map((d) => (d.property ? `${d.property}: ${d.message}` : d.message)).join('; ')})`
        : '';
    super(`LINE answered ${status}${parsed.success ? `: ${parsed.data.message}${details}` : ''}`);
  }
}

export function toFailure(error: unknown): ConnectorFailure {
  if (error instanceof z.ZodError) return { kind: 'transient', message: `unexpected answer from LINE: ${error.issues[0]?.message ?? 'invalid'}` };
  const blocked = blockedAddressFailure(error);
  if (blocked) return blocked;
  if (!(error instanceof LineApiError)) return { kind: 'transient', message: error instanceof Error ? error.message : String(error) };
  if (error.status === 429) return { kind: 'rate_limited', message: error.message, retryAfterMs: LINE_RATE_LIMIT_WAIT_MS };
  if (error.status === 401) return { kind: 'auth', message: error.message };
  if (error.status >= 500 || error.status === 408) return { kind: 'transient', message: error.message };
  // 403: the plan does not include this API (insights, narrowcast) — permanent for this account.
  const code = error.status === 404 ? 'not_found' : error.status === 403 ? 'not_allowed_for_plan' : error.status === 400 ? 'rejected' : `http_${error.status}`;
  return { kind: 'permanent', message: error.message, code };
}
