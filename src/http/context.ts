import type { AddressPolicy } from '../lib/outbound-http/address-policy.js';
import type { Clock } from '../lib/clock.js';
import type { Store } from '../store/store.js';

/**
 * Who is calling: resolved once per request by the authentication hook. The toolkit knows no
 * module, so the accounts module says what a caller is (src/accounts/authentication.ts adds to
 * this interface by declaration merging).
 */
export interface Caller {}

/** The org a request is scoped to; the teams module fills it in (src/teams/org-door.ts). */
export interface RequestOrgScope {}

/** Settings every request can read; modules add their own (accounts: login throttling, channels: OAuth apps). */
export interface ServerSettings {
  secureCookies: 'auto' | 'always' | 'never';
  publicUrl: string | undefined;
  /** Encrypts secrets at rest (network credentials); from CHORUS_SECRET_KEY or <data dir>/secret.key. */
  secretKey: string;
  /** Which addresses outbound requests to user-chosen URLs may reach (CHORUS_ALLOW_PRIVATE_NETWORK). */
  addressPolicy: AddressPolicy;
}

declare module 'fastify' {
  interface FastifyInstance {
    store: Store;
    clock: Clock;
    settings: ServerSettings;
    /** Every route, for the cross-org test that walks them all. */
    registeredRoutes: { method: string; url: string; responses: string[] }[];
  }
  interface FastifyRequest {
    caller: Caller | null;
    /** Set on routes under /api/orgs/:orgId once membership and permission are checked. */
    orgScope: RequestOrgScope | null;
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
  }
}
