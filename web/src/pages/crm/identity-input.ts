import { allNetworkRules } from '@core/networks/index.js';
import type { ContactNetwork } from '../../api/contacts.js';

/**
 * The network a pasted handle or profile URL most likely belongs to, so pasting
 * https://bsky.app/profile/alice.bsky.social picks Bluesky by itself: the first network whose rules
 * recognize it. Null when none can tell (a bare @alice is X or anything else): the user's choice
 * stands. The server reads the handle with the same rules.
 */
export function guessNetwork(input: string): ContactNetwork | null {
  return allNetworkRules().find((rules) => rules.recognizesIdentity(input))?.network ?? null;
}
