import { AUTHOR_KEY_MAX, authorKey } from '../channels/author-key.js';
import { profileUrl as blueskyProfileUrl } from '../channels/bluesky/profile-url.js';
import type { Network } from '../channels/connector.js';
import { DomainError } from '../lib/domain-error.js';

/** What Chorus stores for an identity a user typed or pasted. */
export interface ParsedIdentity {
  network: Network;
  handle: string;
  profileUrl: string | null;
  /** channels/author-key.ts, so the identity finds the author's stored items. */
  matchKey: string;
}

/** Feed and team author names, as long as a stored author handle (channels/author-key.ts). */
const NAME_MAX = AUTHOR_KEY_MAX;
/** Pasted text, URLs included: the longest URL Chorus stores. */
const INPUT_MAX = 2048;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const X_USERNAME = /^[A-Za-z0-9_]{1,15}$/;
const MASTODON_USERNAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9_])?$/;
const X_HOSTS = new Set(['x.com', 'www.x.com', 'mobile.x.com', 'twitter.com', 'www.twitter.com', 'mobile.twitter.com']);

const invalid = (message: string): DomainError => new DomainError('invalid_identity', message, 400);

/** A DNS name of two or more labels whose last label is not numeric (Bluesky handles, Mastodon servers). */
function isDomain(name: string): boolean {
  const labels = name.split('.');
  return name.length <= 253 && labels.length >= 2 && labels.every((l) => DOMAIN_LABEL.test(l)) && !/^[0-9]+$/.test(labels.at(-1)!);
}

/** The URL if the text is an http(s) URL, else null (a handle). */
function asUrl(text: string): URL | null {
  if (!/^https?:\/\//i.test(text)) return null;
  try {
    return new URL(text);
  } catch {
    throw invalid(`"${text.slice(0, 100)}" is not a valid URL`);
  }
}

/** Path segments of a profile URL, ignoring a trailing slash. */
const segments = (url: URL): string[] => url.pathname.replace(/\/+$/, '').split('/').slice(1);

function bluesky(text: string): Omit<ParsedIdentity, 'network' | 'matchKey'> {
  const url = asUrl(text);
  let handle = text;
  if (url) {
    const path = segments(url);
    if (url.hostname !== 'bsky.app' || path.length !== 2 || path[0] !== 'profile') throw invalid('A Bluesky profile URL looks like https://bsky.app/profile/alice.bsky.social');
    handle = path[1]!;
  }
  handle = handle.replace(/^@/, '').toLowerCase();
  if (handle.startsWith('did:')) throw invalid('Chorus matches Bluesky authors by handle, not DID: use the handle (alice.bsky.social)');
  if (!isDomain(handle)) throw invalid(`"${handle.slice(0, 100)}" is not a Bluesky handle (like alice.bsky.social)`);
  return { handle, profileUrl: blueskyProfileUrl(handle) };
}

function mastodon(text: string): Omit<ParsedIdentity, 'network' | 'matchKey'> {
  const url = asUrl(text);
  let user: string;
  let server: string;
  if (url) {
    const path = segments(url);
    if (path.length !== 1 || !path[0]!.startsWith('@') || url.port !== '') throw invalid('A Mastodon profile URL looks like https://mastodon.social/@alice');
    user = path[0]!.slice(1);
    server = url.hostname;
  } else {
    const parts = text.replace(/^@/, '').split('@');
    if (parts.length === 1) throw invalid(`A Mastodon handle needs its server: ${parts[0]!.slice(0, 100)}@mastodon.social, not ${parts[0]!.slice(0, 100)}`);
    if (parts.length !== 2) throw invalid('A Mastodon handle looks like @alice@mastodon.social');
    [user, server] = parts as [string, string];
    server = server.toLowerCase();
  }
  if (!MASTODON_USERNAME.test(user)) throw invalid(`"${user.slice(0, 100)}" is not a Mastodon username (letters, digits and _)`);
  if (!isDomain(server)) throw invalid(`"${server.slice(0, 100)}" is not a Mastodon server name (like mastodon.social)`);
  return { handle: `${user}@${server}`, profileUrl: `https://${server}/@${user}` };
}

function x(text: string): Omit<ParsedIdentity, 'network' | 'matchKey'> {
  const url = asUrl(text);
  let handle = text;
  if (url) {
    const path = segments(url);
    if (!X_HOSTS.has(url.hostname) || path.length !== 1) throw invalid('An X profile URL looks like https://x.com/alice');
    handle = path[0]!;
  }
  handle = handle.replace(/^@/, '');
  if (!X_USERNAME.test(handle)) throw invalid(`"${handle.slice(0, 100)}" is not an X username (1 to 15 letters, digits or _)`);
  return { handle, profileUrl: `https://x.com/${handle}` };
}

/**
 * Reads what a user typed or pasted for an identity: a handle with or without `@`, or a
 * profile URL. Anything else is a 400 `invalid_identity` that says what is wrong.
 */
export function parseIdentity(network: Network, input: string): ParsedIdentity {
  const text = input.trim();
  if (text === '' || text.length > INPUT_MAX) throw invalid(text === '' ? 'The handle is empty' : 'The handle is too long');
  let parsed: Omit<ParsedIdentity, 'network' | 'matchKey'>;
  if (network === 'bluesky') parsed = bluesky(text);
  else if (network === 'mastodon') parsed = mastodon(text);
  else if (network === 'x') parsed = x(text);
  else {
    if (text.length > NAME_MAX) throw invalid(`A ${network} author name is at most ${NAME_MAX} characters`);
    parsed = { handle: text, profileUrl: null };
  }
  const matchKey = authorKey(network, parsed.handle, parsed.profileUrl);
  if (matchKey === '') throw invalid('The handle is empty');
  return { network, ...parsed, matchKey };
}
