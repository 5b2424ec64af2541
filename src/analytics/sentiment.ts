import Sentiment from 'sentiment';
import type { SentimentLabel } from '../../core/api/analytics.js';

export type SentimentMethod = 'afinn-165' | 'none';

export interface Rated {
  label: SentimentLabel;
  method: SentimentMethod;
  score: number | null;
}

const afinn = new Sentiment();
const JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;
const LATIN_WORD = /[A-Za-z]{2,}/;

/**
 * English text is rated with the AFINN-165 word list (the `sentiment` package). Every other
 * language, Japanese included, is "unknown": no Japanese polarity lexicon is published in the npm
 * registry (@nlpjs/lang-ja 4.26.1 ships negations only, its afinn and senticon are undefined), and
 * a label that was guessed would be shown as if it were measured.
 */
export function rateSentiment(text: string, language: string | null): Rated {
  const lang = language?.toLowerCase() ?? null;
  const english = lang ? lang === 'en' || lang.startsWith('en-') : !JAPANESE.test(text) && LATIN_WORD.test(text);
  if (!english) return { label: 'unknown', method: 'none', score: null };
  const score = afinn.analyze(text).score;
  return { label: score > 0 ? 'positive' : score < 0 ? 'negative' : 'neutral', method: 'afinn-165', score };
}
