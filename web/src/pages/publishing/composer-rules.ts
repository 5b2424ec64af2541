import { isNetwork, networkRules, publishingNetworks, type Network, type TextMeasure } from '@core/networks/index.js';
import { provideTwitterText } from '@core/networks/twitter-text.js';
import { textAsSent } from '@core/short-link-text.js';
import twitter from 'twitter-text';
import type { Channel } from '../../api/channels.js';

// The length rules load twitter-text lazily on the server; the browser bundles it here, with the composer.
provideTwitterText(twitter);

/** Networks a post can go to (feeds are read-only), in the registry's order. */
const PUBLISHABLE: readonly Network[] = publishingNetworks();
export const canPublishTo = (channel: Channel): boolean => isNetwork(channel.network) && PUBLISHABLE.includes(channel.network);

/** The text one network will get: its own version if the author wrote one, else the shared text. */
export const bodyFor = (network: string, text: string, overrides: Record<string, string>): string => overrides[network] ?? text;

/**
 * The network's own counting rule (core/networks, the same object the server checks with), so the
 * counters can never disagree with what the server will accept. `limit` is the chosen accounts'
 * strictest own limit (a Mastodon instance's); a blank text fits only with images. With
 * `shortLinkPrefix` the links count as the short URLs publishing will send instead.
 */
export function measure(
  network: Network,
  text: string,
  overrides: Record<string, string>,
  options: { limit?: number; mediaCount: number; shortLinkPrefix?: string | null },
): TextMeasure {
  const { shortLinkPrefix = null, ...counting } = options;
  return networkRules(network).measureText(textAsSent(bodyFor(network, text, overrides), shortLinkPrefix), counting);
}

/** The short URL prefix the counters measure with: the post's own choice, else the org's default; null when links go out as written. */
export function shortLinkPrefixOf(choice: boolean | null, shortening: { byDefault: boolean; prefix: string | null } | undefined): string | null {
  if (!shortening?.prefix) return null;
  return (choice ?? shortening.byDefault) ? shortening.prefix : null;
}

/** The smallest text limit the chosen accounts of one network reported; undefined leaves the network's own. */
export function accountLimitOf(channels: Channel[], ids: string[], network: Network): number | undefined {
  const limits = channels.filter((c) => c.network === network && ids.includes(c.id) && c.textLimit).map((c) => c.textLimit!);
  return limits.length ? Math.min(...limits) : undefined;
}

/** The distinct networks of the chosen accounts, in a stable order. */
export function networksOf(channels: Channel[], ids: string[]): Network[] {
  const chosen = new Set(channels.filter((c) => ids.includes(c.id)).map((c) => c.network as string));
  return PUBLISHABLE.filter((network) => chosen.has(network));
}
