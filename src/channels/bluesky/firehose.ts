/**
 * A Bluesky repository event stream, read for the posts that address someone: either
 * `com.atproto.sync.subscribeRepos` (a relay, or a PDS; binary DAG-CBOR frames carrying CAR
 * blocks) or a Jetstream-compatible endpoint (JSON). Only new `app.bsky.feed.post` records are
 * reported, reduced to the DIDs they address (mention facets, the reply's parent and root, a quoted
 * post). Everything read is untrusted: a frame that does not parse is skipped, never thrown.
 */
import { decode, decodeAll } from '@atproto/lex-cbor';
import { WebSocket } from 'undici';
import { z } from 'zod';

/** A new post and the accounts it is addressed to. */
export interface AddressedPost {
  /** at://<author>/app.bsky.feed.post/<rkey> */
  uri: string;
  author: string;
  addressed: string[];
  /** Where to resume after it: the frame's `seq` (subscribeRepos) or `time_us` (Jetstream). */
  cursor: number;
}

export interface FirehoseHandlers {
  onPost(post: AddressedPost): void;
  /** Every event moves the cursor, posts or not, so a reconnect does not replay what was read. */
  onCursor(cursor: number): void;
  onOpen(): void;
  /** `refused`: the stream sent an error frame (e.g. FutureCursor): the cursor it was opened with is no good. */
  onClose(reason: string, refused: boolean): void;
}

export interface FirehoseConnection {
  close(): void;
}

/** subscribeRepos when the URL names it, Jetstream otherwise. */
export const isRepoStream = (url: string): boolean => new URL(url).pathname.endsWith('/com.atproto.sync.subscribeRepos');

/** Opens one connection from `cursor` (or from now when null). The caller reconnects. */
export function openFirehose(url: string, cursor: number | null, handlers: FirehoseHandlers): FirehoseConnection {
  const target = new URL(url);
  const repoStream = isRepoStream(url);
  if (cursor !== null) target.searchParams.set('cursor', String(cursor));
  if (!repoStream && !target.searchParams.has('wantedCollections')) target.searchParams.set('wantedCollections', 'app.bsky.feed.post');
  const socket = new WebSocket(target.toString());
  socket.binaryType = 'arraybuffer';
  let closed = false;
  const close = (reason: string, refused = false) => {
    if (closed) return;
    closed = true;
    handlers.onClose(reason, refused);
  };
  socket.addEventListener('open', () => handlers.onOpen());
  socket.addEventListener('message', (event) => {
    const data = event.data as unknown;
    const read = repoStream
      ? data instanceof ArrayBuffer
        ? readRepoFrame(new Uint8Array(data))
        : null
      : typeof data === 'string'
        ? readJetstreamMessage(data)
        : null;
    if (!read) return;
    if ('error' in read) {
      socket.close();
      close(read.error, true);
      return;
    }
    for (const post of read.posts) handlers.onPost(post);
    if (read.cursor !== null) handlers.onCursor(read.cursor);
  });
  socket.addEventListener('error', () => close('connection error'));
  socket.addEventListener('close', (event) => close(`closed (${event.code})`));
  return {
    close() {
      closed = true;
      socket.close();
    },
  };
}

type FrameRead = { posts: AddressedPost[]; cursor: number | null } | { error: string };

const frameHeader = z.object({ op: z.number(), t: z.string().optional() });
const commitBody = z.object({
  seq: z.number().int(),
  repo: z.string(),
  ops: z.array(z.object({ action: z.string(), path: z.string() })),
  blocks: z.instanceof(Uint8Array),
});
const seqBody = z.object({ seq: z.number().int() });
const infoBody = z.object({ name: z.string() });

/** One subscribeRepos frame: a header object then a body object, both DAG-CBOR. */
export function readRepoFrame(bytes: Uint8Array): FrameRead | null {
  let header: unknown;
  let body: unknown;
  try {
    [header, body] = [...decodeAll(bytes)];
  } catch {
    return null;
  }
  const head = frameHeader.safeParse(header);
  if (!head.success) return null;
  if (head.data.op === -1) return { error: `the stream refused: ${JSON.stringify(body)}`.slice(0, 300) };
  // A cursor past the relay's backfill window: it would replay from its oldest event, which can be
  // hours of the whole network; the reader starts from now instead and the catch-up poll reads the gap.
  if (head.data.t === '#info' && infoBody.safeParse(body).data?.name === 'OutdatedCursor') return { error: 'the stream says the cursor is outdated' };
  if (head.data.t !== '#commit') {
    // #identity, #account, #sync… carry no posts but still move the cursor.
    const seq = seqBody.safeParse(body);
    return seq.success ? { posts: [], cursor: seq.data.seq } : null;
  }
  const commit = commitBody.safeParse(body);
  if (!commit.success) return null;
  const created = commit.data.ops.filter((op) => op.action === 'create' && op.path.startsWith('app.bsky.feed.post/'));
  if (created.length === 0) return { posts: [], cursor: commit.data.seq };
  const records = carRecords(commit.data.blocks);
  // A commit's blocks hold its new records; ops name them by path, records carry no path, so a
  // commit creating several posts (rare) lends each of them every address found.
  const addressed = new Set(records.flatMap(addressedDids));
  const posts = created.map((op) => ({
    uri: `at://${commit.data.repo}/${op.path}`,
    author: commit.data.repo,
    addressed: [...addressed].filter((did) => did !== commit.data.repo),
    cursor: commit.data.seq,
  }));
  return { posts: posts.filter((p) => p.addressed.length > 0), cursor: commit.data.seq };
}

const jetstreamEvent = z.object({
  did: z.string(),
  time_us: z.number().int(),
  kind: z.string(),
  commit: z.object({ operation: z.string(), collection: z.string(), rkey: z.string(), record: z.unknown().optional() }).optional(),
});

/** One Jetstream message (JSON). */
export function readJetstreamMessage(text: string): FrameRead | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const event = jetstreamEvent.safeParse(raw);
  if (!event.success) return null;
  const { did, time_us, commit } = event.data;
  if (event.data.kind !== 'commit' || !commit || commit.operation !== 'create' || commit.collection !== 'app.bsky.feed.post')
    return { posts: [], cursor: time_us };
  const addressed = addressedDids(commit.record).filter((d) => d !== did);
  return {
    posts: addressed.length > 0 ? [{ uri: `at://${did}/app.bsky.feed.post/${commit.rkey}`, author: did, addressed, cursor: time_us }] : [],
    cursor: time_us,
  };
}

const postRecord = z.object({
  $type: z.literal('app.bsky.feed.post'),
  facets: z.array(z.object({ features: z.array(z.unknown()) })).optional(),
  reply: z.object({ parent: z.object({ uri: z.string() }).optional(), root: z.object({ uri: z.string() }).optional() }).optional(),
  embed: z.unknown().optional(),
});
const mentionFeature = z.object({ $type: z.literal('app.bsky.richtext.facet#mention'), did: z.string() });
const quotedRecord = z.object({ record: z.object({ uri: z.string() }) });
const quoteEmbed = z.union([quotedRecord, z.object({ record: quotedRecord })]);

/** The DIDs a post record addresses: mentioned, replied to (parent and thread root), quoted. */
export function addressedDids(record: unknown): string[] {
  const post = postRecord.safeParse(record);
  if (!post.success) return [];
  const dids = new Set<string>();
  for (const facet of post.data.facets ?? []) {
    for (const feature of facet.features) {
      const mention = mentionFeature.safeParse(feature);
      if (mention.success) dids.add(mention.data.did);
    }
  }
  for (const uri of [post.data.reply?.parent?.uri, post.data.reply?.root?.uri]) if (uri) dids.add(authorOf(uri));
  const quote = quoteEmbed.safeParse(post.data.embed);
  if (quote.success) dids.add(authorOf('uri' in quote.data.record ? quote.data.record.uri : quote.data.record.record.uri));
  dids.delete('');
  return [...dids];
}

/** at://did:plc:x/collection/rkey → did:plc:x */
const authorOf = (uri: string): string => (uri.startsWith('at://') ? (uri.slice(5).split('/')[0] ?? '') : '');

/** The decoded blocks of a CAR file (v1): varint-framed CID + DAG-CBOR data; blocks that fail to decode are skipped. */
export function carRecords(car: Uint8Array): unknown[] {
  const records: unknown[] = [];
  let at = 0;
  const varint = (): number => {
    let value = 0;
    let shift = 0;
    for (;;) {
      if (at >= car.length) throw new Error('truncated');
      const byte = car[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
      shift += 7;
      if (shift > 49) throw new Error('varint too long');
    }
  };
  try {
    const headerLength = varint();
    at += headerLength;
    while (at < car.length) {
      const length = varint();
      const end = at + length;
      if (end > car.length) break;
      // CIDv1: version, codec, then the multihash (code, digest length, digest).
      varint();
      varint();
      varint();
      const digestLength = varint();
      at += digestLength;
      try {
        records.push(decode(car.subarray(at, end)));
      } catch {
        // Not DAG-CBOR (or damaged): not a record.
      }
      at = end;
    }
  } catch {
    // A truncated CAR gives what was read.
  }
  return records;
}
