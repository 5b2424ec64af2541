import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { HttpError } from '../../http/errors.js';
import { isoNow } from '../../lib/clock.js';
import type { StreamKind } from '../connector.js';
import { channelForWebhook } from '../service.js';
import { instagramCredentialsSchema } from '../instagram/credentials.js';
import { newInstagramEvents } from '../instagram/webhook-events.js';
import { facebookCredentialsSchema } from './credentials.js';
import { isMetaSignatureValid } from './signature.js';
import {
  metaWebhookBody,
  newComments,
  newMessengerMessages,
  newPageMentions,
  storeMetaEvents,
  type MetaEvent,
  type MetaWebhookBody,
} from './webhook-events.js';

/** Meta batches up to 1 000 changes per delivery; far larger is not Meta. */
const BODY_LIMIT = 4 * 1024 * 1024;
const Params = z.object({ channelId: z.string().min(1).max(100) });
const Received = z.object({ received: z.number().int(), stored: z.number().int() });
const ErrorAnswer = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const Challenge = z.object({
  'hub.mode': z.string().max(50).optional(),
  'hub.verify_token': z.string().max(200).optional(),
  'hub.challenge': z.string().max(200).optional(),
});

/**
 * Where the Meta app's Webhooks product sends a channel's changes: a Page's (subscribe "feed" and
 * "messages") or an Instagram account's (subscribe "comments" and "mentions").
 */
export const metaWebhookPath = (channelId: string) => `/webhooks/meta/${encodeURIComponent(channelId)}`;

/** What each Meta network's deliveries are: their `object`, and the events Chorus keeps from them. */
const META_OBJECTS = {
  facebook: {
    object: 'page',
    events: (body: MetaWebhookBody, remoteId: string): MetaEvent[] => [
      ...newComments(body, remoteId),
      ...newPageMentions(body, remoteId),
      ...newMessengerMessages(body, remoteId),
    ],
  },
  instagram: { object: 'instagram', events: newInstagramEvents },
} as const;

/**
 * Meta's webhook, one address per Facebook Page or Instagram channel (Meta signs both with the
 * app secret). GET answers Meta's subscription check (hub.challenge, when hub.verify_token is the
 * channel's); POST checks X-Hub-Signature-256 on the exact bytes before parsing and answers 200
 * only after the new events are stored.
 */
export interface MetaWebhookOptions {
  /** Told which streams of the channel got new events once they are stored (the app makes their polls due now). */
  onStored?: (channelId: string, kinds: StreamKind[]) => Promise<void>;
}

/** The stream each stored field feeds. */
const STREAM_OF: Record<MetaEvent['field'], StreamKind> = {
  feed: 'mentions',
  mention: 'mentions',
  comments: 'mentions',
  mentions: 'mentions',
  messages: 'messages',
};

export async function metaWebhookRoutes(fastify: FastifyInstance, options: MetaWebhookOptions): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_request, body, done) => done(null, body));

  const channelOf = async (channelId: string) => {
    const page = await channelForWebhook(fastify.store.db, fastify.channels, 'facebook', channelId);
    if (page) {
      const credentials = facebookCredentialsSchema.safeParse(page.credentials);
      if (credentials.success) return { network: 'facebook' as const, channel: page, credentials: credentials.data };
    }
    const account = page ? null : await channelForWebhook(fastify.store.db, fastify.channels, 'instagram', channelId);
    const credentials = account ? instagramCredentialsSchema.safeParse(account.credentials) : null;
    if (!account || !credentials?.success) throw new HttpError(404, 'not_found', 'No Facebook or Instagram channel at this address');
    return { network: 'instagram' as const, channel: account, credentials: credentials.data };
  };

  app.get(
    '/webhooks/meta/:channelId',
    {
      config: { public: true, anonymous: true },
      schema: {
        tags: ['channels'],
        summary: "Meta's webhook subscription check for one Facebook Page or Instagram channel (hub.challenge)",
        params: Params,
        querystring: Challenge,
        response: { 200: z.string(), 403: ErrorAnswer, 404: ErrorAnswer },
      },
    },
    async (request, reply) => {
      const { credentials } = await channelOf(request.params.channelId);
      const expected = credentials.webhookVerifyToken;
      const given = request.query['hub.verify_token'] ?? '';
      const same = expected !== undefined && given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
      if (request.query['hub.mode'] !== 'subscribe' || !same || !request.query['hub.challenge'])
        throw new HttpError(403, 'bad_verify_token', "hub.verify_token is not this channel's webhook verify token");
      return reply.type('text/plain; charset=utf-8').send(request.query['hub.challenge']);
    },
  );

  app.post(
    '/webhooks/meta/:channelId',
    {
      bodyLimit: BODY_LIMIT,
      config: { public: true, anonymous: true },
      schema: {
        tags: ['channels'],
        summary: 'Meta webhook of one Facebook Page or Instagram channel (signed with the app secret)',
        params: Params,
        response: { 200: Received, 400: ErrorAnswer, 401: ErrorAnswer, 404: ErrorAnswer },
      },
    },
    async (request) => {
      const { network, channel, credentials } = await channelOf(request.params.channelId);
      const raw = request.body;
      if (!(raw instanceof Buffer)) throw new HttpError(400, 'bad_request', 'Send the changes as application/json');
      const signature = request.headers['x-hub-signature-256'];
      if (!isMetaSignatureValid(credentials.appSecret, raw, Array.isArray(signature) ? signature[0] : signature)) {
        throw new HttpError(401, 'bad_signature', "X-Hub-Signature-256 does not match the body and this channel's app secret");
      }
      const expected = META_OBJECTS[network];
      const parsed = metaWebhookBody.safeParse(parseJson(raw));
      if (!parsed.success || parsed.data.object !== expected.object)
        throw new HttpError(400, 'invalid_events', `Not a Meta webhook body for ${network === 'facebook' ? 'a Page' : 'an Instagram account'}`);
      const events = expected.events(parsed.data, channel.remoteId);
      const stored = await storeMetaEvents(fastify.store.db, channel, events, isoNow(fastify.clock));
      // Stored is what the 200 promises; a failed nudge only leaves the events to the next poll.
      if (stored > 0)
        await options
          .onStored?.(channel.channelId, [...new Set(events.map((e) => STREAM_OF[e.field]))])
          .catch((error: unknown) => request.log.warn({ err: error }, 'could not make the webhook channel poll now'));
      return { received: events.length, stored };
    },
  );
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}
