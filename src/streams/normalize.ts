import { authorKey } from '../../core/networks/index.js';
import type { NormalizedItem } from '../channels/connector.js';
import { safeHtml } from '../lib/safe-html.js';
import type { StreamItemsTable } from './tables.js';
import { imageUrlsOf } from '../image-proxy/item-images.js';
import { renderStoredView } from './views.js';

/** Size caps: a hostile network or feed cannot make one item arbitrarily large. */
export const ITEM_LIMITS = {
  text: 20_000,
  html: 100_000,
  title: 1_000,
  searchText: 25_000,
  field: 2_048,
  links: 50,
  media: 20,
  remoteId: 1_000,
  mentions: 50,
  tags: 50,
  tag: 100,
} as const;

export type StreamItemRow = Omit<StreamItemsTable, 'seq' | 'id' | 'org_id' | 'channel_account_id' | 'fetched_at'>;

const clip = (value: string | null | undefined, max: number): string | null => (value == null ? null : value.slice(0, max));
const httpUrl = (value: string | null | undefined): string | null => (value && /^https?:\/\//i.test(value) ? value.slice(0, ITEM_LIMITS.field) : null);

/** A connector's item as a stored row: clipped, HTML sanitized, only http(s) URLs kept. */
export function toStoredItem(item: NormalizedItem, fetchedAt: string): StreamItemRow {
  const title = clip(item.title?.trim() || null, ITEM_LIMITS.title);
  const text = item.text.slice(0, ITEM_LIMITS.text);
  const authorName = item.author.displayName.slice(0, 300);
  const authorHandle = item.author.handle.slice(0, 300);
  const created = new Date(item.createdAt);
  const links = item.links
    .map(httpUrl)
    .filter((l): l is string => l !== null)
    .slice(0, ITEM_LIMITS.links);
  const media = item.media
    .map((m) => ({ url: httpUrl(m.url), alt: (m.alt ?? '').slice(0, 2_000) }))
    .filter((m): m is { url: string; alt: string } => m.url !== null)
    .slice(0, ITEM_LIMITS.media);
  const mentions = (item.mentions ?? [])
    .filter((m) => m.handle.trim() !== '')
    .slice(0, ITEM_LIMITS.mentions)
    .map((m) => ({ remoteId: clip(m.remoteId, ITEM_LIMITS.remoteId), handle: m.handle.slice(0, 300), profileUrl: httpUrl(m.profileUrl) }));
  const tags = [...new Set((item.tags ?? []).map((t) => t.replace(/^#/, '').trim().slice(0, ITEM_LIMITS.tag)).filter(Boolean))].slice(0, ITEM_LIMITS.tags);
  const columns = {
    network: item.network,
    remote_id: item.remoteId.slice(0, ITEM_LIMITS.remoteId),
    id_scope: (item.idScope ?? '').slice(0, ITEM_LIMITS.field),
    url: httpUrl(item.url),
    author_handle: authorHandle,
    author_display_name: authorName,
    author_avatar_url: httpUrl(item.author.avatarUrl),
    author_profile_url: httpUrl(item.author.profileUrl),
    title,
    text,
    html: item.html ? safeHtml(item.html.slice(0, ITEM_LIMITS.html)) : null,
    search_text: [title, text, authorName, authorHandle].filter(Boolean).join('\n').toLowerCase().slice(0, ITEM_LIMITS.searchText),
    links,
    media,
    reply_to_remote_id: clip(item.replyToRemoteId, ITEM_LIMITS.remoteId),
    quote_of_remote_id: clip(item.quoteOfRemoteId, ITEM_LIMITS.remoteId),
    // A missing or nonsense date sorts as "when fetched" rather than breaking the column order.
    created_at: Number.isNaN(created.getTime()) ? fetchedAt : created.toISOString(),
    created_at_approximate: item.createdAtApproximate || Number.isNaN(created.getTime()) ? 1 : 0,
    language: clip(item.language, 35),
    mentions,
    tags,
    card_title: clip(item.cardTitle?.trim() || null, ITEM_LIMITS.title),
    is_direct: item.isDirect ? 1 : 0,
  };
  return {
    ...columns,
    author_key: authorKey(columns.network, authorHandle, columns.author_profile_url),
    links: JSON.stringify(links),
    media: JSON.stringify(media),
    mentions: JSON.stringify(mentions),
    tags: JSON.stringify(tags),
    metrics: item.metrics ? JSON.stringify(item.metrics) : null,
    view: renderStoredView(columns),
    image_urls: JSON.stringify(imageUrlsOf({ author: { avatarUrl: columns.author_avatar_url }, media, html: columns.html })),
  };
}
