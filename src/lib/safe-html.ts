import { createRequire } from 'node:module';
import type sanitizeHtml from 'sanitize-html';

// Loaded on first use (ingest, feeds), not at start-up: the sanitizer and its HTML parser cost ~0.1 s to load.
const require = createRequire(import.meta.url);
let sanitizer: typeof sanitizeHtml | null = null;

/**
 * The one HTML policy of Chorus: formatting, links and images survive; no script, style,
 * iframe, form, event handler or javascript:/data: URL; every link opens in a new tab without
 * handing the opener to the remote page. Feeds, Mastodon and stored stream items all use it.
 */
export const SAFE_HTML_POLICY: sanitizeHtml.IOptions = {
  allowedTags: [
    ...['p', 'br', 'hr', 'div', 'span', 'blockquote', 'pre', 'code', 'b', 'strong', 'i', 'em', 'u', 's', 'sub', 'sup', 'small', 'mark'],
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'a', 'img', 'figure', 'figcaption'],
    ...['table', 'thead', 'tbody', 'tr', 'th', 'td', 'caption'],
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel', 'target'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'template'],
  transformTags: { a: (_tagName, attribs) => ({ tagName: 'a', attribs: { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' } }) },
};

export function safeHtml(html: string): string {
  sanitizer ??= require('sanitize-html') as typeof sanitizeHtml;
  return sanitizer(html, SAFE_HTML_POLICY);
}
