import { errorAnswers, NoBody } from '../../core/api/errors.js';
import type { FastifyInstance } from 'fastify';
import { errorBody } from '../http/errors.js';
import { newId } from '../lib/ids.js';
import { deviceClass, isCrawler, referrerHost } from './click-details.js';
import type { ClickRecorder } from './click-recorder.js';
import type { LinkCache } from './link-cache.js';
import { CODE_PATTERN } from './links.js';
import type { VisitorRateLimit } from './visitor-rate-limit.js';

export interface RedirectDependencies {
  cache: LinkCache;
  recorder: ClickRecorder;
  limit: VisitorRateLimit;
}

/**
 * `GET /s/<code>`: public, the hottest path Chorus has. It answers 302 from the code cache and
 * hands the click to the recorder without waiting for it; only a code seen for the first time
 * (or after a minute) reads the store. No body schema validation on purpose: the code's shape is
 * checked with one regular expression, before anything else.
 */
export function redirectRoutes(deps: RedirectDependencies) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get<{ Params: { code: string } }>(
      '/s/:code',
      {
        exposeHeadRoute: true,
        config: { public: true, anonymous: true, bodilessRedirect: true },
        schema: { hide: true, response: { 302: NoBody, ...errorAnswers } },
      },
      async (request, reply) => {
        const wait = deps.limit.take(request.ip);
        if (wait > 0) {
          return reply
            .status(429)
            .header('retry-after', String(wait))
            .header('x-content-type-options', 'nosniff')
            .send(errorBody('too_many_requests', 'Too many requests from this address; try again shortly'));
        }
        const code = request.params.code;
        const link = CODE_PATTERN.test(code) ? await deps.cache.lookup(code) : null;
        if (!link) return reply.status(404).header('x-content-type-options', 'nosniff').send(errorBody('link_not_found', 'This short link does not exist'));
        const agent = request.headers['user-agent'];
        deps.recorder.record({
          id: newId(),
          org_id: link.orgId,
          link_id: link.id,
          post_id: link.postId,
          network: link.network,
          campaign: link.campaign,
          contact_id: link.contactId,
          clicked_at: new Date(app.clock().getTime()).toISOString(),
          referrer_host: referrerHost(request.headers.referer),
          device: deviceClass(agent),
          bot: isCrawler(agent) ? 1 : 0,
        });
        // Every visit must reach us to be counted: no shared or browser caching of the answer.
        return reply
          .status(302)
          .header('location', link.targetUrl)
          .header('cache-control', 'private, no-store')
          .header('referrer-policy', 'no-referrer')
          .send();
      },
    );
  };
}
