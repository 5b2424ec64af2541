import sanitizeHtml from 'sanitize-html';
import { SAFE_HTML_POLICY } from '../../lib/safe-html.js';

export interface SanitizedHtml {
  html: string;
  links: string[];
  images: { url: string; alt: string }[];
}

/**
 * Feed HTML is hostile until proven otherwise: Chorus's one HTML policy applies, and on top of
 * it relative links are made absolute against the item's own address and collected.
 */
export function sanitizeFeedHtml(dirty: string, baseUrl: string | null): SanitizedHtml {
  const links: string[] = [];
  const images: { url: string; alt: string }[] = [];
  const html = sanitizeHtml(dirty, {
    ...SAFE_HTML_POLICY,
    transformTags: {
      a: (tagName, attribs) => {
        const href = absolute(attribs.href, baseUrl);
        if (href && /^https?:/.test(href)) links.push(href);
        return { tagName, attribs: { ...withoutUndefined({ href, title: attribs.title }), rel: 'noopener noreferrer nofollow', target: '_blank' } };
      },
      img: (tagName, attribs) => {
        const src = absolute(attribs.src, baseUrl);
        if (src && /^https?:/.test(src)) images.push({ url: src, alt: attribs.alt ?? '' });
        return { tagName, attribs: withoutUndefined({ ...attribs, src }) };
      },
    },
  });
  return { html, links: [...new Set(links)], images };
}

/** Plain text of an HTML (or plain) fragment: tags dropped, entities decoded, whitespace collapsed. */
export function htmlToText(fragment: string): string {
  const escaped = sanitizeHtml(fragment.replace(/<(br|\/p|\/div|\/li|\/h[1-6])\b[^>]*>/gi, '$& '), {
    allowedTags: [],
    allowedAttributes: {},
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript'],
  });
  return unescapeSanitized(escaped).replace(/\s+/g, ' ').trim();
}

/** sanitize-html decodes input entities and re-escapes exactly these on output. */
function unescapeSanitized(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_m, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name]!);
}

function absolute(url: string | undefined, base: string | null): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url.trim(), base ?? undefined).toString();
  } catch {
    return undefined;
  }
}

function withoutUndefined(attribs: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(attribs).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
