import type { FastifyInstance, FastifyPluginAsync, FastifyRequest, RouteOptions } from 'fastify';
import type { RequestOrgScope } from './context.js';

export const ORG_PREFIX = '/api/orgs/:orgId';

/** What decides who may enter an org's routes; the teams module provides it (src/teams/org-door.ts). */
export interface OrgDoor {
  /** Runs once per org route at startup: throws when the route does not say what it needs. */
  checkRoute(route: RouteOptions): void;
  /** Opens the org to the caller of the request, or throws the 4xx that says why not. */
  open(app: FastifyInstance, request: FastifyRequest, orgId: string): Promise<RequestOrgScope>;
}

/**
 * Registers modules' org-owned routes under /api/orgs/:orgId. Every route is checked by the door
 * at startup, and before any handler runs the door opens the org to the caller and
 * `request.orgScope` is set; handlers never read the org id from the URL.
 */
export function orgScopedRoutes(door: OrgDoor, modules: FastifyPluginAsync[]): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    app.decorateRequest('orgScope', null);
    app.addHook('onRoute', (route) => door.checkRoute(route));
    app.addHook('onRequest', async (request) => {
      request.orgScope = await door.open(app, request, (request.params as { orgId?: string }).orgId ?? '');
    });
    for (const module of modules) await app.register(module);
  };
}

export function scopeOf(request: FastifyRequest): RequestOrgScope {
  if (!request.orgScope) throw new Error('orgScope missing: route registered outside orgScopedRoutes');
  return request.orgScope;
}
