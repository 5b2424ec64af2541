import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireCaller } from '../../http/authentication.js';
import { statusLanguage } from './page-language.js';
import { renderStatusPage } from './page.js';
import { IncidentParams, IncidentUpdateBody, NewIncidentBody, SlaQuery, StatusPageQuery } from './schemas.js';
import { openIncident, slaReport, statusOverview, updateIncident, type StatusSettings } from './service.js';
import { errorAnswers, TextBody } from '../../../core/api/errors.js';
import { IncidentAnswer, IncidentUpdateAnswer, SlaReport, StatusOverview } from '../../../core/api/ops.js';

const tags = ['ops'];

/** The public status page and its JSON; incidents and the SLA report for the instance admin. */
export function statusRoutes(settings: StatusSettings) {
  return async (fastify: FastifyInstance): Promise<void> => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const { store, clock } = fastify;
    const admin = { config: { instanceAdmin: true } };

    app.get(
      '/status',
      { exposeHeadRoute: true, config: { public: true, anonymous: true }, schema: { hide: true, querystring: StatusPageQuery, response: { 200: TextBody } } },
      async (request, reply) => {
        const language = statusLanguage(request.query.lang, request.headers['accept-language']);
        return reply
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .header('content-language', language)
          .header('vary', 'Accept-Language')
          .send(renderStatusPage(await statusOverview(store.db, clock, settings), language));
      },
    );

    app.get(
      '/api/status',
      {
        config: { public: true },
        schema: { tags, summary: 'Current state, 90-day uptime and incidents of every component (public)', response: { 200: StatusOverview, ...errorAnswers } },
      },
      async () => statusOverview(store.db, clock, settings),
    );

    app.post(
      '/api/ops/incidents',
      {
        ...admin,
        schema: {
          tags,
          summary: 'Open an incident on the status page (instance admin)',
          body: NewIncidentBody,
          response: { 201: IncidentAnswer, ...errorAnswers },
        },
      },
      async (request, reply) => {
        const id = await openIncident(store.db, clock, request.body, requireCaller(request).user.id);
        // Just opened, so within the 90 days the overview holds.
        return reply.status(201).send({ incident: (await statusOverview(store.db, clock, settings)).incidents.find((i) => i.id === id)! });
      },
    );

    app.post(
      '/api/ops/incidents/:incidentId/updates',
      {
        ...admin,
        schema: {
          tags,
          summary: 'Post an update; state "resolved" resolves it (instance admin)',
          params: IncidentParams,
          body: IncidentUpdateBody,
          response: { 201: IncidentUpdateAnswer, ...errorAnswers },
        },
      },
      async (request, reply) => {
        await updateIncident(store.db, clock, request.params.incidentId, request.body);
        return reply
          .status(201)
          .send({ incident: (await statusOverview(store.db, clock, settings)).incidents.find((i) => i.id === request.params.incidentId) ?? null });
      },
    );

    app.get(
      '/api/ops/sla',
      {
        ...admin,
        schema: {
          tags,
          summary: 'Monthly availability and SLA credits earned (instance admin)',
          querystring: SlaQuery,
          response: { 200: SlaReport, ...errorAnswers },
        },
      },
      async (request) => slaReport(store.db, clock, settings, request.query.months),
    );
  };
}
