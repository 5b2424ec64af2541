import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireCaller } from '../http/authentication.js';
import { HttpError, forbidden } from '../http/errors.js';
import type { OrgDoor } from '../http/org-scoped.js';
import { OrgScope } from './org-scope.js';
import { can, isPermission, type Permission } from '../../core/policies.js';
import { memberAccess } from './service.js';

declare module '../http/context.js' {
  interface RequestOrgScope extends OrgScope {}
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Required on every org-scoped route; checked by the org door. */
    permission?: Permission;
  }
}

/**
 * Every org route must declare `config.permission` (startup fails otherwise). A non-member gets
 * 404, as if the org did not exist; a member the org refuses until they turn on two-factor
 * sign-in gets 403 `two_factor_required`; a member without the permission gets 403.
 */
export const orgDoor: OrgDoor = {
  checkRoute(route) {
    if (!isPermission(route.config?.permission)) {
      throw new Error(`Org-scoped route ${route.method} ${route.url} must declare config.permission`);
    }
  },
  async open(app: FastifyInstance, request: FastifyRequest, orgId: string): Promise<OrgScope> {
    const caller = requireCaller(request);
    const access = await memberAccess(app.store.db, orgId, caller.user.id);
    if (!access) throw new HttpError(404, 'org_not_found', 'Organization not found');
    if (access.mustEnableTwoFactor) {
      throw new HttpError(403, 'two_factor_required', 'This organization requires two-factor sign-in: turn it on in your account settings first');
    }
    const { role } = access;
    const permission = request.routeOptions.config.permission!;
    if (!can(role, permission)) throw forbidden(`Your role (${role}) does not allow ${permission}`);
    return new OrgScope(app.store.db, orgId, { userId: caller.user.id, role }, app.clock);
  },
};
