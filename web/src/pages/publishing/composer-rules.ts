import { measureFor, type LengthRule } from '../../../../src/publishing/length-rules.js';
import type { Channel } from '../../api/channels.js';

/** Networks a post can go to; feeds are read-only. */
export const PUBLISHABLE = ['bluesky', 'mastodon', 'x', 'line', 'team'] as const;
export const canPublishTo = (channel: Channel): boolean => (PUBLISHABLE as readonly string[]).includes(channel.network);

/** The text one network will get: its own version if the author wrote one, else the shared text. */
export const bodyFor = (network: string, text: string, overrides: Record<string, string>): string => overrides[network] ?? text;

export interface Measure extends LengthRule {
  empty: boolean;
}

/**
 * The server's own counting rules (src/publishing/length-rules.ts), imported so the counters can
 * never disagree with what the server will accept. Mastodon counts against the instance's own
 * limit (the strictest of the chosen accounts).
 */
export function measure(network: string, text: string, overrides: Record<string, string>, limits: { mastodonLimit?: number } = {}): Measure {
  const body = bodyFor(network, text, overrides);
  return { ...measureFor(network, body, limits), empty: body.trim() === '' };
}

/** The smallest text limit among the chosen Mastodon accounts; undefined leaves the network's default. */
export function mastodonLimitOf(channels: Channel[], ids: string[]): number | undefined {
  const limits = channels.filter((c) => c.network === 'mastodon' && ids.includes(c.id) && c.textLimit).map((c) => c.textLimit!);
  return limits.length ? Math.min(...limits) : undefined;
}

/** The distinct networks of the chosen accounts, in a stable order. */
export function networksOf(channels: Channel[], ids: string[]): string[] {
  const chosen = new Set(channels.filter((c) => ids.includes(c.id)).map((c) => c.network as string));
  return PUBLISHABLE.filter((network) => chosen.has(network));
}
