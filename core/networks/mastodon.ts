import { handleKey, profileKey } from './author-key.js';
import { isDomain, readIdentityText, refused, segments } from './identity-text.js';
import type { NetworkRules } from './network-rules.js';
import { twitterText } from './twitter-text.js';
import { countGraphemes, textMeasure } from './text-measure.js';

/** Mastodon's stock configuration; every instance may set its own (GET /api/v2/instance). */
export const MASTODON_DEFAULT_CHARACTERS = 500;
export const MASTODON_DEFAULT_URL_LENGTH = 23;

const MASTODON_USERNAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9_])?$/;
/** @user@domain (Mastodon counts only the @user part of a remote mention). */
const REMOTE_MENTION = /(^|[^\p{L}\p{N}_/])@([\p{L}\p{N}_]+(?:[\p{L}\p{N}_.-]*[\p{L}\p{N}_])?)@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

/**
 * Mastodon's StatusLengthValidator: every URL with a scheme counts as the reserved length
 * (23 unless the instance says otherwise), a remote mention as its local part, the rest in graphemes.
 */
export function mastodonLength(text: string, charactersReservedPerUrl = MASTODON_DEFAULT_URL_LENGTH): number {
  let countable = '';
  let from = 0;
  for (const url of twitterText().extractUrlsWithIndices(text, { extractUrlsWithoutProtocol: false })) {
    const [start, end] = url.indices;
    countable += text.slice(from, start) + 'x'.repeat(charactersReservedPerUrl);
    from = end;
  }
  return countGraphemes((countable + text.slice(from)).replace(REMOTE_MENTION, '$1@$2'));
}

/**
 * The text of a private reply to `handle`: a direct status reaches only the accounts it mentions,
 * so it starts with `@handle` unless the text already names them (in any case, before
 * punctuation). The connector sends this and the reply box counts it.
 */
export function privateReplyText(handle: string, text: string): string {
  const mention = `@${handle.replace(/^@/, '')}`;
  const named = new RegExp(`(^|\\s)${mention.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w@-]|\\.\\w)`, 'i');
  return named.test(text) ? text : `${mention} ${text}`;
}

export const mastodonRules: NetworkRules = {
  network: 'mastodon',
  label: 'Mastodon',
  capabilities: {
    streams: ['home', 'mentions', 'notifications', 'user_posts', 'list', 'search'],
    publish: true,
    reply: true,
    quote: true,
    like: true,
    repost: true,
    direct: { like: true, repost: false },
    delete: true,
    postMetrics: true,
    accountMetrics: true,
    // Stock limits; the connector narrows them to what its instance reports.
    media: { maxImages: 4, maxBytes: 16 * 1024 * 1024, mimeTypes: ['image/jpeg', 'image/png', 'image/gif', 'image/webp'], altTextMaxLength: 1500 },
  },
  measureText: (text, options = {}) => textMeasure(text, mastodonLength(text), options.limit ?? MASTODON_DEFAULT_CHARACTERS, options),
  parseIdentity: (input) =>
    readIdentityText(input, (text, url) => {
      let user: string;
      let server: string;
      if (url) {
        const path = segments(url);
        if (path.length !== 1 || !path[0]!.startsWith('@') || url.port !== '')
          return refused('A Mastodon profile URL looks like https://mastodon.social/@alice');
        user = path[0]!.slice(1);
        server = url.hostname;
      } else {
        const parts = text.replace(/^@/, '').split('@');
        if (parts.length === 1)
          return refused(`A Mastodon handle needs its server: ${parts[0]!.slice(0, 100)}@mastodon.social, not ${parts[0]!.slice(0, 100)}`);
        if (parts.length !== 2) return refused('A Mastodon handle looks like @alice@mastodon.social');
        [user, server] = parts as [string, string];
        server = server.toLowerCase();
      }
      if (!MASTODON_USERNAME.test(user)) return refused(`"${user.slice(0, 100)}" is not a Mastodon username (letters, digits and _)`);
      if (!isDomain(server)) return refused(`"${server.slice(0, 100)}" is not a Mastodon server name (like mastodon.social)`);
      return { ok: true, handle: `${user}@${server}`, profileUrl: `https://${server}/@${user}` };
    }),
  recognizesIdentity: (input) => {
    const value = input.trim();
    const url = /^https?:\/\/[^/?#]+(\/[^?#]*)?/i.exec(value);
    if (url) return (url[1] ?? '').startsWith('/@');
    return /^@?[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value);
  },
  /**
   * The profile URL without scheme (`mastodon.social/@alice`): an account's `acct` is `alice` on
   * its own server and `alice@mastodon.social` everywhere else, its profile URL the same from every server.
   */
  authorKey: (handle, profileUrl) => (profileUrl ? profileKey(profileUrl) : null) ?? handleKey(handle),
  privateReplyText,
};
