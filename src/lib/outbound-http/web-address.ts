import { z } from 'zod';

const isWebAddress = (value: string): boolean => {
  if (!URL.canParse(value)) return false;
  const { protocol, hostname } = new URL(value);
  return (protocol === 'http:' || protocol === 'https:') && hostname !== '';
};

/**
 * A URL that Chorus itself will request (a feed, a Mastodon instance, a PDS, a webhook): http or
 * https only. file:, gopher:, dict: and friends name nothing a network lives at, and a URL that
 * reaches the fetcher in another scheme is a 500 waiting to happen.
 */
export const webAddress = (example: string) =>
  z.string().trim().max(2048).refine(isWebAddress, `must be a web address starting with http:// or https://, such as ${example}`);
