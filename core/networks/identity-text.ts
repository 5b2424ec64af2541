import { AUTHOR_KEY_MAX } from './author-key.js';
import type { IdentityParse } from './network-rules.js';

/** Pasted text, URLs included: the longest URL Chorus stores. */
export const IDENTITY_INPUT_MAX = 2048;
/** Feed and team author names, as long as a stored author handle. */
export const AUTHOR_NAME_MAX = AUTHOR_KEY_MAX;

const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export const refused = (message: string): IdentityParse => ({ ok: false, message });

/** A DNS name of two or more labels whose last label is not numeric (Bluesky handles, Mastodon servers). */
export function isDomain(name: string): boolean {
  const labels = name.split('.');
  return name.length <= 253 && labels.length >= 2 && labels.every((l) => DOMAIN_LABEL.test(l)) && !/^[0-9]+$/.test(labels.at(-1)!);
}

/** The URL if the text is an http(s) URL, null if it is not one (a handle), 'invalid' if it looks like one but is not. */
export function asUrl(text: string): URL | null | 'invalid' {
  if (!/^https?:\/\//i.test(text)) return null;
  try {
    return new URL(text);
  } catch {
    return 'invalid';
  }
}

/** Path segments of a profile URL, ignoring a trailing slash. */
export const segments = (url: URL): string[] => url.pathname.replace(/\/+$/, '').split('/').slice(1);

/** The checks every network's parser starts with: trimmed, not empty, not huge, a URL that parses. */
export function readIdentityText(input: string, parse: (text: string, url: URL | null) => IdentityParse): IdentityParse {
  const text = input.trim();
  if (text === '') return refused('The handle is empty');
  if (text.length > IDENTITY_INPUT_MAX) return refused('The handle is too long');
  const url = asUrl(text);
  if (url === 'invalid') return refused(`"${text.slice(0, 100)}" is not a valid URL`);
  return parse(text, url);
}

/** Networks whose authors are names, not accounts (feeds, the team feed): any name up to the stored length. */
export function parseAuthorName(label: string, input: string): IdentityParse {
  const text = input.trim();
  if (text === '') return refused('The handle is empty');
  if (text.length > AUTHOR_NAME_MAX) return refused(`A ${label} author name is at most ${AUTHOR_NAME_MAX} characters`);
  return { ok: true, handle: text, profileUrl: null };
}
