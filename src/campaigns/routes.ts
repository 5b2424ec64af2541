import { errorAnswers } from '../../core/api/errors.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CampaignReport, CampaignView } from '../../core/api/campaigns.js';
import { scopeOf } from '../http/org-scoped.js';
import { addCampaignPost, campaignReport, campaignView, createCampaign, deleteCampaign, editCampaign, listCampaigns, removeCampaignPost } from './service.js';

const tags = ['campaigns'];
const read = { permission: 'campaigns.read' } as const;
const write = { permission: 'campaigns.write' } as const;
const Id = z.string().min(1).max(100);
const Day = z.iso.date();
const Params = z.strictObject({ orgId: z.string(), campaignId: Id });
const PostParams = z.strictObject({ orgId: z.string(), campaignId: Id, postId: Id });
const Name = z.string().trim().min(1).max(100);
const Description = z.string().trim().max(2000).nullable();
const NewCampaignBody = z.strictObject({
  name: Name,
  description: Description.optional(),
  startsOn: Day.nullable().optional(),
  endsOn: Day.nullable().optional(),
});
const EditCampaignBody = z
  .strictObject({ name: Name.optional(), description: Description.optional(), startsOn: Day.nullable().optional(), endsOn: Day.nullable().optional() })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'send name, description, startsOn or endsOn');

/** For modules that link to a campaign (forms): a 404 unless it is one of the request's org. */
export async function requireCampaign(request: FastifyRequest, campaignId: string): Promise<void> {
  await campaignView(scopeOf(request), campaignId);
}

/** Campaigns under /api/orgs/:orgId/campaigns: a campaign groups posts and forms and reports what they produced. */
export async function campaignRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/campaigns',
    { config: read, schema: { tags, summary: 'Campaigns, newest first', response: { 200: z.object({ campaigns: z.array(CampaignView) }), ...errorAnswers } } },
    async (request) => ({
      campaigns: await listCampaigns(scopeOf(request)),
    }),
  );
  app.post(
    '/campaigns',
    {
      config: { ...write, idempotent: true },
      schema: { tags, summary: 'Create a campaign', body: NewCampaignBody, response: { 201: z.object({ campaign: CampaignView }), ...errorAnswers } },
    },
    async (request, reply) => reply.status(201).send({ campaign: await createCampaign(scopeOf(request), request.body) }),
  );
  app.get(
    '/campaigns/:campaignId',
    {
      config: read,
      schema: {
        tags,
        summary: 'A campaign and what it produced: posts, forms, submissions, new contacts by stage',
        params: Params,
        response: { 200: z.object({ campaign: CampaignView, report: CampaignReport }), ...errorAnswers },
      },
    },
    async (request) => {
      const scope = scopeOf(request);
      return { campaign: await campaignView(scope, request.params.campaignId), report: await campaignReport(scope, request.params.campaignId) };
    },
  );
  app.patch(
    '/campaigns/:campaignId',
    {
      config: write,
      schema: {
        tags,
        summary: 'Change a campaign',
        params: Params,
        body: EditCampaignBody,
        response: { 200: z.object({ campaign: CampaignView }), ...errorAnswers },
      },
    },
    async (request) => ({
      campaign: await editCampaign(scopeOf(request), request.params.campaignId, request.body),
    }),
  );
  app.delete(
    '/campaigns/:campaignId',
    { config: write, schema: { tags, summary: 'Delete a campaign (its posts and forms stay)', params: Params, response: { 204: z.null(), ...errorAnswers } } },
    async (request, reply) => {
      await deleteCampaign(scopeOf(request), request.params.campaignId);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/campaigns/:campaignId/posts',
    {
      config: write,
      schema: {
        tags,
        summary: 'Add a post to a campaign (adding it twice is fine)',
        params: Params,
        body: z.strictObject({ postId: Id }),
        response: { 200: z.object({ campaign: CampaignView }), ...errorAnswers },
      },
    },
    async (request) => ({ campaign: await addCampaignPost(scopeOf(request), request.params.campaignId, request.body.postId) }),
  );
  app.delete(
    '/campaigns/:campaignId/posts/:postId',
    { config: write, schema: { tags, summary: 'Take a post out of a campaign', params: PostParams, response: { 204: z.null(), ...errorAnswers } } },
    async (request, reply) => {
      await removeCampaignPost(scopeOf(request), request.params.campaignId, request.params.postId);
      return reply.status(204).send(null);
    },
  );
}
