import { z } from 'zod';
import { healthAfter, type AccountHealth, type ConnectorResult } from './connector.js';

/**
 * When a pasted token stops working, as the user can know it: an ISO 8601 time, or the Unix
 * seconds Meta's debug_token answers in `expires_at` (0 there means it never expires). Stored
 * as ISO, so a stored value parses again through the same schema.
 */
export const tokenExpiryInput = z.union([
  z.iso.datetime({ offset: true }),
  z
    .union([
      z.number().int().nonnegative(),
      z
        .string()
        .trim()
        .regex(/^\d{1,11}$/, 'a Unix time is whole seconds'),
    ])
    .transform((seconds) => (Number(seconds) === 0 ? undefined : new Date(Number(seconds) * 1000).toISOString())),
]);

/**
 * How a network's credentials say when the channel stops working unless someone reconnects it.
 * `of` answers null when the token does not expire, its end is unknown, or Chorus renews it
 * whatever happens (an X or LinkedIn refresh token). `renewedWithinMs`: Chorus renews the token
 * itself in this last stretch of its life (Threads), so its end only matters once that began.
 */
export interface TokenExpiry<Credentials> {
  of(credentials: Credentials): string | null;
  renewedWithinMs?: number;
}

/** The end a person must act before, as of `now`; null while nothing needs them. */
export function endToShow(storedEnd: string | null, renewedWithinMs: number | undefined, now: string): string | null {
  if (storedEnd === null) return null;
  if (renewedWithinMs !== undefined && Date.parse(storedEnd) - Date.parse(now) > renewedWithinMs) return null;
  return storedEnd;
}

/** What a token's end alone says as of `now`: past it only a person reconnecting helps; null while it is ahead or unknown. */
export function expiredTokenHealth(end: string | null, now: Date): AccountHealth | null {
  if (end === null || Date.parse(end) > now.getTime()) return null;
  return { status: 'needs_reconnect', reason: `The access token expired at ${end}: reconnect the channel` };
}

/**
 * health() of a connector whose token can end (`end`: its network's TokenExpiry of the current
 * credentials): an expired token needs reconnecting without asking the network, which may go on
 * accepting it for a while; otherwise the network's answer to verify() decides.
 */
export async function healthWithTokenEnd(end: string | null, now: Date, verify: () => Promise<ConnectorResult<unknown>>): Promise<AccountHealth> {
  const expired = expiredTokenHealth(end, now);
  if (expired) return expired;
  const result = await verify();
  return result.ok ? { status: 'ok' } : healthAfter(result.failure);
}
