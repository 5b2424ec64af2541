import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { scopeOf } from '../../http/org-scoped.js';
import { webAddress } from '../../lib/outbound-http/web-address.js';
import {
  completeAuthorization,
  startFacebookAuthorization,
  startLinkedinAuthorization,
  startMastodonAuthorization,
  startThreadsAuthorization,
  startXAuthorization,
  type OAuthOutcome,
} from './service.js';
import { OAUTH_CALLBACK_PATH, oauthRedirectUri } from './settings.js';
import { AuthorizeAnswer } from '../../../core/api/channels.js';
import { errorAnswers, NoBody } from '../../../core/api/errors.js';

const tags = ['channels'];
/** The networks signed in on through the operator's own app need nothing but, to reconnect, the channel. */
const AppStartBody = z.strictObject({ channelId: z.string().min(1).max(100).optional() });
const MastodonStartBody = z.strictObject({
  instanceUrl: webAddress('https://mastodon.social'),
  channelId: z.string().min(1).max(100).optional(),
});
/** Not strict: networks add their own parameters (iss, …). */
const CallbackQuery = z.object({
  state: z.string().max(512).optional(),
  code: z.string().max(2048).optional(),
  error: z.string().max(512).optional(),
  error_description: z.string().max(2048).optional(),
});

/** Org-scoped (registered inside channelRoutes): begin connecting an account by signing in on the network. */
export async function oauthStartRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const redirectUri = (request: { protocol: string; host: string }) => oauthRedirectUri(fastify.settings.publicUrl, request);

  // Networks signed in on through the operator's own app: one route each, the same shape.
  const appSignIns = [
    { network: 'x', summary: 'Start connecting an X account (OAuth 2.0 + PKCE); send the browser to authorizeUrl', start: startXAuthorization },
    {
      network: 'threads',
      summary: 'Start connecting a Threads account (OAuth 2.0 with the Meta app of this Chorus); send the browser to authorizeUrl',
      start: startThreadsAuthorization,
    },
    {
      network: 'linkedin',
      summary: 'Start connecting the LinkedIn pages a member administers (every one not yet connected); send the browser to authorizeUrl',
      start: startLinkedinAuthorization,
    },
    {
      network: 'facebook',
      summary:
        'Start connecting the Facebook Pages a person manages and their linked Instagram accounts (Facebook Login for Business; every one not yet connected, the others renewed); send the browser to authorizeUrl',
      start: startFacebookAuthorization,
    },
  ] as const;
  for (const signIn of appSignIns) {
    app.post(
      `/channels/oauth/${signIn.network}/start`,
      {
        config: { permission: 'channels.manage' },
        schema: { tags, summary: signIn.summary, body: AppStartBody, response: { 200: AuthorizeAnswer, ...errorAnswers } },
      },
      async (request) =>
        signIn.start(scopeOf(request), fastify.channels, fastify.settings.channelOAuth, {
          redirectUri: redirectUri(request),
          channelId: request.body.channelId,
        }),
    );
  }

  app.post(
    '/channels/oauth/mastodon/start',
    {
      config: { permission: 'channels.manage' },
      schema: {
        tags,
        summary: 'Start connecting a Mastodon account on any instance; send the browser to authorizeUrl',
        body: MastodonStartBody,
        response: { 200: AuthorizeAnswer, ...errorAnswers },
      },
    },
    async (request) =>
      startMastodonAuthorization(scopeOf(request), fastify.channels, fastify.clock, request.body.instanceUrl, {
        redirectUri: redirectUri(request),
        channelId: request.body.channelId,
      }),
  );
}

/** Where every network sends the browser back; answers with a redirect into the app, never with JSON. */
export async function oauthCallbackRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    OAUTH_CALLBACK_PATH,
    // Public so that a signed-out browser still lands on a page; the service checks the caller against the state.
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'OAuth callback of X, Mastodon, Threads, LinkedIn and Facebook (redirects to the channel settings)',
        querystring: CallbackQuery,
        response: { 303: NoBody, ...errorAnswers },
      },
    },
    async (request, reply) => {
      const outcome = await completeAuthorization(fastify.store.db, fastify.clock, fastify.channels, fastify.settings.channelOAuth, {
        state: request.query.state,
        code: request.query.code,
        error: request.query.error,
        errorDescription: request.query.error_description,
        userId: request.caller?.user.id ?? null,
      });
      if (outcome.error) request.log.info({ orgId: outcome.orgId, network: outcome.network, reason: outcome.error }, 'channel authorization not completed');
      return reply.redirect(landingPage(outcome), 303);
    },
  );
}

/**
 * The channel settings of the org, with `connected=<id>` once per channel connected and
 * `oauthError` for what was not; without a known org, the app's start page carries the message.
 */
function landingPage(outcome: OAuthOutcome): string {
  const query = new URLSearchParams();
  for (const id of 'channelIds' in outcome ? outcome.channelIds : []) query.append('connected', id);
  if (outcome.error) query.append('oauthError', outcome.error);
  if (outcome.error && outcome.network) query.append('network', outcome.network);
  return outcome.orgId ? `/orgs/${encodeURIComponent(outcome.orgId)}/settings/channels?${query}` : `/?${query}`;
}
