import { createHash } from 'node:crypto';

const SORTABLE_BASE32 = '234567abcdefghijklmnopqrstuvwxyz';

/**
 * The record key a publish with this idempotency key always gets: a syntactically valid TID
 * (app.bsky.feed.post requires one) made from a hash of the key instead of the clock, so a
 * retry addresses the same record and can never create a second post. The timestamp a reader
 * might decode from it is meaningless.
 */
export function recordKeyFor(idempotencyKey: string): string {
  const digest = createHash('sha256').update(`chorus:bluesky:post:${idempotencyKey}`).digest();
  // A TID is 64 bits with the top bit zero, written as 13 base32-sortable characters.
  let value = digest.readBigUInt64BE(0) & 0x7fff_ffff_ffff_ffffn;
  let key = '';
  for (let i = 0; i < 13; i++) {
    key = SORTABLE_BASE32[Number(value & 31n)] + key;
    value >>= 5n;
  }
  return key;
}
