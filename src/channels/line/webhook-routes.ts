import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError } from '../../http/errors.js';
import { isoNow } from '../../lib/clock.js';
import { channelForWebhook } from '../service.js';
import { lineCredentialsSchema } from './credentials.js';
import { storeLineEvents } from './inbound-events.js';
import { isLineSignatureValid } from './signature.js';
import { lineWebhookBody } from './webhook-events.js';

/** LINE's deliveries are small (one user's events); anything far larger is not LINE. */
const BODY_LIMIT = 1024 * 1024;
const Params = z.object({ channelId: z.string().min(1).max(100) });
const Received = z.object({ received: z.number().int(), stored: z.number().int() });
const ErrorAnswer = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** Where the LINE Developers console sends a channel's events: set the channel's "Webhook URL" to it. */
export const lineWebhookPath = (channelId: string) => `/webhooks/line/${encodeURIComponent(channelId)}`;

/**
 * The public endpoint LINE posts chat events to. Order matters: the signature is checked on the
 * exact bytes before anything is parsed, and 200 is sent only after the events are stored (LINE
 * stops redelivering once it has a 200). Redeliveries are the same rows (webhookEventId).
 */
export async function lineWebhookRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  // The signature covers the raw body: keep the bytes, parse after checking it.
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_request, body, done) => done(null, body));

  app.post(
    '/webhooks/line/:channelId',
    {
      bodyLimit: BODY_LIMIT,
      // No session or token: LINE proves itself with X-Line-Signature, checked below.
      config: { public: true, anonymous: true },
      schema: {
        tags: ['channels'],
        summary: 'LINE Messaging API webhook of one channel (signed with its channel secret)',
        params: Params,
        response: { 200: Received, 400: ErrorAnswer, 401: ErrorAnswer, 404: ErrorAnswer },
      },
    },
    async (request) => {
      const channel = await channelForWebhook(fastify.store.db, fastify.channels, 'line', request.params.channelId);
      if (!channel) throw new HttpError(404, 'not_found', 'No LINE channel at this address');
      const credentials = lineCredentialsSchema.safeParse(channel.credentials);
      if (!credentials.success) throw new HttpError(404, 'not_found', 'No LINE channel at this address');
      const raw = request.body;
      if (!(raw instanceof Buffer)) throw new HttpError(400, 'bad_request', 'Send the events as application/json');
      if (!isLineSignatureValid(credentials.data.channelSecret, raw, header(request.headers['x-line-signature']))) {
        throw new HttpError(401, 'bad_signature', "X-Line-Signature does not match the body and this channel's secret");
      }
      const parsed = lineWebhookBody.safeParse(parseJson(raw));
      if (!parsed.success) throw new HttpError(400, 'invalid_events', `Not a LINE webhook body: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      if (parsed.data.destination !== channel.remoteId)
        throw new HttpError(400, 'wrong_destination', 'These events are for another LINE account than this channel');
      const stored = await storeLineEvents(fastify.store.db, channel, parsed.data.events, isoNow(fastify.clock));
      return { received: parsed.data.events.length, stored };
    },
  );
}

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}
