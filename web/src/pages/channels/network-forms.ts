import type { Network } from '../../api/channels.js';

/**
 * What the connect form asks for, one list per network, mirroring each network's credentials
 * schema in src/channels/<network>/. Labels live in i18n under channels.fields.<network>.<name>.
 */
export interface CredentialField {
  name: string;
  kind: 'url' | 'text' | 'secret';
  required: boolean;
  initial?: string;
  /** Shown only after "Advanced" is opened (e.g. X's API base, changed only for proxies and tests). */
  advanced?: boolean;
}

export const NETWORK_FORMS: Partial<Record<Network, CredentialField[]>> = {
  bluesky: [
    { name: 'service', kind: 'url', required: true, initial: 'https://bsky.social' },
    { name: 'identifier', kind: 'text', required: true },
    { name: 'appPassword', kind: 'secret', required: true },
  ],
  mastodon: [
    { name: 'instanceUrl', kind: 'url', required: true },
    { name: 'accessToken', kind: 'secret', required: true },
  ],
  x: [
    { name: 'username', kind: 'text', required: true },
    { name: 'userId', kind: 'text', required: true },
    { name: 'clientId', kind: 'text', required: true },
    { name: 'clientSecret', kind: 'secret', required: false },
    { name: 'accessToken', kind: 'secret', required: true },
    { name: 'refreshToken', kind: 'secret', required: false },
    { name: 'apiBase', kind: 'url', required: false, initial: 'https://api.x.com', advanced: true },
  ],
  feed: [{ name: 'url', kind: 'url', required: true }],
  line: [
    { name: 'channelAccessToken', kind: 'secret', required: true },
    { name: 'channelSecret', kind: 'secret', required: true },
    { name: 'apiBase', kind: 'url', required: false, initial: 'https://api.line.me', advanced: true },
  ],
  // Threads and LinkedIn (issue 15, wt-threadsli)
  threads: [
    { name: 'accessToken', kind: 'secret', required: true },
    { name: 'appSecret', kind: 'secret', required: false },
    { name: 'expiresAt', kind: 'text', required: false },
    { name: 'apiBase', kind: 'url', required: false, initial: 'https://graph.threads.net', advanced: true },
  ],
  linkedin: [
    { name: 'organizationId', kind: 'text', required: true },
    { name: 'accessToken', kind: 'secret', required: true },
    { name: 'refreshToken', kind: 'secret', required: false },
    { name: 'clientId', kind: 'text', required: false },
    { name: 'clientSecret', kind: 'secret', required: false },
    { name: 'expiresAt', kind: 'text', required: false },
    { name: 'apiBase', kind: 'url', required: false, initial: 'https://api.linkedin.com', advanced: true },
    { name: 'authBase', kind: 'url', required: false, initial: 'https://www.linkedin.com', advanced: true },
  ],
  // Meta (Facebook Pages, Instagram)
  facebook: [
    { name: 'pageId', kind: 'text', required: true },
    { name: 'pageAccessToken', kind: 'secret', required: true },
    { name: 'appSecret', kind: 'secret', required: true },
    { name: 'webhookVerifyToken', kind: 'secret', required: false },
    { name: 'tokenExpiresAt', kind: 'text', required: false },
    { name: 'apiBase', kind: 'url', required: false, initial: 'https://graph.facebook.com', advanced: true },
  ],
  instagram: [
    { name: 'igUserId', kind: 'text', required: true },
    { name: 'accessToken', kind: 'secret', required: true },
    { name: 'appSecret', kind: 'secret', required: true },
    { name: 'webhookVerifyToken', kind: 'secret', required: false },
    { name: 'tokenExpiresAt', kind: 'text', required: false },
    { name: 'apiBase', kind: 'url', required: false, initial: 'https://graph.facebook.com', advanced: true },
  ],
  team: [],
};

/** Values a reconnect form can start from: what the account already tells about itself. */
export function reconnectInitials(channel: { network: Network; handle: string; remoteId: string; profileUrl: string | null }): Record<string, string> {
  switch (channel.network) {
    case 'bluesky':
      return { identifier: channel.handle.replace(/^@/, '') };
    case 'x':
      return { username: channel.handle.replace(/^@/, ''), userId: channel.remoteId };
    case 'mastodon':
      return channel.profileUrl ? { instanceUrl: new URL(channel.profileUrl).origin } : {};
    case 'feed':
      return { url: channel.remoteId };
    case 'linkedin':
      return { organizationId: channel.remoteId.replace(/^urn:li:organization:/, '') };
    case 'facebook':
      return { pageId: channel.remoteId };
    case 'instagram':
      return { igUserId: channel.remoteId };
    default:
      return {};
  }
}

/** Only what the user filled in is sent; empty optional fields stay out so the server's defaults apply. */
export function credentialsFrom(fields: CredentialField[], values: Record<string, string>): Record<string, string> {
  const credentials: Record<string, string> = {};
  for (const field of fields) {
    const value = (values[field.name] ?? '').trim();
    if (value !== '') credentials[field.name] = field.kind === 'secret' ? (values[field.name] ?? '') : value;
  }
  return credentials;
}
