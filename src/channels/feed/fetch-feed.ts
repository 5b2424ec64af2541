import { blockedAddressFailure } from '../blocked-address.js';
import { failed, succeeded, type ConnectorFailure, type ConnectorResult } from '../connector.js';
import { OutboundHttpError } from '../../lib/outbound-http/safe-fetch.js';
import { decodeFeedBytes, type CharsetNote } from './charset.js';
import { parseFeedText, type ParsedFeed } from './parse.js';

/** What a server said last time, so the next poll can ask "anything new?" (conditional GET). */
export interface FeedValidators {
  etag: string | null;
  lastModified: string | null;
}

export type FeedFetch =
  | { changed: false; validators: FeedValidators }
  | {
      changed: true;
      feed: ParsedFeed;
      validators: FeedValidators;
      finalUrl: string;
      /** Why the charset used is not simply the declared one, if it is not. */ charset: CharsetNote | null;
    };

const ACCEPT = 'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5';

/** One poll of a feed: never throws, every outcome is a ConnectorResult a user can read. */
export async function fetchFeed(
  fetch: typeof globalThis.fetch,
  url: string,
  validators: FeedValidators | null,
  now: Date,
): Promise<ConnectorResult<FeedFetch>> {
  const headers: Record<string, string> = { accept: ACCEPT };
  if (validators?.etag) headers['if-none-match'] = validators.etag;
  if (validators?.lastModified) headers['if-modified-since'] = validators.lastModified;
  try {
    const response = await fetch(url, { headers });
    const next: FeedValidators = { etag: response.headers.get('etag'), lastModified: response.headers.get('last-modified') };
    if (response.status === 304) {
      await response.body?.cancel();
      return succeeded({
        changed: false,
        validators: { etag: next.etag ?? validators?.etag ?? null, lastModified: next.lastModified ?? validators?.lastModified ?? null },
      });
    }
    if (!response.ok) {
      await response.body?.cancel();
      return failed(statusFailure(response.status, response.headers.get('retry-after'), now));
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    const { text, note } = decodeFeedBytes(bytes, response.headers.get('content-type'));
    const parsed = parseFeedText(text, response.url || url, now);
    if (!parsed.ok) return failed({ kind: 'permanent', code: parsed.failure.reason, message: parsed.failure.message });
    return succeeded({ changed: true, feed: parsed.feed, validators: next, finalUrl: response.url || url, charset: note });
  } catch (error) {
    return failed(transportFailure(error));
  }
}

function statusFailure(status: number, retryAfter: string | null, now: Date): ConnectorFailure {
  if (status === 429 || status === 503) {
    const retryAfterMs = retryAfterToMs(retryAfter, now) ?? 15 * 60_000;
    return status === 429
      ? { kind: 'rate_limited', message: 'The feed server asks Chorus to slow down', retryAfterMs }
      : { kind: 'transient', message: 'The feed server is temporarily unavailable (503)', retryAfterMs };
  }
  if (status >= 500) return { kind: 'transient', message: `The feed server had an error (${status}); Chorus will try again later` };
  // Said without history: the same answer comes when a feed is first added and when it disappears.
  if (status === 404)
    return { kind: 'permanent', code: 'feed_gone', message: 'The feed server says there is no feed at this address (404 Not Found)', params: { status } };
  if (status === 410)
    return {
      kind: 'permanent',
      code: 'feed_gone',
      message: 'The feed server says the feed at this address was removed for good (410 Gone)',
      params: { status },
    };
  if (status === 401 || status === 403)
    return {
      kind: 'permanent',
      code: 'feed_forbidden',
      message: `The feed server refuses access (${status}); the feed may need a sign-in Chorus does not have`,
      params: { status },
    };
  return { kind: 'permanent', code: 'feed_http_error', message: `The feed server answered with status ${status}`, params: { status } };
}

function retryAfterToMs(value: string | null, now: Date): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now.getTime());
}

function transportFailure(error: unknown): ConnectorFailure {
  const blocked = blockedAddressFailure(error);
  if (blocked) return blocked;
  if (!(error instanceof OutboundHttpError))
    return { kind: 'transient', message: `The feed could not be fetched: ${(error as Error)?.message ?? String(error)}` };
  switch (error.kind) {
    case 'timeout':
    case 'network':
      return { kind: 'transient', message: error.message };
    case 'too_large':
      return { kind: 'permanent', code: 'feed_too_large', message: `The feed is too large for Chorus to read (${error.message})` };
    default:
      return { kind: 'permanent', code: error.kind, message: error.message };
  }
}
