import twitter from 'twitter-text';

/**
 * Each network's own counting rule, shared by the server (validation at schedule time) and the
 * composer's live counters in the browser. Pure: no Node APIs.
 */
export interface LengthRule {
  network: string;
  length: number;
  limit: number;
  fits: boolean;
}

export const BLUESKY_LIMIT = 300;
export const X_LIMIT = 280;
export const MASTODON_DEFAULT_LIMIT = 500;
const MASTODON_URL_LENGTH = 23;

// Made on first count: building a segmenter loads ICU's break rules (~0.1 s), which no start-up needs.
let graphemes: Intl.Segmenter | null = null;
const URL_PATTERN = /https?:\/\/[^\s]+/g;
const MASTODON_MENTION = /@([A-Za-z0-9_]+)@[A-Za-z0-9.-]+\b/g;

const countGraphemes = (text: string): number => {
  let count = 0;
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  for (const _ of graphemes.segment(text)) count++;
  return count;
};

/** Bluesky: 300 graphemes (an emoji family counts once). */
export function blueskyLength(text: string): LengthRule {
  const length = countGraphemes(text);
  return { network: 'bluesky', length, limit: BLUESKY_LIMIT, fits: length <= BLUESKY_LIMIT };
}

/** X: twitter-text's weighted length (CJK and emoji count 2, every URL 23). */
export function xLength(text: string): LengthRule {
  const parsed = twitter.parseTweet(text);
  return { network: 'x', length: parsed.weightedLength, limit: X_LIMIT, fits: parsed.weightedLength <= X_LIMIT && parsed.valid !== false };
}

/** Mastodon: characters, with every URL counted as 23 and remote mentions by their local part. */
export function mastodonLength(text: string, limit = MASTODON_DEFAULT_LIMIT): LengthRule {
  const normalized = text.replace(URL_PATTERN, 'x'.repeat(MASTODON_URL_LENGTH)).replace(MASTODON_MENTION, '@$1');
  const length = [...normalized].length;
  return { network: 'mastodon', length, limit, fits: length <= limit };
}

/** Networks without a limit that matters to Chorus (the team feed) still get a generous cap. */
export function teamLength(text: string): LengthRule {
  const length = [...text].length;
  return { network: 'team', length, limit: 5000, fits: length <= 5000 };
}

export function measureFor(network: string, text: string, options: { mastodonLimit?: number } = {}): LengthRule {
  switch (network) {
    case 'bluesky':
      return blueskyLength(text);
    case 'x':
      return xLength(text);
    case 'mastodon':
      return mastodonLength(text, options.mastodonLimit);
    default:
      return teamLength(text);
  }
}
