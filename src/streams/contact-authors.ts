import type { RawBuilder } from 'kysely';
import type { OrgScope } from '../teams/org-scope.js';
import type { Network } from '../channels/connector.js';

/**
 * What a column's "from contacts only" filter asks about the org's contacts. The CRM, a module
 * above streams, holds the answer; the assembly binds it here (src/app/module-ports.ts), so that
 * streams imports nothing of the CRM and the two do not form an import circle.
 */
export interface ContactAuthors {
  /** The condition "this item's author is one of the org's contacts", over `stream_items`. */
  isContact(): RawBuilder<boolean>;
  /** Every contact author of the org when there are at most `max`, else null. */
  fewAuthors(scope: OrgScope, max: number): Promise<AuthorRef[] | null>;
}

/** An author on one network, by author key. */
export interface AuthorRef {
  network: Network;
  matchKey: string;
}

let bound: ContactAuthors | null = null;

export function answerContactAuthorsWith(answer: ContactAuthors): void {
  bound = answer;
}

export function contactAuthors(): ContactAuthors {
  // Reached only when an entry point skipped the assembly: a from-contacts column must not read as empty.
  if (!bound) throw new Error('streams: nothing answers "which authors are contacts"; import src/app/module-ports.ts in the entry point');
  return bound;
}
