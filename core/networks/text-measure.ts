import type { MeasureOptions, TextMeasure } from './network-rules.js';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** User-perceived characters: an emoji family or a flag is one. */
export function countGraphemes(text: string): number {
  let count = 0;
  for (const _ of graphemes.segment(text)) count++;
  return count;
}

/** The one answer every network gives about length and emptiness, from its own count. */
export function textMeasure(text: string, length: number, limit: number, options: MeasureOptions = {}): TextMeasure {
  const tooLong = length > limit;
  const empty = text.trim() === '' && (options.mediaCount ?? 0) === 0;
  return { length, limit, tooLong, empty, fits: !tooLong && !empty };
}
