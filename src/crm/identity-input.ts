import { networkRules, type Network } from '../../core/networks/index.js';
import { DomainError } from '../lib/domain-error.js';

/** What Chorus stores for an identity a user typed or pasted. */
export interface ParsedIdentity {
  network: Network;
  handle: string;
  profileUrl: string | null;
  /** The network's author key (core/networks), so the identity finds the author's stored items. */
  matchKey: string;
}

const invalid = (message: string): DomainError => new DomainError('invalid_identity', message, 400);

/**
 * Reads what a user typed or pasted for an identity with its network's rules: a handle with or
 * without `@`, or a profile URL. Anything else is a 400 `invalid_identity` that says what is wrong.
 */
export function parseIdentity(network: Network, input: string): ParsedIdentity {
  const rules = networkRules(network);
  const parsed = rules.parseIdentity(input);
  if (!parsed.ok) throw invalid(parsed.message);
  const matchKey = rules.authorKey(parsed.handle, parsed.profileUrl);
  if (matchKey === '') throw invalid('The handle is empty');
  return { network, handle: parsed.handle, profileUrl: parsed.profileUrl, matchKey };
}
