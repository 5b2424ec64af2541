import type { TextLength } from '../connector.js';

export const BLUESKY_GRAPHEME_LIMIT = 300;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Bluesky counts user-perceived characters: an emoji family or a flag is one. */
export function measureBlueskyText(text: string): TextLength {
  let length = 0;
  for (const _ of graphemes.segment(text)) length++;
  return { length, limit: BLUESKY_GRAPHEME_LIMIT, fits: length <= BLUESKY_GRAPHEME_LIMIT };
}
