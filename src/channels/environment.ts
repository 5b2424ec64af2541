import type { AddressPolicy } from '../lib/outbound-http/address-policy.js';
import { createSafeFetch } from '../lib/outbound-http/safe-fetch.js';
import { CredentialsCipher } from './credentials-cipher.js';
import type { ChannelsEnvironment } from './service.js';

/** Sealed credentials and SSRF-guarded outbound HTTP, as the server and the workers both need them. */
export function channelsEnvironment(secretKey: string, addressPolicy: AddressPolicy): ChannelsEnvironment {
  return { cipher: new CredentialsCipher(secretKey), fetch: createSafeFetch({ policy: addressPolicy }) };
}
