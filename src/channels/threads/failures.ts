import { z } from 'zod';
import { blockedAddressFailure } from '../blocked-address.js';
import type { ConnectorFailure } from '../connector.js';

/** With no usage header to read, an hour: Meta's rate windows are rolling 1 hour (calls) and 24 hours (posts). */
export const THREADS_DEFAULT_WAIT_MS = 60 * 60_000;

/** Meta's documented throttling codes: 4 app, 17 user, 32 page, 613 custom rate limit. */
const THROTTLED = new Set([4, 17, 32, 613]);
/** 190 invalid or expired token; 102 session; 10 and 200-299 permission not granted. */
const TOKEN_CODES = new Set([102, 190]);

const graphError = z.object({
  error: z.object({
    message: z.string(),
    type: z.string().optional(),
    code: z.number().optional(),
    error_subcode: z.number().optional(),
    error_user_msg: z.string().optional(),
  }),
});

/** A non-2xx answer; Meta's error body is {"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}. */
export class ThreadsApiError extends Error {
  readonly code: number | undefined;
  constructor(
    readonly status: number,
    body: unknown,
    readonly headers: Headers,
  ) {
    const parsed = graphError.safeParse(body);
    super(`Threads answered ${status}${parsed.success ? `: ${parsed.data.error.error_user_msg ?? parsed.data.error.message}` : ''}`);
    this.code = parsed.success ? parsed.data.error.code : undefined;
  }
}

/** A request that can never succeed as asked. */
export class ThreadsProblem extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * How long to wait, from Meta's usage headers: X-Business-Use-Case-Usage carries
 * `estimated_time_to_regain_access` in minutes per business id; X-App-Usage only percentages.
 */
export function threadsWaitMs(headers: Headers): number {
  const usage = headers.get('x-business-use-case-usage');
  if (usage) {
    try {
      const parsed = JSON.parse(usage) as Record<string, { estimated_time_to_regain_access?: number }[]>;
      const minutes = Math.max(
        0,
        ...Object.values(parsed)
          .flat()
          .map((u) => Number(u.estimated_time_to_regain_access) || 0),
      );
      if (minutes > 0) return minutes * 60_000;
    } catch {
      // An unreadable header is as good as none.
    }
  }
  const retryAfter = Number(headers.get('retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter > 0) return retryAfter * 1000;
  return THREADS_DEFAULT_WAIT_MS;
}

export function toThreadsFailure(error: unknown): ConnectorFailure {
  if (error instanceof ThreadsProblem) return { kind: 'permanent', message: error.message, code: error.code };
  if (error instanceof z.ZodError) return { kind: 'transient', message: `unexpected answer from Threads: ${error.issues[0]?.message ?? 'invalid'}` };
  const blocked = blockedAddressFailure(error);
  if (blocked) return blocked;
  if (!(error instanceof ThreadsApiError)) return { kind: 'transient', message: error instanceof Error ? error.message : String(error) };
  if (error.status === 429 || (error.code !== undefined && THROTTLED.has(error.code)))
    return { kind: 'rate_limited', message: error.message, retryAfterMs: threadsWaitMs(error.headers) };
  if (error.status === 401 || (error.code !== undefined && TOKEN_CODES.has(error.code))) return { kind: 'auth', message: error.message };
  if (error.status >= 500 || error.status === 408 || error.code === 1 || error.code === 2) return { kind: 'transient', message: error.message };
  const code =
    error.status === 404 || error.code === 100
      ? 'rejected'
      : error.code === 10 || (error.code !== undefined && error.code >= 200 && error.code < 300)
        ? 'permission_missing'
        : `http_${error.status}`;
  return { kind: 'permanent', message: error.message, code };
}
