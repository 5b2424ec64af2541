import { BlockedAddressError } from '../lib/outbound-http/safe-fetch.js';
import type { ConnectorFailure } from './connector.js';

/**
 * The failure for a network or feed address that the SSRF guard refused, found anywhere in the
 * error's causes (SDKs wrap what fetch threw). Permanent: retrying cannot help, and the message
 * says whether the operator can allow the address or no setting will.
 */
export function blockedAddressFailure(error: unknown): ConnectorFailure | null {
  const blocked = blockedAddressIn(error);
  if (!blocked) return null;
  const remedy = blocked.privateNetwork
    ? 'Private and loopback addresses are refused unless the operator sets CHORUS_ALLOW_PRIVATE_NETWORK=true'
    : 'Chorus never connects to such addresses, not even with CHORUS_ALLOW_PRIVATE_NETWORK=true';
  return { kind: 'permanent', code: 'address_not_allowed', message: `${blocked.message}. ${remedy}` };
}

function blockedAddressIn(error: unknown): BlockedAddressError | null {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    if (cause instanceof BlockedAddressError) return cause;
  }
  return null;
}
