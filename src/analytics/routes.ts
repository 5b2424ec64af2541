import { errorAnswers, TextBody } from '../../core/api/errors.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bestTimesCsv, campaignsCsv, channelsCsv, dailyCsv, linksCsv, overviewCsv, postsCsv } from '../../core/analytics-csv.js';
import {
  AnalyticsSettingsAnswer,
  BestTimesAnswer,
  CampaignReport,
  ChannelReport,
  CreatedLink,
  LinkList,
  OverviewAnswer,
  PostReport,
  ShortenedText,
} from '../../core/api/analytics.js';
import { channelDirectory } from '../channels/publishing-directory.js';
import { scopeOf } from '../http/org-scoped.js';
import { createLink, listLinks, shortenText } from './links.js';
import { bestTimes, campaignReport, channelReport, overview, postReport } from './reports.js';
import { BestTimesQuery, CsvParams, CsvQuery, LinksQuery, NewLinkBody, PostsQuery, RangeQuery, SettingsBody, ShortenTextBody } from './schemas.js';
import { linkShorteningAtPublish } from './publish-links.js';
import { analyticsSettings, updateAnalyticsSettings } from './settings.js';

const tags = ['analytics'];
const read = { permission: 'analytics.read' } as const;
const createLinks = { permission: 'links.write', idempotent: true } as const;
const manage = { permission: 'analytics.manage' } as const;

/** Short links and reports, under /api/orgs/:orgId (docs/analytics.md). */
export async function analyticsRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const directory = channelDirectory(fastify.store.db, fastify.clock, fastify.channels);
  const baseOf = (request: FastifyRequest): string => fastify.settings.shortUrlBase ?? fastify.settings.publicUrl ?? `${request.protocol}://${request.host}`;
  // The publisher shortens only with a configured base (src/app/workers.ts), never the request's address.
  const publishPrefix = linkShorteningAtPublish(fastify.settings.shortUrlBase ?? fastify.settings.publicUrl).prefix;
  const last30Days = (request: FastifyRequest) => {
    const today = scopeOf(request).now().slice(0, 10);
    return { from: new Date(Date.parse(today) - 29 * 86_400_000).toISOString().slice(0, 10), to: today };
  };

  app.post(
    '/links',
    {
      config: createLinks,
      schema: {
        tags,
        summary: 'Make a short link (GET /s/<code> answers 302 to it); postId, campaign, network and contactId say what its clicks count for',
        body: NewLinkBody,
        response: { 201: CreatedLink, ...errorAnswers },
      },
    },
    async (request, reply) => reply.status(201).send({ link: await createLink(scopeOf(request), request.body, baseOf(request)) }),
  );
  app.post(
    '/links/shorten-text',
    {
      config: createLinks,
      schema: {
        tags,
        summary: "Replace every http(s) URL in a post's text with a short link of its own",
        body: ShortenTextBody,
        response: { 201: ShortenedText, ...errorAnswers },
      },
    },
    async (request, reply) => reply.status(201).send(await shortenText(scopeOf(request), request.body, baseOf(request))),
  );
  app.get(
    '/links',
    {
      config: read,
      schema: {
        tags,
        summary: 'Short links, newest first, with human and bot clicks; pass nextCursor as before',
        querystring: LinksQuery,
        response: { 200: LinkList, ...errorAnswers },
      },
    },
    async (request) => listLinks(scopeOf(request), request.query, baseOf(request)),
  );

  app.get(
    '/analytics/settings',
    {
      config: read,
      schema: { tags, summary: 'Link shortening, UTM parameters and the reports’ time zone', response: { 200: AnalyticsSettingsAnswer, ...errorAnswers } },
    },
    async (request) => ({
      settings: await analyticsSettings(scopeOf(request)),
      shortLinkPrefix: publishPrefix,
    }),
  );
  app.patch(
    '/analytics/settings',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Change link shortening, UTM parameters or the reports’ time zone',
        body: SettingsBody,
        response: { 200: AnalyticsSettingsAnswer, ...errorAnswers },
      },
    },
    async (request) => ({
      settings: await updateAnalyticsSettings(scopeOf(request), request.body),
      shortLinkPrefix: publishPrefix,
    }),
  );

  app.get(
    '/analytics/overview',
    {
      config: read,
      schema: {
        tags,
        summary:
          'Posts, engagement, clicks, followers, mentions, sentiment and new contacts for from..to (YYYY-MM-DD, the org’s zone), against the same-length period before',
        querystring: RangeQuery,
        response: { 200: OverviewAnswer, ...errorAnswers },
      },
    },
    async (request) => ({ overview: await overview(scopeOf(request), request.query.from, request.query.to) }),
  );
  app.get(
    '/analytics/channels',
    {
      config: read,
      schema: { tags, summary: 'One row per connected account for from..to', querystring: RangeQuery, response: { 200: ChannelReport, ...errorAnswers } },
    },
    async (request) => {
      const scope = scopeOf(request);
      return { channels: await channelReport(scope, await directory.listAllChannels(scope.orgId), request.query.from, request.query.to) };
    },
  );
  app.get(
    '/analytics/posts',
    {
      config: read,
      schema: {
        tags,
        summary: 'Posts published in from..to with their engagement and clicks, best first by sort',
        querystring: PostsQuery,
        response: { 200: PostReport, ...errorAnswers },
      },
    },
    async (request) => ({ posts: await postReport(scopeOf(request), request.query) }),
  );
  app.get(
    '/analytics/campaigns',
    {
      config: read,
      schema: {
        tags,
        summary: 'One row per campaign name (posts and links) for from..to',
        querystring: RangeQuery,
        response: { 200: CampaignReport, ...errorAnswers },
      },
    },
    async (request) => ({ campaigns: await campaignReport(scopeOf(request), request.query.from, request.query.to) }),
  );
  app.get(
    '/analytics/best-times',
    {
      config: read,
      schema: {
        tags,
        summary: "Weekday × hour heat map of an account's average engagement (org's zone) and the suggested slots",
        querystring: BestTimesQuery,
        response: { 200: BestTimesAnswer, ...errorAnswers },
      },
    },
    async (request) => ({ bestTimes: await bestTimes(scopeOf(request), request.query.channelAccountId) }),
  );

  app.get(
    '/analytics/csv/:report',
    {
      config: read,
      schema: {
        tags,
        summary: 'A report as CSV (UTF-8), the same numbers as its JSON endpoint; from/to default to the last 30 days',
        params: CsvParams,
        querystring: CsvQuery,
        response: { 200: TextBody, ...errorAnswers },
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request);
      const { from, to } = request.query.from && request.query.to ? { from: request.query.from, to: request.query.to } : last30Days(request);
      const range = RangeQuery.safeParse({ from, to });
      if (!range.success) return reply.status(400).send({ error: { code: 'validation_failed', message: range.error.issues.map((i) => i.message).join('; ') } });
      const report = request.params.report;
      let body: string;
      if (report === 'overview') {
        const result = await overview(scope, from, to);
        body = overviewCsv(result) + '\r\n' + dailyCsv(result);
      } else if (report === 'channels') body = channelsCsv(await channelReport(scope, await directory.listAllChannels(scope.orgId), from, to));
      else if (report === 'posts') body = postsCsv(await postReport(scope, { from, to, sort: request.query.sort ?? 'engagement', limit: 500 }));
      else if (report === 'campaigns') body = campaignsCsv(await campaignReport(scope, from, to));
      else if (report === 'links') body = linksCsv((await listLinks(scope, { limit: 200 }, baseOf(request))).links);
      else {
        if (!request.query.channelAccountId)
          return reply.status(400).send({ error: { code: 'validation_failed', message: 'channelAccountId is required for best-times' } });
        body = bestTimesCsv(await bestTimes(scope, request.query.channelAccountId));
      }
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="chorus-${report}-${from}-${to}.csv"`)
        .send('\uFEFF' + body);
    },
  );
}
