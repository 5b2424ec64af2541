import type { OrgScope } from '../teams/org-scope.js';
import type { ConnectorFailure } from './connector.js';

/**
 * Instagram, Threads and LINE take a post's image only as a public HTTPS address they fetch
 * themselves (`image_url`, an image message's `originalContentUrl`), never as bytes: the host
 * keeps the image and answers the address it is served at.
 */
export interface PublicImageHost {
  publicUrlFor(image: { data: Uint8Array; mimeType: string }): Promise<string>;
}

/** One host per org, so a served image belongs to the org whose post it is (src/public-media/ answers it). */
export type PublicImages = (org: OrgScope) => PublicImageHost;

/** What a connector answers when this Chorus has no public address to serve images at. */
export const mediaHostMissing = (network: string): ConnectorFailure => ({
  kind: 'permanent',
  code: 'media_host_missing',
  message: `${network} fetches images from a public HTTPS address: set CHORUS_PUBLIC_URL to this Chorus's https:// address so it can serve them (docs/channels.md, "Public media")`,
});
