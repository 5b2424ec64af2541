import { z } from 'zod';

const Id = z.string().min(1).max(100);
import { COLUMN_KINDS } from '../../core/api/streams.js';

export { COLUMN_KINDS };
export const COLUMN_WIDTHS = ['narrow', 'normal', 'wide'] as const;

export const ColumnFilters = z.strictObject({
  language: z.string().trim().min(1).max(35).optional(),
  hasLink: z.boolean().optional(),
  fromContactsOnly: z.boolean().optional(),
  excludeKeywords: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
});
export type ColumnFilters = z.infer<typeof ColumnFilters>;

export const BoardParams = z.strictObject({ orgId: z.string(), boardId: Id });
export const ColumnParams = z.strictObject({ orgId: z.string(), columnId: Id });
export const ItemParams = z.strictObject({ orgId: z.string(), itemId: Id });

export const NewBoardBody = z.strictObject({ name: z.string().trim().min(1).max(100), shared: z.boolean().default(false) });
export const EditBoardBody = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  shared: z.boolean().optional(),
  position: z.number().int().min(0).max(1000).optional(),
});

export const NewColumnBody = z.strictObject({
  title: z.string().trim().min(1).max(100).optional(),
  channelAccountId: Id.optional(),
  kind: z.enum(COLUMN_KINDS),
  /** Search query, list id, handle, saved-search query, or (kind feed) a feed URL. */
  target: z.string().trim().min(1).max(2048).optional(),
  width: z.enum(COLUMN_WIDTHS).default('normal'),
  filters: ColumnFilters.default({}),
});
export const EditColumnBody = z.strictObject({
  title: z.string().trim().min(1).max(100).optional(),
  width: z.enum(COLUMN_WIDTHS).optional(),
  position: z.number().int().min(0).max(1000).optional(),
  filters: ColumnFilters.optional(),
});
export const ColumnOrderBody = z.strictObject({ columnIds: z.array(Id).max(200) });

export const ItemsQuery = z.strictObject({
  before: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const MarkReadBody = z.strictObject({ upTo: Id });
export const ItemStateBody = z
  .strictObject({ read: z.boolean().optional(), done: z.boolean().optional(), assignedToUserId: Id.nullable().optional() })
  .refine((b) => b.read !== undefined || b.done !== undefined || b.assignedToUserId !== undefined, 'send read, done or assignedToUserId');
export const ItemActionBody = z.strictObject({
  action: z.enum(['like', 'repost']),
  /** Take the account's like (repost) back instead. */
  undo: z.boolean().optional(),
  /** The column the item was shown in: its account acts. Without it, the account that fetched the item. */
  columnId: Id.optional(),
});
export const SearchQuery = z.strictObject({
  q: z.string().trim().min(1).max(200),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().max(500).optional(),
});
export const RetentionBody = z.strictObject({ retentionDays: z.number().int().min(1).max(3650) });
