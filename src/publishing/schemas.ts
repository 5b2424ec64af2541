import { z } from 'zod';
import { publishingNetworks, type Network } from '../../core/networks/index.js';
import { MEDIA_ALT_MAX_LENGTH, MEDIA_MAX_UPLOAD_BYTES, MEDIA_MIME_TYPES, MEDIA_PER_POST } from '../../core/networks/post-media.js';
import { isTimeZone } from './schedule-time.js';
import { POST_STATUSES } from './views.js';

const TimeZone = z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin');
const Id = z.string().min(1).max(100);
const PostText = z.string().max(10_000);

export const ScheduledAt = z.strictObject({
  /** Wall-clock time in `timeZone`, e.g. 2027-03-29T09:00. */
  local: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, 'must look like 2027-03-29T09:00'),
  timeZone: TimeZone,
});

/** A text of its own per network a post can go to (the networks whose rules say they publish). */
export const Overrides = z.strictObject(
  Object.fromEntries(publishingNetworks().map((network) => [network, PostText.optional()])) as Record<Network, z.ZodOptional<typeof PostText>>,
);

const PostRefBody = z.strictObject({
  remoteId: z.string().min(1).max(500),
  cid: z.string().max(200).nullable().optional(),
  rootRemoteId: z.string().max(500).optional(),
  rootCid: z.string().max(200).nullable().optional(),
  /** Replying to a direct message from this handle: the reply stays private (Mastodon: a direct status to them). */
  privateTo: z.string().trim().min(1).max(300).optional(),
});

export const Repeat = z.strictObject({
  every: z.enum(['day', 'week', 'month']),
  /** Occurrences in all, the first included. */
  count: z.number().int().min(2).max(52),
});

export const PostAction = z.enum(['draft', 'submit', 'schedule', 'publish_now', 'queue']);

export const NewPostBody = z
  .strictObject({
    text: PostText,
    overrides: Overrides.default({}),
    channelAccountIds: z.array(Id).min(1, 'pick at least one account').max(50),
    action: PostAction,
    scheduledAt: ScheduledAt.optional(),
    timeZone: TimeZone.optional(),
    campaign: z.string().trim().max(100).optional(),
    /** Shorten this post's links at publish; omitted or null: the org's default. */
    shortenLinks: z.boolean().nullable().optional(),
    replyTo: PostRefBody.optional(),
    quote: PostRefBody.optional(),
    /** Repeat: this post and the next count-1 occurrences, each at the same wall-clock time. */
    repeat: Repeat.optional(),
    mediaIds: z.array(Id).max(MEDIA_PER_POST, `a post takes at most ${MEDIA_PER_POST} images`).default([]),
  })
  .refine((b) => b.action !== 'schedule' || b.scheduledAt, { message: 'scheduledAt is required to schedule', path: ['scheduledAt'] })
  .refine((b) => !b.repeat || b.action === 'schedule', { message: 'a repeating post needs a scheduled first time (action schedule)', path: ['repeat'] });

export const EditPostBody = z.strictObject({
  text: PostText.optional(),
  overrides: Overrides.optional(),
  channelAccountIds: z.array(Id).min(1).max(50).optional(),
  scheduledAt: ScheduledAt.optional(),
  campaign: z.string().trim().max(100).nullable().optional(),
  shortenLinks: z.boolean().nullable().optional(),
  /** The post's images, in order; omitted leaves them as they are. */
  mediaIds: z.array(Id).max(MEDIA_PER_POST, `a post takes at most ${MEDIA_PER_POST} images`).optional(),
});

const AltText = z.string().max(MEDIA_ALT_MAX_LENGTH, `alt text must be at most ${MEDIA_ALT_MAX_LENGTH} characters`);
export const MediaBody = z.strictObject({
  mimeType: z.enum(MEDIA_MIME_TYPES, { message: 'must be image/jpeg, image/png, image/webp or image/gif' }),
  // Length is checked after decoding (413 with the size); this only bounds what is parsed.
  dataBase64: z
    .string()
    .min(1, 'must not be empty')
    .max(Math.ceil(MEDIA_MAX_UPLOAD_BYTES / 3) * 4 + 64 * 1024, `the image must be at most ${MEDIA_MAX_UPLOAD_BYTES / 1024 / 1024} MB`)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
  alt: AltText.default(''),
});
export const MediaParams = z.strictObject({ orgId: z.string(), mediaId: Id });
export const MediaAltBody = z.strictObject({ alt: AltText });

export const PostParams = z.strictObject({ orgId: z.string(), postId: Id });
export const ReviewBody = z.strictObject({ comment: z.string().trim().max(2000).optional() });

export const PostListQuery = z.strictObject({
  from: z.string().datetime({ offset: true }).optional(),
  to: z.string().datetime({ offset: true }).optional(),
  workflow: z.enum(['draft', 'pending_approval', 'rejected', 'scheduled', 'cancelled']).optional(),
  channelAccountId: Id.optional(),
  campaign: z.string().max(100).optional(),
  /** Derived statuses, comma-separated: failed,partially_published. */
  status: z
    .string()
    .transform((value) => value.split(',').map((s) => s.trim()))
    .pipe(z.array(z.enum(POST_STATUSES)).min(1))
    .optional(),
  order: z.enum(['due_asc', 'due_desc', 'updated_desc']).default('due_asc'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const ScheduleBody = z
  .strictObject({ action: z.enum(['schedule', 'publish_now', 'queue']), scheduledAt: ScheduledAt.optional() })
  .refine((b) => b.action !== 'schedule' || b.scheduledAt, { message: 'scheduledAt is required to schedule', path: ['scheduledAt'] });

export const SlotsParams = z.strictObject({ orgId: z.string(), channelAccountId: Id });
export const SlotsBody = z.strictObject({
  timeZone: TimeZone,
  slots: z.array(z.strictObject({ weekday: z.number().int().min(1).max(7), time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:mm') })).max(100),
});

export const BulkImportBody = z.strictObject({
  csv: z.string().min(1).max(2_000_000),
  /** Import the valid rows even if some are bad (after the user saw the report). */
  importValidOnly: z.boolean().default(false),
  dryRun: z.boolean().default(false),
  timeZone: TimeZone,
});
