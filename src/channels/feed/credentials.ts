import { z } from 'zod';
import { webAddress } from '../../lib/outbound-http/web-address.js';

export const FeedCredentials = z.strictObject({
  url: webAddress('https://example.com/feed.xml'),
});
export type FeedCredentials = z.infer<typeof FeedCredentials>;
