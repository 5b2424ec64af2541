import { z } from 'zod';

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
