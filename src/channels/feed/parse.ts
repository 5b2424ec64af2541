import { createHash } from 'node:crypto';
import { parseFeed } from 'feedsmith';
import type { NormalizedItem, RemoteProfile } from '../connector.js';
import { entryTime, type EntryTime } from './dates.js';
import { htmlToText, sanitizeFeedHtml } from './html.js';

/** A parsed feed in Chorus's shape: what the channel is, and its entries newest first. */
export interface ParsedFeed {
  format: 'rss' | 'atom' | 'rdf' | 'json';
  title: string;
  siteUrl: string | null;
  /** The image the feed declares for itself (RSS/RDF `<image>`, Atom `<icon>`/`<logo>`, JSON Feed `icon`/`favicon`): absolute http(s) or null. */
  avatarUrl: string | null;
  /** How many entries can be read as items. */
  entryCount: number;
  /**
   * Entries `start` to `end` (newest first) as items. Only these are sanitized, the costly part of
   * an entry (about 0.2 ms each here, against 10 ms for a page of 50): a poll reads the newest page.
   */
  items(start: number, end: number): NormalizedItem[];
  /** Entries of the document that are not among them, by reason. */
  skipped: SkippedEntries[];
}

/**
 * Entries a feed lists that Chorus does not store: beyond MAX_ENTRIES; empty (no id, title, link,
 * text, date or media: nothing to show); or repeating the id of an entry listed before them.
 */
export interface SkippedEntries {
  reason: 'beyond_limit' | 'empty' | 'duplicate_id';
  count: number;
}

export type FeedParseFailure = { reason: 'not_a_feed' | 'malformed' | 'unsafe' | 'empty_feed'; message: string };

/**
 * Entries read from one document. The document itself is bounded by the response limit
 * (10 MB by default), but a tiny entry takes 7 bytes, so the entries need a bound of their own.
 * 5000 entries the size of a Guardian one (2.7 KB, a 13 MB document) normalize in about 1 s on a
 * shared 2-core machine into 12 MB of items (some 70 MB of heap while they are held), and are
 * stored once, when a feed is first read. Real feeds with their whole archive (long-running
 * podcasts) list one to three thousand.
 */
export const MAX_ENTRIES = 5000;
const MAX_TEXT = 20_000;
/** Longest image URL kept: ITEM_LIMITS.field in src/streams/normalize.ts and the image proxy's MAX_IMAGE_URL_LENGTH. A cut URL would be a broken image, so longer ones are dropped. */
const MAX_IMAGE_URL = 2048;

/** Never throws: whatever the text, the answer is a feed or a reason it is not one. */
export function parseFeedText(text: string, feedUrl: string, fetchedAt: Date): { ok: true; feed: ParsedFeed } | { ok: false; failure: FeedParseFailure } {
  if (text.trim() === '')
    return {
      ok: false,
      failure: { reason: 'empty_feed', message: 'The feed server answered with an empty document: there is no RSS, Atom or JSON Feed in it' },
    };
  // Entity declarations are how "billion laughs" starts; no real feed needs one.
  if (/<!ENTITY/i.test(text.slice(0, 64 * 1024))) {
    return { ok: false, failure: { reason: 'unsafe', message: 'The feed declares its own XML entities, which Chorus refuses to expand' } };
  }
  let parsed: ReturnType<typeof parseFeed>;
  try {
    parsed = parseFeed(text, { maxItems: MAX_ENTRIES });
  } catch {
    return {
      ok: false,
      failure: looksLikeHtml(text)
        ? { reason: 'not_a_feed', message: 'This address answers with a web page, not a feed' }
        : { reason: 'malformed', message: 'The feed could not be read: it is not valid RSS, Atom or JSON Feed' },
    };
  }
  try {
    return { ok: true, feed: normalizeFeed(parsed, text, feedUrl, fetchedAt) };
  } catch {
    return { ok: false, failure: { reason: 'malformed', message: 'The feed has a shape Chorus could not read' } };
  }
}

function looksLikeHtml(text: string): boolean {
  return /<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])/i.test(text.slice(0, 4096));
}

/** The raw entry fields Chorus uses, whatever the format named them. */
interface RawEntry {
  id?: string | undefined;
  title?: string | undefined;
  link?: string | undefined;
  html?: string | undefined;
  plainText?: string | undefined;
  author?: string | undefined;
  /** The author's own picture (JSON Feed `avatar`); without one the feed's image stands in. */
  authorAvatar?: string | undefined;
  date?: string | undefined;
  language?: string | undefined;
  media: { url: string; mimeType: string | null }[];
}

function normalizeFeed(parsed: ReturnType<typeof parseFeed>, source: string, feedUrl: string, fetchedAt: Date): ParsedFeed {
  let title: string | undefined;
  let siteUrl: string | undefined;
  let image: string | undefined;
  let entries: RawEntry[];
  switch (parsed.format) {
    case 'rss': {
      const feed = parsed.feed;
      title = text(feed.title);
      siteUrl = text(feed.link);
      image = text(feed.image?.url);
      entries = (feed.items ?? []).map((item) => ({
        id: text(item.guid?.value) ?? text(item.link),
        title: text(item.title),
        link: text(item.link) ?? (item.guid?.isPermaLink !== false ? httpUrl(text(item.guid?.value)) : undefined),
        html: text(item.content?.encoded) ?? text(item.description),
        author: text(item.dc?.creators?.[0]) ?? text(item.authors?.[0]?.name) ?? text(item.authors?.[0]?.email),
        date: text(item.pubDate) ?? text(item.dc?.dates?.[0]),
        language: text(feed.language),
        media: [...(item.enclosures ?? []).map((e) => ({ url: text(e.url), mimeType: text(e.type) ?? null })), ...mediaContents(item.media)].filter(hasUrl),
      }));
      break;
    }
    case 'atom': {
      const feed = parsed.feed;
      title = text(feed.title);
      siteUrl = alternateLink(feed.links);
      // The icon is square, as an avatar is; the logo is often a wide banner.
      image = text(feed.icon) ?? text(feed.logo);
      entries = (feed.entries ?? []).map((entry) => ({
        id: text(entry.id),
        title: text(entry.title),
        link: alternateLink(entry.links),
        html: text(entry.content) ?? text(entry.summary),
        author: text(entry.authors?.[0]?.name) ?? text(feed.authors?.[0]?.name),
        date: text(entry.published) ?? text(entry.updated),
        language: undefined,
        media: [
          ...(entry.links ?? []).filter((l) => l.rel === 'enclosure').map((l) => ({ url: text(l.href), mimeType: text(l.type) ?? null })),
          ...mediaContents(entry.media),
        ].filter(hasUrl),
      }));
      break;
    }
    case 'rdf': {
      const feed = parsed.feed;
      title = text(feed.title);
      siteUrl = text(feed.link);
      image = text(feed.image?.url);
      entries = (feed.items ?? []).map((item) => ({
        id: text(item.rdf?.about) ?? text(item.link),
        title: text(item.title),
        link: text(item.link),
        html: text(item.content?.encoded) ?? text(item.description),
        author: text(item.dc?.creators?.[0]),
        date: text(item.dc?.dates?.[0]),
        language: undefined,
        media: mediaContents(item.media).filter(hasUrl),
      }));
      break;
    }
    case 'json': {
      const feed = parsed.feed;
      title = text(feed.title);
      siteUrl = text(feed.home_page_url);
      image = text(feed.icon) ?? text(feed.favicon);
      entries = (Array.isArray(feed.items) ? feed.items : []).map((item) => ({
        id: text(item.id) ?? text(item.url),
        title: text(item.title),
        link: text(item.url) ?? text(item.external_url),
        html: text(item.content_html),
        plainText: text(item.content_text) ?? text(item.summary),
        author: text(item.authors?.[0]?.name) ?? text(feed.authors?.[0]?.name),
        // The avatar of the author whose name the item shows, never one author's name with another's face.
        authorAvatar: text(item.authors?.[0]?.name) ? text(item.authors?.[0]?.avatar) : text(feed.authors?.[0]?.avatar),
        date: text(item.date_published) ?? text(item.date_modified),
        language: text(item.language) ?? text(feed.language),
        media: [
          ...(text(item.image) ? [{ url: text(item.image), mimeType: null }] : []),
          ...(Array.isArray(item.attachments) ? item.attachments : []).map((a) => ({ url: text(a.url), mimeType: text(a.mime_type) ?? null })),
        ].filter(hasUrl),
      }));
      break;
    }
  }
  const base = absoluteUrl(siteUrl, feedUrl) ?? feedUrl;
  const feedTitle = htmlToText(title ?? '') || addressName(feedUrl);
  const avatarUrl = imageUrl(image, base);
  const channel: RemoteProfile = { remoteId: feedUrl, handle: new URL(feedUrl).host, displayName: feedTitle, avatarUrl, profileUrl: base };

  const listed = Math.max(listedEntries(source, parsed.format), entries.length);
  const seen = new Set<string>();
  const unique: FeedEntry[] = [];
  for (const raw of entries) {
    const url = absoluteUrl(raw.link, base);
    const id = raw.id?.trim() || url || syntheticId(raw);
    if (seen.has(id)) continue;
    seen.add(id);
    unique.push({ ...raw, id, url, time: entryTime(raw.date, fetchedAt) });
  }
  const skipped: SkippedEntries[] = [
    { reason: 'beyond_limit' as const, count: Math.max(0, listed - MAX_ENTRIES) },
    { reason: 'empty' as const, count: Math.min(listed, MAX_ENTRIES) - entries.length },
    { reason: 'duplicate_id' as const, count: entries.length - unique.length },
  ].filter((s) => s.count > 0);
  // Newest first; entries without a readable date are as new as the fetch. Array#sort is stable: ties keep the feed's order.
  unique.sort((a, b) => (a.time.createdAt < b.time.createdAt ? 1 : a.time.createdAt > b.time.createdAt ? -1 : 0));
  return {
    format: parsed.format,
    title: feedTitle,
    siteUrl: base,
    avatarUrl,
    entryCount: unique.length,
    items: (start, end) => unique.slice(start, end).map((entry) => toItem(entry, channel, base)),
    skipped,
  };
}

/** A feed without a title is named by its address without scheme, query or fragment: two feeds of one host stay apart. */
function addressName(feedUrl: string): string {
  const url = new URL(feedUrl);
  return `${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * How many entries the document lists, empty ones included (the parser drops those): `<item>`
 * (RSS, RDF) or `<entry>` (Atom) start tags outside CDATA and comments, or JSON Feed's `items`.
 */
function listedEntries(source: string, format: ParsedFeed['format']): number {
  if (format === 'json') {
    try {
      const items = (JSON.parse(source) as { items?: unknown }).items;
      return Array.isArray(items) ? items.length : 0;
    } catch {
      return 0;
    }
  }
  const markup = source.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  const tag = format === 'atom' ? 'entry' : 'item';
  return markup.match(new RegExp(`<(?:[\\w.-]+:)?${tag}[\\s/>]`, 'g'))?.length ?? 0;
}

/** An entry with what it is known by: its id, absolute address and time. */
interface FeedEntry extends RawEntry {
  id: string;
  url: string | null;
  time: EntryTime;
}

function toItem(entry: FeedEntry, channel: RemoteProfile, base: string): NormalizedItem {
  const url = entry.url;
  const sanitized = entry.html ? sanitizeFeedHtml(entry.html.slice(0, 4 * MAX_TEXT), url ?? base) : null;
  const title = entry.title ? htmlToText(entry.title).slice(0, 1000) : null;
  const body = sanitized ? htmlToText(sanitized.html) : (entry.plainText ?? '');
  const media = [
    ...entry.media.map((m) => ({ url: absoluteUrl(m.url, base), alt: '', mimeType: m.mimeType })),
    ...(sanitized?.images ?? []).map((i) => ({ url: i.url, alt: i.alt, mimeType: null })),
  ].filter((m): m is { url: string; alt: string; mimeType: string | null } => Boolean(m.url && /^https?:/.test(m.url)));
  return {
    network: 'feed',
    remoteId: entry.id,
    url,
    author: {
      ...channel,
      ...(entry.author ? { displayName: htmlToText(entry.author).slice(0, 200) || channel.displayName } : {}),
      avatarUrl: imageUrl(entry.authorAvatar, base) ?? channel.avatarUrl ?? null,
    },
    text: body.slice(0, MAX_TEXT),
    html: sanitized?.html.slice(0, 4 * MAX_TEXT) ?? null,
    title,
    links: [...new Set([...(url ? [url] : []), ...(sanitized?.links ?? [])])],
    media: dedupeBy(media, (m) => m.url),
    replyToRemoteId: null,
    quoteOfRemoteId: null,
    createdAt: entry.time.createdAt,
    ...(entry.time.approximate ? { createdAtApproximate: true } : {}),
    language: entry.language?.slice(0, 35) ?? null,
    metrics: null,
  };
}

/** feedsmith gives strings, but hostile documents can yield objects or numbers where text belongs. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number') return String(value);
  if (value && typeof value === 'object' && 'value' in value) return text((value as { value: unknown }).value);
  return undefined;
}

function alternateLink(links: { href?: string; rel?: string }[] | undefined): string | undefined {
  if (!Array.isArray(links)) return undefined;
  return text((links.find((l) => !l.rel || l.rel === 'alternate') ?? links[0])?.href);
}

function mediaContents(
  media: { contents?: { url?: string; type?: string; medium?: string }[] } | undefined,
): { url: string | undefined; mimeType: string | null }[] {
  return (Array.isArray(media?.contents) ? media.contents : [])
    .filter((c) => c.medium === 'image' || c.type?.startsWith('image/'))
    .map((c) => ({ url: text(c.url), mimeType: text(c.type) ?? null }));
}

const hasUrl = <T extends { url: string | undefined }>(m: T): m is T & { url: string } => Boolean(m.url);
const httpUrl = (value: string | undefined) => (value && /^https?:\/\//i.test(value) ? value : undefined);

function absoluteUrl(value: string | undefined, base: string): string | null {
  if (!value) return null;
  try {
    const url = new URL(value, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}

/** An image the browser will load (through the image proxy): absolute http(s), no user:password, not over the URL length limit; anything else null. */
function imageUrl(value: string | undefined, base: string): string | null {
  const url = absoluteUrl(value, base);
  if (!url || url.length > MAX_IMAGE_URL) return null;
  const parsed = new URL(url);
  return parsed.username || parsed.password ? null : url;
}

/** Entries with neither id nor link still need a stable id across polls. */
function syntheticId(entry: RawEntry): string {
  return (
    'sha256:' +
    createHash('sha256')
      .update(`${entry.title ?? ''}\n${entry.date ?? ''}\n${entry.html ?? entry.plainText ?? ''}`)
      .digest('hex')
  );
}

function dedupeBy<T>(list: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return list.filter((item) => (seen.has(key(item)) ? false : (seen.add(key(item)), true)));
}
