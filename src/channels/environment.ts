import type { AddressPolicy } from '../lib/outbound-http/address-policy.js';
import { createSafeFetch } from '../lib/outbound-http/safe-fetch.js';
import { CredentialsCipher } from './credentials-cipher.js';
import type { ChannelOAuthSettings } from './oauth/settings.js';
import type { PublicImages } from './public-images.js';
import type { ChannelsEnvironment } from './service.js';

/** Sealed credentials, SSRF-guarded outbound HTTP and the public image host, as the server and the workers both need them. */
export function channelsEnvironment(secretKey: string, addressPolicy: AddressPolicy, publicImages: PublicImages | null = null): ChannelsEnvironment {
  return { cipher: new CredentialsCipher(secretKey), fetch: createSafeFetch({ policy: addressPolicy }), publicImages };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Sealed credentials and guarded outbound HTTP for every connector call, built once from the settings. */
    channels: ChannelsEnvironment;
  }
}

declare module '../http/context.js' {
  interface ServerSettings {
    /** The operator's OAuth apps (X, Threads, LinkedIn, Meta); a network without one is connected by pasting tokens. */
    channelOAuth: ChannelOAuthSettings;
  }
}
