import { z } from 'zod';

/**
 * Every list of the API pages the same way (docs/api.md#pagination): ask with
 * `?limit=<n>&before=<cursor>`, get `{ <items>: [...], nextCursor }`; `nextCursor` is opaque and
 * null on the last page; pass it as `before` for the next (older) page.
 */
export const NextCursor = z.string().nullable();
export type NextCursor = z.infer<typeof NextCursor>;

/** The query every list takes; lists add their own filters beside these. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().min(1).max(500).optional(),
});
export type PageQuery = z.infer<typeof PageQuery>;

/** `{ [key]: item[], nextCursor }`, the answer of one page of a list. */
export function pageOf<K extends string, T extends z.ZodType>(key: K, item: T) {
  return z.object({ [key]: z.array(item), nextCursor: NextCursor } as { [P in K]: z.ZodArray<T> } & { nextCursor: typeof NextCursor });
}
