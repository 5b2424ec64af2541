import { TOKEN_WARNING_DAYS } from '@core/token-warning.js';

const DAY_MS = 24 * 60 * 60_000;

export type TokenExpiryState = { kind: 'expired' } | { kind: 'soon'; days: number };

/** What a channel's `tokenExpiresAt` asks of its people now: nothing, reconnect soon (days left, rounded up), or reconnect. */
export function tokenExpiryState(tokenExpiresAt: string | null, now: number): TokenExpiryState | null {
  if (tokenExpiresAt === null) return null;
  const left = Date.parse(tokenExpiresAt) - now;
  if (left <= 0) return { kind: 'expired' };
  return left < TOKEN_WARNING_DAYS * DAY_MS ? { kind: 'soon', days: Math.ceil(left / DAY_MS) } : null;
}
