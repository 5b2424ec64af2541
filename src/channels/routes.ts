import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { scopeOf } from '../http/org-scoped.js';
import type { Network } from './connector.js';
import { connectorFailureHttp } from './failure-http.js';
import { oauthStartRoutes } from './oauth/routes.js';
import { CONNECTORS, type NetworkEntry } from './registry.js';
import { ChannelParams, ConnectChannelBody, ReconnectChannelBody, StreamQuery } from './schemas.js';
import { channelQuota, checkChannel, connectChannel, listChannels, readChannelStream, reconnectChannel, removeChannel } from './service.js';
import { ChannelAnswer, ChannelQuotaAnswer, ChannelsAnswer, ChannelStreamPage } from '../../core/api/channels.js';
import { errorAnswers, NoBody } from '../../core/api/errors.js';

const tags = ['channels'];

/** Connected accounts of one org; registered under /api/orgs/:orgId. */
export async function channelRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const environment = fastify.channels;

  app.get(
    '/channels',
    {
      config: { permission: 'channels.read' },
      schema: { tags, summary: 'Connected channels and their health (never their credentials)', response: { 200: ChannelsAnswer, ...errorAnswers } },
    },
    async (request) => {
      const apps = fastify.settings.channelOAuth;
      // Mastodon needs no operator app: Chorus registers itself on each instance.
      const signIn: Partial<Record<Network, boolean>> = {
        mastodon: true,
        x: apps.x !== null,
        threads: apps.threads !== null,
        linkedin: apps.linkedin !== null,
        // Instagram professional accounts are reached through their Facebook Page: the same sign-in.
        facebook: apps.facebook !== null,
        instagram: apps.facebook !== null,
      };
      return {
        channels: await listChannels(scopeOf(request), environment),
        // `oauth`: this network can be connected by signing in on it (POST …/channels/oauth/<network>/start).
        networks: (Object.entries(CONNECTORS) as [Network, NetworkEntry][]).map(([network, entry]) => ({
          network,
          label: entry.label,
          oauth: signIn[network] ?? false,
        })),
      };
    },
  );

  await fastify.register(oauthStartRoutes);

  app.post(
    '/channels',
    {
      config: { permission: 'channels.manage', idempotent: true },
      schema: {
        tags,
        summary: 'Connect a channel (credentials are verified with the network first)',
        body: ConnectChannelBody,
        response: { 201: ChannelAnswer, ...errorAnswers },
      },
    },
    async (request, reply) => reply.status(201).send({ channel: await connectChannel(scopeOf(request), environment, request.body) }),
  );

  app.post(
    '/channels/:channelId/check',
    {
      config: { permission: 'channels.manage' },
      schema: {
        tags,
        summary: 'Check that the channel still works and record its health',
        params: ChannelParams,
        response: { 200: ChannelAnswer, ...errorAnswers },
      },
    },
    async (request) => ({ channel: await checkChannel(scopeOf(request), environment, request.params.channelId) }),
  );

  app.put(
    '/channels/:channelId/credentials',
    {
      config: { permission: 'channels.manage' },
      schema: {
        tags,
        summary: 'Reconnect: replace the credentials of a channel',
        params: ChannelParams,
        body: ReconnectChannelBody,
        response: { 200: ChannelAnswer, ...errorAnswers },
      },
    },
    async (request) => ({ channel: await reconnectChannel(scopeOf(request), environment, request.params.channelId, request.body.credentials) }),
  );

  app.delete(
    '/channels/:channelId',
    {
      config: { permission: 'channels.manage' },
      schema: { tags, summary: 'Remove a channel and its stored credentials', params: ChannelParams, response: { 204: NoBody, ...errorAnswers } },
    },
    async (request, reply) => {
      await removeChannel(scopeOf(request), request.params.channelId);
      return reply.status(204).send();
    },
  );

  app.get(
    '/channels/:channelId/quota',
    {
      config: { permission: 'channels.read' },
      schema: {
        tags,
        summary: "The network's cap on sending (LINE: messages this month) and its use; null where there is none",
        params: ChannelParams,
        response: { 200: ChannelQuotaAnswer, ...errorAnswers },
      },
    },
    async (request) => {
      const result = await channelQuota(scopeOf(request), environment, request.params.channelId);
      if (!result.ok) throw connectorFailureHttp(result.failure);
      return { quota: result.value };
    },
  );

  app.get(
    '/channels/:channelId/stream',
    {
      config: { permission: 'channels.read' },
      schema: {
        tags,
        summary: 'Read one page of a stream (home, mentions, search, feed, team...) through the channel',
        params: ChannelParams,
        querystring: StreamQuery,
        response: { 200: ChannelStreamPage, ...errorAnswers },
      },
    },
    async (request) => {
      const { kind, target, before, cursor, pollState, limit } = request.query;
      const result = await readChannelStream(scopeOf(request), environment, request.params.channelId, {
        kind,
        target,
        cursor: before ?? cursor ?? null,
        pollState: pollState ?? null,
        limit,
      });
      if (!result.ok) throw connectorFailureHttp(result.failure);
      const { olderCursor, ...page } = result.value;
      return { ...page, nextCursor: olderCursor };
    },
  );
}
