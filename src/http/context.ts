import type { ClickRecorder } from '../analytics/click-recorder.js';
import type { LoginThrottlePolicy } from '../accounts/login-throttle.js';
import type { UserView } from '../accounts/users.js';
import type { ChannelOAuthSettings } from '../channels/oauth/settings.js';
import type { ChannelsEnvironment } from '../channels/service.js';
import type { AddressPolicy } from '../lib/outbound-http/address-policy.js';
import type { Clock, Delay } from '../lib/clock.js';
import type { Store } from '../store/store.js';
import type { OrgScope } from '../teams/org-scope.js';
import type { Permission } from '../teams/policies.js';

/** Who is calling: resolved once per request by the authentication hook. */
export interface Caller {
  user: UserView;
  via: 'session' | 'token';
  /** Set for cookie sessions only. */
  sessionIdHash: string | null;
  csrfToken: string | null;
}

export interface ServerSettings {
  secureCookies: 'auto' | 'always' | 'never';
  publicUrl: string | undefined;
  loginThrottle: LoginThrottlePolicy;
  /** How password checks at a much-attacked account wait (tests record instead of sleeping). */
  loginSlowdown: Delay;
  /** Encrypts secrets at rest (network credentials); from CHORUS_SECRET_KEY or <data dir>/secret.key. */
  secretKey: string;
  /** Which addresses outbound requests to user-chosen URLs may reach (CHORUS_ALLOW_PRIVATE_NETWORK). */
  addressPolicy: AddressPolicy;
  channelOAuth: ChannelOAuthSettings;
  /** Base of short URLs (CHORUS_SHORT_URL_BASE); unset: the public URL, else the request's own address. */
  shortUrlBase: string | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    store: Store;
    clock: Clock;
    settings: ServerSettings;
    /** Sealed credentials and guarded outbound HTTP for every connector call, built once from the settings. */
    channels: ChannelsEnvironment;
    /** Every route, for the cross-org test that walks them all. */
    registeredRoutes: { method: string; url: string }[];
    /** Buffers short link clicks and writes them in batches (analytics/click-recorder.ts). */
    clickRecorder: ClickRecorder;
  }
  interface FastifyRequest {
    caller: Caller | null;
    /** Set on routes under /api/orgs/:orgId once membership and permission are checked. */
    orgScope: OrgScope | null;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in. */
    public?: boolean;
    /** Public and never needs to know who calls (probes, static files, docs): the caller is not resolved. */
    anonymous?: boolean;
    /** Only the instance admin (the first user) may call it; checked by the authentication hook. */
    instanceAdmin?: boolean;
    /** Answers only a bodiless redirect (the short links): the page security headers are left out. */
    bodilessRedirect?: boolean;
    /** Required on every org-scoped route; checked by the org-scope hook. */
    permission?: Permission;
  }
}
