import { z } from 'zod';
import { POST_SORTS } from '../../core/api/analytics.js';
import { isTimeZone } from '../publishing/schedule-time.js';

const Id = z.string().min(1).max(100);
const Campaign = z.string().trim().max(100, 'a campaign name has at most 100 characters');
const Network = z.enum(['bluesky', 'mastodon', 'x', 'team']);

export const NewLinkBody = z.strictObject({
  url: z.string().max(4096),
  postId: Id.optional(),
  campaign: Campaign.optional(),
  /** The network the link is shared on: its clicks count for it, and utm_source names it. */
  network: Network.optional(),
  /** The person the link was sent to (a reply): its clicks count for that contact. */
  contactId: Id.optional(),
});

export const ShortenTextBody = z.strictObject({
  text: z.string().max(10_000),
  postId: Id.optional(),
  campaign: Campaign.optional(),
  network: Network.optional(),
  contactId: Id.optional(),
});

export const LinksQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().max(500).optional(),
  postId: Id.optional(),
  campaign: Campaign.optional(),
});

export const SettingsBody = z.strictObject({
  shortenLinks: z.boolean().optional(),
  utmEnabled: z.boolean().optional(),
  timeZone: z.string().max(100).refine(isTimeZone, 'must be an IANA time zone such as Asia/Tokyo').optional(),
});

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD');

export const RangeQuery = z
  .strictObject({ from: Day, to: Day })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, { message: 'a report covers at most 366 days', path: ['to'] });

export const PostsQuery = z
  .strictObject({ from: Day, to: Day, sort: z.enum(POST_SORTS).default('engagement'), limit: z.coerce.number().int().min(1).max(500).default(50) })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['from'] });

export const BestTimesQuery = z.strictObject({ channelAccountId: Id });

export const CsvReport = z.enum(['overview', 'channels', 'posts', 'campaigns', 'links', 'best-times']);
export const CsvParams = z.strictObject({ orgId: z.string(), report: CsvReport });
export const CsvQuery = z.strictObject({
  from: Day.optional(),
  to: Day.optional(),
  sort: z.enum(POST_SORTS).optional(),
  channelAccountId: Id.optional(),
});
