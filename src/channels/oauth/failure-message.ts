import { DomainError } from '../../lib/domain-error.js';
import { FacebookTokenRejected } from '../facebook/oauth.js';
import { LinkedinTokenRejected } from '../linkedin/failures.js';
import { ThreadsTokenRejected } from '../threads/oauth.js';
import { XTokenRejected } from '../x/oauth.js';

/** What the person reads on the settings page when a network's code or account could not be used. */
export function oauthFailureMessage(label: string, error: unknown): string {
  if (error instanceof DomainError) return error.message;
  if (
    error instanceof XTokenRejected ||
    error instanceof ThreadsTokenRejected ||
    error instanceof LinkedinTokenRejected ||
    error instanceof FacebookTokenRejected
  )
    return `${label} refused the authorization code: ${error.message}`;
  return `Connecting ${label} failed: ${(error as Error).message}`;
}
