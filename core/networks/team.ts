import { handleKey } from './author-key.js';
import { parseAuthorName } from './identity-text.js';
import type { NetworkRules } from './network-rules.js';
import { textMeasure } from './text-measure.js';

/**
 * The team feed's own limit, in UTF-16 units of the trimmed text: what its API schema and the
 * browser's `maxLength` count too, so every check gives the same answer.
 */
export const TEAM_POST_MAX_LENGTH = 5000;

/** The org's internal feed: text only (its posts keep no images), counted in characters. */
export const teamRules: NetworkRules = {
  network: 'team',
  label: 'Team feed',
  capabilities: {
    streams: ['team', 'mentions'],
    publish: true,
    reply: false,
    quote: false,
    like: false,
    repost: false,
    direct: { like: false, repost: false },
    delete: true,
    postMetrics: false,
    accountMetrics: false,
    media: { maxImages: 0, maxBytes: 0, mimeTypes: [], altTextMaxLength: 0 },
  },
  // The team feed stores the trimmed text, so that is what counts.
  measureText: (text, options = {}) => textMeasure(text, text.trim().length, options.limit ?? TEAM_POST_MAX_LENGTH, options),
  parseIdentity: (input) => parseAuthorName('team', input),
  recognizesIdentity: () => false,
  // Authors are member names.
  authorKey: (handle) => handleKey(handle),
};

/** A teammate as @mentions see them. */
export interface Mentionable {
  userId: string;
  name: string;
  email: string;
}

/** An @ not glued to a word, an email or another mention; group 2 is the token. */
export const MENTION_PATTERN = /(^|[^\p{L}\p{N}_.@])@([\p{L}\p{N}][\p{L}\p{N}._-]*)/gu;

/**
 * Resolves @tokens to members: a token names a member by the local part of their email
 * (@olivia), their whole name without spaces (@OliviaOwner), or their first name when no
 * other member shares it. Ambiguous or unknown tokens mention nobody.
 */
export function resolveMentions(text: string, members: Mentionable[]): string[] {
  const byToken = new Map<string, Set<string>>();
  const add = (token: string, userId: string) => {
    const key = token.toLowerCase();
    if (!key) return;
    byToken.set(key, (byToken.get(key) ?? new Set()).add(userId));
  };
  for (const member of members) {
    add(member.email.split('@')[0]!, member.userId);
    add(member.name.replace(/\s+/g, ''), member.userId);
    add(member.name.trim().split(/\s+/)[0] ?? '', member.userId);
  }
  const found = new Set<string>();
  for (const match of text.matchAll(MENTION_PATTERN)) {
    const token = match[2]!.replace(/[._-]+$/, '').toLowerCase();
    const users = byToken.get(token);
    if (users?.size === 1) found.add([...users][0]!);
  }
  return [...found];
}
