import { z } from 'zod';
import type { ItemMention } from '../connector.js';

/**
 * Bluesky rich text: the record's text plus facets, each a UTF-8 byte range of the text with a
 * link, mention or tag feature (https://docs.bsky.app/docs/advanced-guides/post-richtext).
 * Ranges count bytes, not UTF-16 code units, so text with Japanese or emoji before a facet would
 * be cut in the wrong place if sliced as a JavaScript string.
 */
export const facetSchema = z.object({
  index: z.object({ byteStart: z.number().int().nonnegative(), byteEnd: z.number().int().nonnegative() }),
  features: z.array(z.looseObject({ $type: z.string().optional(), uri: z.string().optional(), did: z.string().optional(), tag: z.string().optional() })),
});
export type Facet = z.infer<typeof facetSchema>;

/** Where a mention or a tag links to: the account's web view, when it has one. */
export interface RichTextLinks {
  profile(did: string): string | null;
  tag(tag: string): string | null;
}

export interface RenderedRichText {
  /** The text as HTML with its facets as links; null when no facet could be rendered. */
  html: string | null;
  links: string[];
  mentions: ItemMention[];
  tags: string[];
}

const LINK = 'app.bsky.richtext.facet#link';
const MENTION = 'app.bsky.richtext.facet#mention';
const TAG = 'app.bsky.richtext.facet#tag';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const textHtml = (bytes: Uint8Array): string => escapeHtml(decoder.decode(bytes)).replace(/\n/g, '<br>');
const httpUrl = (value: string | undefined): string | null => (value && /^https?:\/\//i.test(value) ? value : null);
/** A range may only start or end between characters: a UTF-8 continuation byte is 10xxxxxx. */
const onBoundary = (bytes: Uint8Array, at: number): boolean => at === bytes.length || (bytes[at]! & 0xc0) !== 0x80;

/**
 * Renders facets into HTML and collects what they name. Facets that overlap an earlier one, run
 * past the text, or split a character are ignored (the text still shows): facets come from any
 * client, and a broken one must not garble the post.
 */
export function renderRichText(text: string, facets: readonly Facet[], links: RichTextLinks): RenderedRichText {
  const bytes = encoder.encode(text);
  const found: RenderedRichText = { html: null, links: [], mentions: [], tags: [] };
  const ordered = [...facets].sort((a, b) => a.index.byteStart - b.index.byteStart);
  let html = '';
  let at = 0;
  let rendered = 0;
  for (const facet of ordered) {
    const { byteStart: start, byteEnd: end } = facet.index;
    if (start < at || end <= start || end > bytes.length || !onBoundary(bytes, start) || !onBoundary(bytes, end)) continue;
    const label = decoder.decode(bytes.subarray(start, end));
    const href = hrefOf(facet, label, links, found);
    if (href === undefined) continue;
    html += textHtml(bytes.subarray(at, start));
    html += href ? `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>` : escapeHtml(label);
    at = end;
    rendered++;
  }
  if (rendered > 0) found.html = `<p>${html}${textHtml(bytes.subarray(at))}</p>`;
  found.links = [...new Set(found.links)];
  found.tags = [...new Set(found.tags)];
  return found;
}

/** The facet's link target (null: known feature, nothing to link to), collecting what it names; undefined when no feature is known. */
function hrefOf(facet: Facet, label: string, links: RichTextLinks, found: RenderedRichText): string | null | undefined {
  for (const feature of facet.features) {
    if (feature.$type === LINK && httpUrl(feature.uri)) {
      found.links.push(feature.uri!);
      return feature.uri!;
    }
    if (feature.$type === MENTION && feature.did?.startsWith('did:')) {
      const profileUrl = links.profile(feature.did);
      found.mentions.push({ remoteId: feature.did, handle: label.replace(/^@/, ''), profileUrl });
      return profileUrl;
    }
    if (feature.$type === TAG && feature.tag) {
      const tag = feature.tag.replace(/^#/, '');
      found.tags.push(tag);
      return links.tag(tag);
    }
  }
  return undefined;
}
