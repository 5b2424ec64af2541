import { z } from 'zod';
import { blockedAddressFailure } from '../blocked-address.js';
import type { ConnectorFailure } from '../connector.js';

/** Meta names no wait on a throttled call: an hour is its documented rolling window. */
export const GRAPH_RATE_LIMIT_WAIT_MS = 60 * 60_000;

/** Graph API error codes (Meta's "Handling errors" reference). */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80001, 80002, 80004, 80005, 80006, 80008, 80014]);
const AUTH_CODES = new Set([102, 190]);
const TRANSIENT_CODES = new Set([1, 2]);

const errorBody = z.object({
  error: z.object({
    message: z.string(),
    type: z.string().optional(),
    code: z.number().int(),
    error_subcode: z.number().int().optional(),
    fbtrace_id: z.string().optional(),
  }),
});

/** A non-2xx Graph answer: {"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}. */
export class GraphApiError extends Error {
  readonly code: number | null;
  readonly subcode: number | null;
  constructor(
    readonly status: number,
    body: unknown,
    /** From the usage headers: how long Meta says the app or Page stays throttled. */
    readonly regainAfterMs: number | null = null,
  ) {
    const parsed = errorBody.safeParse(body);
    super(
      `Meta answered ${status}${parsed.success ? ` (code ${parsed.data.error.code}${parsed.data.error.error_subcode ? `/${parsed.data.error.error_subcode}` : ''}): ${parsed.data.error.message}` : ''}`,
    );
    this.code = parsed.success ? parsed.data.error.code : null;
    this.subcode = parsed.success ? (parsed.data.error.error_subcode ?? null) : null;
  }
}

/** Thrown before a call while the usage headers said the app or Page is throttled. */
export class GraphThrottled extends Error {
  constructor(readonly waitMs: number) {
    super(`Meta's usage headers say calls are throttled for ${Math.ceil(waitMs / 60_000)} more minutes`);
  }
}

export function graphFailure(error: unknown, network = 'Meta'): ConnectorFailure {
  if (error instanceof z.ZodError) return { kind: 'transient', message: `unexpected answer from ${network}: ${error.issues[0]?.message ?? 'invalid'}` };
  const blocked = blockedAddressFailure(error);
  if (blocked) return blocked;
  if (error instanceof GraphThrottled) return { kind: 'rate_limited', message: error.message, retryAfterMs: error.waitMs };
  if (!(error instanceof GraphApiError)) return { kind: 'transient', message: error instanceof Error ? error.message : String(error) };
  if ((error.code !== null && RATE_LIMIT_CODES.has(error.code)) || error.status === 429) {
    return { kind: 'rate_limited', message: error.message, retryAfterMs: error.regainAfterMs ?? GRAPH_RATE_LIMIT_WAIT_MS };
  }
  if ((error.code !== null && AUTH_CODES.has(error.code)) || error.status === 401) return { kind: 'auth', message: error.message };
  if ((error.code !== null && TRANSIENT_CODES.has(error.code)) || error.status >= 500) return { kind: 'transient', message: error.message };
  if (error.code === 10 || (error.code !== null && error.code >= 200 && error.code < 300))
    return { kind: 'permanent', code: 'permission_missing', message: error.message };
  if (error.code === 506) return { kind: 'permanent', code: 'duplicate_post', message: error.message };
  if (error.code === 368) return { kind: 'permanent', code: 'blocked_by_meta', message: error.message };
  if (error.code === 100 && error.subcode === 33) return { kind: 'permanent', code: 'not_found', message: error.message };
  return { kind: 'permanent', code: error.code === 100 ? 'rejected' : `http_${error.status}`, message: error.message };
}
