import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../src/lib/clock.js';
import { ingestDueJobs } from '../../src/streams/poller.js';
import { streamNotifier } from '../../src/streams/live.js';

/** One ingest round as the worker runs it, with the server's key (channels were sealed with it). */
export function ingestRound(app: FastifyInstance, clock: Clock = () => new Date(), workerId = 'test-worker'): Promise<number> {
  return ingestDueJobs({ store: app.store, clock, env: app.channels, notifier: streamNotifier(app.store), workerId });
}

/** A clock tests move forward by hand. */
export function movableClock(start = Date.now()): Clock & { advance(ms: number): void } {
  let now = start;
  const clock = (() => new Date(now)) as Clock & { advance(ms: number): void };
  clock.advance = (ms: number) => {
    now += ms;
  };
  return clock;
}

/** Like, repost and reply counts as Mastodon reports them on a Status. */
export interface MastodonCounts {
  favourites_count: number;
  reblogs_count: number;
  replies_count: number;
}

/** A Mastodon Status (docs.joinmastodon.org/entities/Status) by bob, trimmed to what the connector reads. */
export const mastodonStatus = (id: string, counts: MastodonCounts, options: { content?: string; avatar?: string | null } = {}) => ({
  id,
  created_at: '2026-11-27T09:00:00.000Z',
  in_reply_to_id: null,
  sensitive: false,
  spoiler_text: '',
  visibility: 'public',
  language: 'en',
  uri: `https://other.example/users/bob/statuses/${id}`,
  url: `https://other.example/@bob/${id}`,
  ...counts,
  edited_at: null,
  content: options.content ?? `<p>Status ${id}</p>`,
  reblog: null,
  account: { id: '110001', username: 'bob', acct: 'bob@other.example', display_name: 'Bob', url: 'https://other.example/@bob', avatar: options.avatar ?? null },
  media_attachments: [],
  mentions: [],
  tags: [],
  emojis: [],
  card: null,
});
