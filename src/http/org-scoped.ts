import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { OrgScope } from '../teams/org-scope.js';
import { can, isPermission } from '../teams/policies.js';
import { memberAccess } from '../teams/service.js';
import { requireCaller } from './authentication.js';
import { HttpError, forbidden } from './errors.js';

export const ORG_PREFIX = '/api/orgs/:orgId';

/**
 * Registers a module's org-owned routes under /api/orgs/:orgId. Every route must declare
 * `config.permission` (startup fails otherwise); before any handler runs, the caller's
 * membership and role are checked here and `request.orgScope` is set. A non-member gets 404,
 * as if the org did not exist; a member the org refuses until they turn on two-factor sign-in
 * gets 403 `two_factor_required`; a member without the permission gets 403.
 */
export function orgScopedRoutes(modules: FastifyPluginAsync[]): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    app.decorateRequest('orgScope', null);
    app.addHook('onRoute', (route) => {
      if (!isPermission(route.config?.permission)) {
        throw new Error(`Org-scoped route ${route.method} ${route.url} must declare config.permission`);
      }
    });
    app.addHook('onRequest', async (request) => {
      request.orgScope = await authorize(app, request);
    });
    for (const module of modules) await app.register(module);
  };
}

async function authorize(app: FastifyInstance, request: FastifyRequest): Promise<OrgScope> {
  const caller = requireCaller(request);
  const orgId = (request.params as { orgId?: string }).orgId ?? '';
  const access = await memberAccess(app.store.db, orgId, caller.user.id);
  if (!access) throw new HttpError(404, 'org_not_found', 'Organization not found');
  if (access.mustEnableTwoFactor) {
    throw new HttpError(403, 'two_factor_required', 'This organization requires two-factor sign-in: turn it on in your account settings first');
  }
  const { role } = access;
  const permission = request.routeOptions.config.permission!;
  if (!can(role, permission)) throw forbidden(`Your role (${role}) does not allow ${permission}`);
  return new OrgScope(app.store.db, orgId, { userId: caller.user.id, role }, app.clock);
}

export function scopeOf(request: FastifyRequest): OrgScope {
  if (!request.orgScope) throw new Error('orgScope missing: route registered outside orgScopedRoutes');
  return request.orgScope;
}
