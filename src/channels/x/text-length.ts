import twitter from 'twitter-text';
import type { TextLength } from '../connector.js';

export const X_WEIGHTED_LIMIT = 280;

/** X's own counting rule: CJK and emoji weigh 2, every URL weighs 23 whatever its length. */
export function measureXText(text: string): TextLength {
  const parsed = twitter.parseTweet(text);
  return { length: parsed.weightedLength, limit: X_WEIGHTED_LIMIT, fits: parsed.weightedLength <= X_WEIGHTED_LIMIT && (parsed.valid || text.trim() === '') };
}
