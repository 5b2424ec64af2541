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
  const terms = [...new Set(query.toLowerCase().split(/\s+/u).filter((t) => t.length > 0))].slice(0, 10);
  return { terms };
}

export const codePoints = (term: string): number => [...term].length;

/** An FTS5 phrase: double quotes doubled, so the term is matched literally. */
export const ftsPhrase = (term: string): string => `"${term.replaceAll('"', '""')}"`;

/** A LIKE pattern that matches `term` literally anywhere (with ESCAPE '\'). */
export const containsPattern = (term: string): string => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
