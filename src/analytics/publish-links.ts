import type { Kysely } from 'kysely';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import { postLinkChoice, type LinkShortening } from '../publishing/link-shortening.js';
import type { Database } from '../store/database.js';
import { checkLinkTarget, shortenableUrls, shortLinkPrefix } from '../../core/short-link-text.js';
import { withUtm } from './link-target.js';
import { newCode, shortUrlOf } from './links.js';
import { analyticsSettings } from './settings.js';

export interface PublishedText {
  orgId: string;
  postId: string;
  /** The post target (one network account) the text is sent to: one code per link of one target. */
  targetId: string;
  network: string;
  text: string;
}

/**
 * Publish-time link shortening (the org's "Shorten links in new posts"): every http(s) URL in the
 * text a target is about to send becomes a short link attributed to the post, network and
 * campaign (UTM parameters when the org enables them). Exactly once: a link is keyed by
 * (target, url) under a unique index, so a retried publish finds and reuses the codes of the
 * first attempt, and two racing attempts cannot both insert one.
 */
export function publishLinkShortener(db: Kysely<Database>, clock: Clock, base: string | undefined): (input: PublishedText) => Promise<string> {
  return async (input) => {
    if (!base) return input.text;
    const settings = await db.selectFrom('analytics_settings').select(['shorten_links', 'utm_enabled']).where('org_id', '=', input.orgId).executeTakeFirst();
    const post = await postLinkChoice(db, input.orgId, input.postId);
    // The post's own choice (the composer's toggle) wins over the org's default.
    const shorten = post?.shortenLinks ?? settings?.shorten_links === 1;
    if (!shorten) return input.text;
    const urls = shortenableUrls(input.text, shortLinkPrefix(base));
    if (urls.length === 0) return input.text;
    const campaign = post?.campaign ?? null;
    let text = input.text;
    for (const url of urls) {
      const target = checkLinkTarget(url);
      if (!target.ok) continue;
      await db
        .insertInto('short_links')
        .values({
          id: newId(),
          org_id: input.orgId,
          code: newCode(),
          url: target.url,
          target_url: settings?.utm_enabled === 1 ? withUtm(target.url, { network: input.network, campaign }) : target.url,
          post_id: input.postId,
          network: input.network,
          campaign,
          contact_id: null,
          created_by_user_id: null,
          created_at: clock().toISOString(),
          post_target_id: input.targetId,
        })
        .onConflict((oc) => oc.columns(['post_target_id', 'url']).doNothing())
        .execute();
      const row = await db
        .selectFrom('short_links')
        .select(['code'])
        .where('post_target_id', '=', input.targetId)
        .where('url', '=', target.url)
        .executeTakeFirstOrThrow();
      text = text.split(url).join(shortUrlOf(base, row.code));
    }
    return text;
  };
}

/**
 * What publishing needs to measure a post as the shortener above will send it: the short URL
 * prefix of `base` (none: nothing is shortened at publish) and the org's default.
 */
export function linkShorteningAtPublish(base: string | undefined): LinkShortening {
  return {
    prefix: base ? shortLinkPrefix(base) : null,
    shortensByDefault: async (scope) => (await analyticsSettings(scope)).shortenLinks,
  };
}
