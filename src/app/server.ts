import { randomBytes } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { DEFAULT_LOGIN_THROTTLE, type LoginThrottlePolicy } from '../accounts/login-throttle.js';
import { passwordResetRoutes } from '../accounts/password-reset-routes.js';
import { accountRoutes } from '../accounts/routes.js';
import { sessionRoutes } from '../accounts/session-routes.js';
import { twoFactorRoutes } from '../accounts/two-factor-routes.js';
import { channelsEnvironment } from '../channels/environment.js';
import { lineWebhookRoutes } from '../channels/line/webhook-routes.js';
import { metaWebhookRoutes } from '../channels/facebook/webhook-routes.js';
import { oauthCallbackRoutes } from '../channels/oauth/routes.js';
import { channelDirectory } from '../channels/publishing-directory.js';
import { channelRoutes } from '../channels/routes.js';
import { crmPipelineRoutes } from '../crm/pipeline-routes.js';
import { crmRoutes } from '../crm/routes.js';
import { teamFeedRoutes } from '../team-feed/routes.js';
import { analyticsRoutes } from '../analytics/routes.js';
import { startClickRecorder } from '../analytics/click-recorder.js';
import { LinkCache } from '../analytics/link-cache.js';
import { linkShorteningAtPublish } from '../analytics/publish-links.js';
import { redirectRoutes } from '../analytics/redirect-routes.js';
import { VisitorRateLimit } from '../analytics/visitor-rate-limit.js';
import { openOffThreadWriter } from '../store/off-thread-writes.js';
import { formRoutes } from '../forms/routes.js';
import { publicFormRoutes } from '../forms/public-routes.js';
import { campaignRoutes, requireCampaign } from '../campaigns/routes.js';
import { campaignReplies } from '../campaigns/service.js';
import { realDelay, systemClock, type Clock, type Delay } from '../lib/clock.js';
import { smtpMailer, type MailSettings } from '../lib/mail.js';
import { backupRoutes, type BackupRouteOptions } from '../ops/backup/routes.js';
import { idempotentRequests } from '../idempotency/idempotent-requests.js';
import { inboxRoutes } from '../inbox/routes.js';
import { conversationExists } from '../inbox/service.js';
import { teamPostExists } from '../team-feed/service.js';
import { exportRoutes } from '../ops/export/routes.js';
import type { StatusSettings } from '../ops/status/service.js';
import { statusRoutes } from '../ops/status/routes.js';
import { statusSettings } from '../ops/status/settings.js';
import type { AddressPolicy } from '../lib/outbound-http/address-policy.js';
import type { ChannelOAuthSettings } from '../channels/oauth/settings.js';
import type { ChannelDirectory } from '../channels/channel-directory.js';
import { notificationRoutes } from '../notifications/routes.js';
import { publishingRoutes } from '../publishing/routes.js';
import { publicImagesFor } from '../public-media/host.js';
import { publicMediaRoutes } from '../public-media/routes.js';
import { streamListeners, streamNotifier } from '../streams/live.js';
import { IMAGE_PROXY_DEFAULTS, type ImageProxySettings } from '../image-proxy/fetch-image.js';
import { imageProxyRoutes } from '../image-proxy/routes.js';
import { ImageUrlSigner } from '../image-proxy/signature.js';
import { streamsRoutes } from '../streams/routes.js';
import { pollStreamsNow } from '../streams/jobs.js';
import type { Store } from '../store/store.js';
import { orgRoutes, teamRoutes } from '../teams/routes.js';
import { createOrg, listOrgsForUser } from '../teams/service.js';
import { apiDocs } from '../http/api-docs.js';
import { authentication } from '../accounts/authentication.js';
import { orgDoor } from '../teams/org-door.js';
import type { ServerSettings } from '../http/context.js';
import { installErrorHandlers } from '../http/errors.js';
import { healthRoutes } from '../http/health.js';
import { migrationStatus } from './migrations.js';
import { securityHeaders } from '../http/security-headers.js';
import { metrics } from '../http/metrics.js';
import { refuseNulCharacters } from '../http/nul-characters.js';
import { ORG_PREFIX, orgScopedRoutes } from '../http/org-scoped.js';
import { LoggedUrls } from '../http/request-log.js';
import { DEFAULT_WEB_ROOT, webApp } from '../http/web-app.js';
import './module-ports.js';

export interface ServerOptions {
  store: Store;
  clock?: Clock;
  /** A pino logger (the CLI's); tests run silent. */
  logger?: FastifyBaseLogger;
  trustProxy?: boolean;
  secureCookies?: ServerSettings['secureCookies'];
  publicUrl?: string | undefined;
  loginThrottle?: LoginThrottlePolicy;
  /** How the login slowdown waits; tests record the wait instead of sleeping. */
  loginSlowdown?: Delay;
  /** Outgoing mail (password reset links); without an SMTP URL, Chorus sends none. */
  mail?: MailSettings;
  secretKey?: string;
  /** Private and loopback addresses stay refused unless this allows them (tests' local peers do). */
  addressPolicy?: AddressPolicy;
  /** The operator's X app; without one, X is connected by pasting tokens. */
  channelOAuth?: ChannelOAuthSettings;
  /** Publishing's view of connected accounts; defaults to the channels module (tests script their own). */
  channelDirectory?: ChannelDirectory;
  /** Folder of the built SPA; null serves the API only. */
  webRoot?: string | null;
  /** Largest accepted request body. */
  bodyLimit?: number;
  /** Enables the instance admin's backup routes (serve always passes it). */
  backups?: BackupRouteOptions;
  /** Status page settings (SLA policy, silence that counts as down); defaults when not given. */
  status?: StatusSettings;
  /** The store's URL: on PostgreSQL, live stream updates LISTEN on a connection of their own. */
  databaseUrl?: string;
  /** Image proxy limits (size cap, deadline, browser cache time); tests shorten the deadline. */
  imageProxy?: Partial<ImageProxySettings>;
  /** Short links: base URL, per-address redirect limit, how often clicks are written (1 s). */
  shortLinks?: { baseUrl?: string | undefined; ratePerMinute?: number; flushEveryMs?: number; offThreadWrites?: boolean };
}

export interface RegisteredRoute {
  method: string;
  url: string;
  /** The status codes (or 2xx-style ranges) the route declares a response schema for. */
  responses: string[];
}

export const VERSION = '0.1.0';

/** Assembles the whole HTTP server; every capability module plugs in here, nowhere else. */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  // Invitation links and OAuth codes are keys: the request log shows where a request went, never them.
  const loggedUrls = new LoggedUrls();
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger.child({}, { serializers: { req: loggedUrls.serializer() } }) } : { logger: false }),
    trustProxy: options.trustProxy ?? false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // The SPA and the API share one origin; no route needs a trailing-slash twin.
    routerOptions: { ignoreTrailingSlash: true },
    // A HEAD twin for every GET was ~40 % of building the server (bench/README.md, "Session 10"); API
    // clients do not send HEAD. Routes that monitors, crawlers and link unfurlers probe ask for one
    // (`exposeHeadRoute: true`: probes, the status page, short links, public forms and media); static files have their own.
    exposeHeadRoutes: false,
  });
  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat())
      if (method !== 'HEAD') routes.push({ method, url: route.url, responses: Object.keys(route.schema?.response ?? {}) });
    loggedUrls.addRoute(route.url);
  });
  app.decorate('registeredRoutes', routes);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('store', options.store);
  app.decorate('clock', options.clock ?? systemClock);
  app.decorate('settings', {
    secureCookies: options.secureCookies ?? 'auto',
    publicUrl: options.publicUrl,
    loginThrottle: options.loginThrottle ?? DEFAULT_LOGIN_THROTTLE,
    loginSlowdown: options.loginSlowdown ?? realDelay,
    // Tests and API-only embeddings get a throwaway key; `chorus serve` always passes the real one.
    secretKey: options.secretKey ?? randomBytes(32).toString('base64url'),
    addressPolicy: options.addressPolicy ?? { allowPrivateNetwork: false },
    channelOAuth: options.channelOAuth ?? { x: null, threads: null, linkedin: null, facebook: null },
    shortUrlBase: options.shortLinks?.baseUrl,
  } satisfies ServerSettings);
  const channels = channelsEnvironment(app.settings.secretKey, app.settings.addressPolicy, publicImagesFor(app.settings));
  app.decorate('channels', channels);
  installErrorHandlers(app);
  const outboundFetch = () => channels.fetch;
  const directory = options.channelDirectory ?? channelDirectory(options.store.db, app.clock, channels);

  await app.register(securityHeaders);
  await app.register(fastifyCookie);
  await app.register(apiDocs, {
    openapi: {
      info: {
        title: 'Chorus API',
        version: VERSION,
        description:
          'Social media dashboard and social CRM. Authenticate with a session cookie (+ X-CSRF-Token on writes) or `Authorization: Bearer chorus_pat_...`.',
      },
      components: { securitySchemes: { apiToken: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiToken: [] }],
    },
  });
  await app.register(metrics);
  await app.register(authentication);
  await app.register(idempotentRequests);
  await app.register(refuseNulCharacters);

  await app.register(healthRoutes(migrationStatus));
  await app.register(accountRoutes, { orgs: { createOrg, listOrgsForUser } });
  await app.register(sessionRoutes);
  await app.register(twoFactorRoutes, { orgs: { createOrg, listOrgsForUser } });
  const mailer = options.mail?.smtpUrl ? smtpMailer({ smtpUrl: options.mail.smtpUrl, from: options.mail.from }) : null;
  app.addHook('onClose', async () => mailer?.close());
  await app.register(passwordResetRoutes(mailer));
  await app.register(teamRoutes);
  await app.register(oauthCallbackRoutes);
  await app.register(lineWebhookRoutes);
  await app.register(metaWebhookRoutes, { onStored: (channelId, kinds) => pollStreamsNow(app.store.db, channelId, kinds, app.clock()) });
  const listeners = streamListeners(options.store, options.databaseUrl, (error) => app.log.warn({ err: error }, 'stream events connection lost; reconnecting'));
  // Ready means ready for live updates too: LISTEN is in place before the first SSE client connects.
  app.addHook('onReady', () => listeners.ready());
  app.addHook('onClose', () => listeners.close());
  const notifier = streamNotifier(options.store);
  const streams = streamsRoutes({ directory, listeners, notifier });
  const imageProxy = imageProxyRoutes(new ImageUrlSigner(app.settings.secretKey), { ...IMAGE_PROXY_DEFAULTS, ...options.imageProxy });
  const orgModules = [
    orgRoutes,
    exportRoutes,
    channelRoutes,
    teamFeedRoutes,
    publishingRoutes(directory, outboundFetch, linkShorteningAtPublish(app.settings.shortUrlBase ?? app.settings.publicUrl)),
    notificationRoutes(outboundFetch, app.settings.addressPolicy),
    streams,
    imageProxy,
    crmRoutes,
    inboxRoutes({ directory, listeners, notifier, campaignReplies }),
    analyticsRoutes,
    crmPipelineRoutes({ conversationExists, teamPostExists }),
    formRoutes(requireCampaign),
    campaignRoutes,
  ];
  await app.register(orgScopedRoutes(orgDoor, orgModules), { prefix: ORG_PREFIX });
  await app.register(publicFormRoutes);
  await app.register(publicMediaRoutes);
  if (options.backups) await app.register(backupRoutes(options.backups));
  await app.register(statusRoutes(options.status ?? statusSettings()));
  const offThread = options.shortLinks?.offThreadWrites === false ? null : openOffThreadWriter(options.store);
  const clicks = startClickRecorder({ db: options.store.db, flushEveryMs: options.shortLinks?.flushEveryMs, logger: app.log, offThread });
  // Registered after the other hooks' onClose: the last clicks are written before the store closes.
  app.addHook('onClose', async () => {
    await clicks.close();
    await offThread?.close();
  });
  app.decorate('clickRecorder', clicks);
  await app.register(
    redirectRoutes({ cache: new LinkCache(options.store.db), recorder: clicks, limit: new VisitorRateLimit(options.shortLinks?.ratePerMinute ?? 600) }),
  );

  await app.register(webApp, { root: options.webRoot === undefined ? DEFAULT_WEB_ROOT : options.webRoot });
  return app;
}
