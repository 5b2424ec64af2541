import type { Network } from '../channels/connector.js';

/**
 * How often each network's streams are polled. Intervals adapt between `minMs` and `maxMs`;
 * the budget caps requests per job (one account × one endpoint, which is how X and Mastodon
 * meter) within a window, below each network's published limits.
 */
export interface PollPolicy {
  startMs: number;
  minMs: number;
  maxMs: number;
  budget: { windowMs: number; requests: number };
  /**
   * Sources read whole at once (a feed is one document): when a poll's page was all new, or the
   * job has never completed a read, the rest is read with one more request of up to `limit`
   * items, so a long feed's older entries reach the column too.
   */
  catchUp?: { limit: number };
}

const MINUTE = 60_000;

export const POLL_POLICIES: Record<Network, PollPolicy> = {
  // Bluesky AppView: 3000 requests / 5 min per IP; we stay far below with many accounts in mind.
  // Watched polling takes 15 of the 30; the rest is for polls a push brings forward (bluesky-push.ts).
  bluesky: { startMs: MINUTE, minMs: 20_000, maxMs: 10 * MINUTE, budget: { windowMs: 5 * MINUTE, requests: 30 } },
  // Mastodon: 300 requests / 5 min per account, shared by every stream of it.
  mastodon: { startMs: MINUTE, minMs: 30_000, maxMs: 10 * MINUTE, budget: { windowMs: 5 * MINUTE, requests: 10 } },
  // X basic tier: timelines allow ~15 requests / 15 min per user and endpoint.
  x: { startMs: 3 * MINUTE, minMs: 90_000, maxMs: 30 * MINUTE, budget: { windowMs: 15 * MINUTE, requests: 10 } },
  // Feeds: conditional GETs; most blogs publish daily at most.
  // The catch-up limit is the feed connector's own bound on entries per document (MAX_ENTRIES).
  feed: { startMs: 15 * MINUTE, minMs: 5 * MINUTE, maxMs: 2 * 60 * MINUTE, budget: { windowMs: 60 * MINUTE, requests: 12 }, catchUp: { limit: 5000 } },
  // The team feed is Chorus's own table: cheap to read.
  team: { startMs: 10_000, minMs: 5_000, maxMs: MINUTE, budget: { windowMs: MINUTE, requests: 12 } },
  // LINE chats arrive by webhook into Chorus's own table; the poll reads that table, not LINE.
  line: { startMs: 10_000, minMs: 5_000, maxMs: MINUTE, budget: { windowMs: MINUTE, requests: 12 } },
  // Threads: 4 800 × impressions calls / 24 h per user, shared by the replies stream (one call per recent post).
  threads: { startMs: 5 * MINUTE, minMs: 2 * MINUTE, maxMs: 30 * MINUTE, budget: { windowMs: 15 * MINUTE, requests: 6 } },
  // LinkedIn: daily per-member and per-app quotas (Community Management API); comments move slowly.
  linkedin: { startMs: 10 * MINUTE, minMs: 5 * MINUTE, maxMs: 60 * MINUTE, budget: { windowMs: 60 * MINUTE, requests: 6 } },
  // Meta: 200 calls per hour per user and Page (platform rate limits); X-App-Usage near 100% slows us further.
  facebook: { startMs: 2 * MINUTE, minMs: MINUTE, maxMs: 20 * MINUTE, budget: { windowMs: 60 * MINUTE, requests: 60 } },
  instagram: { startMs: 2 * MINUTE, minMs: MINUTE, maxMs: 20 * MINUTE, budget: { windowMs: 60 * MINUTE, requests: 60 } },
};

/** Busy streams (a full page of new items) are polled twice as often, quiet ones 1.5× less. */
export function nextInterval(policy: PollPolicy, currentMs: number, newItems: number, pageSize: number): number {
  if (newItems >= pageSize / 2) return Math.max(policy.minMs, Math.round(currentMs / 2));
  if (newItems === 0) return Math.min(policy.maxMs, Math.round(currentMs * 1.5));
  return Math.min(policy.maxMs, Math.max(policy.minMs, currentMs));
}

/** Backoff after a failure: doubles per consecutive failure, never beyond the quiet interval. */
export const failureDelay = (policy: PollPolicy, failures: number): number => Math.min(policy.maxMs, policy.minMs * 2 ** Math.min(failures, 10));
