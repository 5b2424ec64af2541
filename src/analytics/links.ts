import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { LinkView, LinkWithClicks, ShortenedText } from '../../core/api/analytics.js';
import { contactView } from '../crm/service.js';
import { DomainError } from '../lib/domain-error.js';
import { newId } from '../lib/ids.js';
import { getPost } from '../publishing/service.js';
import type { OrgScope } from '../teams/org-scope.js';
import { checkLinkTarget, SHORT_CODE_LENGTH, shortLinkPrefix, urlsInText } from '../../core/short-link-text.js';
import { withUtm } from './link-target.js';
import { decodeLinkCursor, encodeLinkCursor } from './link-cursor.js';
import type { LinksQuery, NewLinkBody } from './schemas.js';
import { analyticsSettings } from './settings.js';
import type { ShortLinksTable } from './tables.js';

/** 8 random bytes: 64 bits, 11 base64url characters. Guessing one live code takes ~2^63 tries. */
export const CODE_PATTERN = new RegExp(`^[A-Za-z0-9_-]{${SHORT_CODE_LENGTH}}$`);
export const newCode = (): string => randomBytes(8).toString('base64url');

export type NewLink = z.output<typeof NewLinkBody>;

/** Where short URLs point: CHORUS_SHORT_URL_BASE, else CHORUS_PUBLIC_URL, else the address the request came to. */
export const shortUrlOf = (base: string, code: string): string => shortLinkPrefix(base) + code;

export function presentLink(row: ShortLinksTable, base: string): LinkView {
  return {
    id: row.id,
    code: row.code,
    shortUrl: shortUrlOf(base, row.code),
    url: row.url,
    targetUrl: row.target_url,
    postId: row.post_id,
    network: row.network,
    campaign: row.campaign,
    contactId: row.contact_id,
    createdAt: row.created_at,
  };
}

/** Makes a short link; a post's link takes the post's campaign unless one is given. */
export async function createLink(scope: OrgScope, input: NewLink, base: string): Promise<LinkView> {
  const target = checkLinkTarget(input.url);
  if (!target.ok) throw new DomainError('invalid_url', `The link ${target.reason}`, 400, { field: 'url' });
  let campaign = input.campaign?.trim() || null;
  if (input.postId) {
    const post = await getPost(scope, input.postId);
    campaign ??= post.campaign;
  }
  if (input.contactId) await contactView(scope, input.contactId);
  const settings = await analyticsSettings(scope);
  const network = input.network ?? null;
  const row: ShortLinksTable = {
    id: newId(),
    org_id: scope.orgId,
    code: newCode(),
    url: target.url,
    target_url: settings.utmEnabled ? withUtm(target.url, { network, campaign }) : target.url,
    post_id: input.postId ?? null,
    network,
    campaign,
    contact_id: input.contactId ?? null,
    created_by_user_id: scope.actor.userId === 'system' ? null : scope.actor.userId,
    created_at: scope.now(),
    post_target_id: null,
  };
  const { org_id: _org, ...values } = row;
  await scope.insertInto('short_links', values);
  await scope.audit('link.create', { linkId: row.id, code: row.code, url: row.url });
  return presentLink(row, base);
}

/** Replaces every http(s) URL in a post's text with a short link of its own. */
export async function shortenText(scope: OrgScope, input: Omit<NewLink, 'url'> & { text: string }, base: string): Promise<ShortenedText> {
  const { text, ...rest } = input;
  const links: LinkView[] = [];
  let result = text;
  for (const url of new Set(urlsInText(text))) {
    if (!checkLinkTarget(url).ok || url.startsWith(base.replace(/\/+$/, '') + '/s/')) continue;
    const link = await createLink(scope, { ...rest, url }, base);
    links.push(link);
    result = result.split(url).join(link.shortUrl);
  }
  return { text: result, links };
}

/** Newest first, with human and bot click counts. */
export async function listLinks(
  scope: OrgScope,
  query: z.output<typeof LinksQuery>,
  base: string,
): Promise<{ links: LinkWithClicks[]; nextCursor: string | null }> {
  let select = scope.selectFrom('short_links').selectAll();
  if (query.before) {
    const cursor = decodeLinkCursor(query.before);
    select = select.where((eb) =>
      eb.or([eb('created_at', '<', cursor.createdAt), eb.and([eb('created_at', '=', cursor.createdAt), eb('id', '<', cursor.id)])]),
    );
  }
  if (query.postId) select = select.where('post_id', '=', query.postId);
  if (query.campaign) select = select.where('campaign', '=', query.campaign);
  const rows = await select
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const counts = await clickCounts(
    scope,
    page.map((r) => r.id),
  );
  const last = page.at(-1);
  return {
    links: page.map((row) => ({ ...presentLink(row, base), clicks: counts.get(row.id) ?? { human: 0, bot: 0 } })),
    nextCursor: rows.length > query.limit && last ? encodeLinkCursor({ createdAt: last.created_at, id: last.id }) : null,
  };
}

async function clickCounts(scope: OrgScope, linkIds: string[]): Promise<Map<string, { human: number; bot: number }>> {
  const counts = new Map<string, { human: number; bot: number }>();
  if (linkIds.length === 0) return counts;
  const rows = await scope
    .selectFrom('link_clicks')
    .select(['link_id', 'bot', (eb) => eb.fn.countAll<number>().as('n')])
    .where('link_id', 'in', linkIds)
    .groupBy(['link_id', 'bot'])
    .execute();
  for (const row of rows) {
    const entry = counts.get(row.link_id) ?? { human: 0, bot: 0 };
    entry[row.bot ? 'bot' : 'human'] = Number(row.n);
    counts.set(row.link_id, entry);
  }
  return counts;
}

/**
 * Clicks a campaign brought: on links made for one of its posts, or tagged with its name
 * (utm_campaign). For src/campaigns, which reads clicks only through here.
 */
export async function campaignClicks(scope: OrgScope, campaignName: string, postIds: string[]): Promise<{ human: number; bot: number }> {
  const rows = await scope
    .selectFrom('link_clicks')
    .select(['bot'])
    .where((eb) => (postIds.length ? eb.or([eb('post_id', 'in', postIds), eb('campaign', '=', campaignName)]) : eb('campaign', '=', campaignName)))
    .execute();
  const bot = rows.filter((r) => r.bot === 1).length;
  return { human: rows.length - bot, bot };
}
