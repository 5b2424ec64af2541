import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
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

/** What a post says about its links at publish: its own choice (null: the org's default decides) and the campaign its short links are attributed to. */
export interface PostLinkChoice {
  shortenLinks: boolean | null;
  campaign: string | null;
}

/** The post's link choice (workers: the shortener runs for every org, so it names the org); undefined when the post is gone. */
export async function postLinkChoice(db: Kysely<Database>, orgId: string, postId: string): Promise<PostLinkChoice | undefined> {
  const post = await db.selectFrom('posts').select(['campaign', 'shorten_links']).where('org_id', '=', orgId).where('id', '=', postId).executeTakeFirst();
  return post && { shortenLinks: post.shorten_links == null ? null : post.shorten_links === 1, campaign: post.campaign };
}
