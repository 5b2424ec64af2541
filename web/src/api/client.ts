/** A failed API call, carrying the server's `{"error":{"code","message","details"}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Values the translation of `code` fills in (a status, a limit). */
    readonly params?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

// Kept in memory only: another origin cannot read it, so cookie-authenticated writes echo it as proof.
let csrfToken: string | null = null;

export function rememberCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  /**
   * Sent as the Idempotency-Key header (src/idempotency): the server runs the request once per
   * key. It also makes the request safe to repeat, so it is repeated on answers that leave the
   * outcome open (see retryDelayMs) with the same key, and the server answers what it did.
   */
  idempotencyKey?: string;
}

/** How often one intent's request is sent at most (the first try and its automatic repeats). */
export const MAX_ATTEMPTS = 5;
const MAX_RETRY_DELAY_MS = 10_000;

export async function request<T>(method: Method, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send<T>(method, path, body, options);
    } catch (error) {
      const delay = options.idempotencyKey && attempt < MAX_ATTEMPTS ? retryDelayMs(error, attempt) : null;
      if (delay === null) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/**
 * When to repeat a keyed request, or null when its answer is final: the server was not reached,
 * it could not reach its database (503, with Retry-After), or the same key's first request is
 * still running (409 idempotency_in_progress). Anything else is the answer.
 */
export function retryDelayMs(error: unknown, attempt: number): number | null {
  if (!(error instanceof ApiError)) return null;
  const retryable = error.status === 0 || error.status === 503 || (error.status === 409 && error.code === 'idempotency_in_progress');
  if (!retryable) return null;
  const told = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  const delay = typeof told === 'number' && told > 0 ? told * 1000 : 500 * 2 ** (attempt - 1);
  return Math.min(delay, MAX_RETRY_DELAY_MS);
}

async function send<T>(method: Method, path: string, body: unknown, options: RequestOptions): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? null : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached');
  }
  if (response.status === 204) return undefined as T;
  const payload: unknown = await response.json().catch(() => null);
  if (!response.ok) throw toApiError(response.status, payload);
  return payload as T;
}

function toApiError(status: number, payload: unknown): ApiError {
  const error = (payload as { error?: { code?: unknown; message?: unknown; details?: unknown; params?: unknown } } | null)?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    const params =
      error.params !== null && typeof error.params === 'object' && !Array.isArray(error.params) ? (error.params as Record<string, unknown>) : undefined;
    return new ApiError(status, error.code, error.message, error.details, params);
  }
  return new ApiError(status, 'http_' + status, `The server answered ${status}`);
}

export const segment = (value: string): string => encodeURIComponent(value);
