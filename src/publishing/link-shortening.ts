import type { OrgScope } from '../teams/org-scope.js';

/**
 * Whether the publisher will shorten a post's links, as publishing needs it to check lengths on
 * the text as sent (core/short-link-text.ts). Analytics owns shortening; the assembly in src/app/
 * builds this from its settings, so publishing imports nothing of analytics.
 */
export interface LinkShortening {
  /** The start of every short URL made at publish (`https://go.example.com/s/`); null: publish shortens nothing. */
  prefix: string | null;
  /** The org's "Shorten links in new posts", for posts that leave the choice to it. */
  shortensByDefault(scope: OrgScope): Promise<boolean>;
}

/** The short URL prefix a post's text is measured with: null when its links go out as written. */
export async function shortLinkPrefixFor(shortening: LinkShortening, scope: OrgScope, postChoice: boolean | null | undefined): Promise<string | null> {
  if (shortening.prefix === null || postChoice === false) return null;
  return postChoice === true || (await shortening.shortensByDefault(scope)) ? shortening.prefix : null;
}
