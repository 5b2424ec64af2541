import type { AddressPolicy } from '../../src/lib/outbound-http/address-policy.js';

/**
 * Local test peers listen on loopback, which Chorus refuses unless the operator allows private
 * networks (CHORUS_ALLOW_PRIVATE_NETWORK); tests that talk to them pass this to the server.
 */
export const PRIVATE_NETWORK_ALLOWED: AddressPolicy = Object.freeze({ allowPrivateNetwork: true });
