/**
 * What a short link may point at: an absolute http(s) URL with a host, no user name or password
 * (`https://bank.example@evil.example` hides where it goes), at most 2,048 characters.
 */
export const MAX_URL_LENGTH = 2048;

export type TargetCheck = { ok: true; url: string } | { ok: false; reason: string };

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

export interface UtmTags {
  network: string | null;
  campaign: string | null;
}

/** Adds utm_source / utm_medium / utm_campaign unless the URL already sets them (the author's choice wins). */
export function withUtm(url: string, tags: UtmTags): string {
  const parsed = new URL(url);
  const set = (name: string, value: string | null) => {
    if (value && !parsed.searchParams.has(name)) parsed.searchParams.set(name, value);
  };
  set('utm_source', tags.network ?? 'chorus');
  set('utm_medium', 'social');
  set('utm_campaign', tags.campaign);
  return parsed.href;
}

/** Every http(s) URL in a post's text, in order, as written (trailing sentence punctuation left out). */
export function urlsInText(text: string): string[] {
  return [...text.matchAll(/https?:\/\/[^\s<>"'　、。「」]+/giu)].map((m) => m[0].replace(/[.,!?;:)\]]+$/u, ''));
}
