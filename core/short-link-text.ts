/**
 * Publish-time link shortening as text: which URLs of a post become short links and what the
 * text then is. The server's length check, the publisher's rewrite and the composer's counter all
 * read these, so a post that fits once shortened is accepted and counted the same everywhere.
 */

/** A short link's code: 8 random bytes in base64url. */
export const SHORT_CODE_LENGTH = 11;
export const MAX_URL_LENGTH = 2048;

export type TargetCheck = { ok: true; url: string } | { ok: false; reason: string };

/**
 * What a short link may point at: an absolute http(s) URL with a host, no user name or password
 * (`https://bank.example@evil.example` hides where it goes), at most 2,048 characters.
 */
export function checkLinkTarget(raw: string): TargetCheck {
  const text = raw.trim();
  if (text.length === 0) return { ok: false, reason: 'is empty' };
  if (text.length > MAX_URL_LENGTH) return { ok: false, reason: `is longer than ${MAX_URL_LENGTH} characters` };
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return { ok: false, reason: 'is not an absolute URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { ok: false, reason: 'must start with http:// or https://' };
  if (!parsed.hostname) return { ok: false, reason: 'has no host' };
  if (parsed.username || parsed.password) return { ok: false, reason: 'may not carry a user name or password' };
  return { ok: true, url: parsed.href };
}

/** Every http(s) URL in a post's text, in order, as written (trailing sentence punctuation left out). */
export function urlsInText(text: string): string[] {
  return [...text.matchAll(/https?:\/\/[^\s<>"'　、。「」]+/giu)].map((m) => m[0].replace(/[.,!?;:)\]]+$/u, ''));
}

/** Where every short URL of a base starts: `https://go.example.com/s/`. */
export const shortLinkPrefix = (base: string): string => `${base.replace(/\/+$/, '')}/s/`;

/** The distinct URLs of a text that publishing shortens: valid link targets not already short. */
export function shortenableUrls(text: string, prefix: string): string[] {
  return [...new Set(urlsInText(text))].filter((url) => checkLinkTarget(url).ok && !url.startsWith(prefix));
}

/**
 * The text as it will be sent: with `prefix` (shortening on) every shortenable URL has become a
 * short URL of the same length as a real one; with null (off) the text is unchanged.
 */
export function textAsSent(text: string, prefix: string | null): string {
  return withShortUrls(text, prefix, 'x'.repeat(SHORT_CODE_LENGTH));
}

/** The text as a preview shows it before publishing: short URLs end in "…", their code not made yet. */
export const textAsPreviewed = (text: string, prefix: string | null): string => withShortUrls(text, prefix, '…');

function withShortUrls(text: string, prefix: string | null, code: string): string {
  if (prefix === null) return text;
  return shortenableUrls(text, prefix).reduce((sent, url) => sent.split(url).join(prefix + code), text);
}
