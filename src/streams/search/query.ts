/** Characters SQLite's trigram tokenizer needs before its index can answer (shorter terms scan). */
export const TRIGRAM_MIN_LENGTH = 3;

export interface SearchTerms {
  /** Lowercased, as the stored search text is; every term must occur (AND). */
  terms: string[];
}

/**
 * Words separated by white space are ANDed; there is no other syntax, so nothing a user types
 * can reach the FTS5 query language. Japanese needs no word splitting: each term is a substring.
 */
export function parseSearchQuery(query: string): SearchTerms {
  const terms = [
    ...new Set(
      query
        .toLowerCase()
        .split(/\s+/u)
        .filter((t) => t.length > 0),
    ),
  ].slice(0, 10);
  return { terms };
}

export const codePoints = (term: string): number => [...term].length;

/** An FTS5 string: double quotes doubled, so the text is matched literally. */
export const ftsPhrase = (term: string): string => `"${term.replaceAll('"', '""')}"`;

/**
 * Trigrams of `term` (3+ code points) that together cover every character of it: from the start
 * every third, then the last. The index keeps no positions (detail=none), so an item holding all
 * of them is only a candidate; the caller checks the whole term in the item's text.
 */
export function coveringTrigrams(term: string): string[] {
  const chars = [...term];
  const starts = new Set<number>();
  for (let at = 0; at + TRIGRAM_MIN_LENGTH <= chars.length; at += TRIGRAM_MIN_LENGTH) starts.add(at);
  starts.add(chars.length - TRIGRAM_MIN_LENGTH);
  return [...new Set([...starts].map((at) => chars.slice(at, at + TRIGRAM_MIN_LENGTH).join('')))];
}

/** A LIKE pattern that matches `term` literally anywhere (with ESCAPE '\'). */
export const containsPattern = (term: string): string => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
