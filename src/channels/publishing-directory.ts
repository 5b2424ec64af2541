import type { Kysely } from 'kysely';
import type { Clock } from '../lib/clock.js';
import type { ChannelDirectory, PublishingChannel } from './channel-directory.js';
import type { Database } from '../store/database.js';
import { OrgScope } from '../teams/org-scope.js';
import { membershipRole } from '../teams/service.js';
import { ConnectorPool } from './connector-pool.js';
import { openConnector, type ChannelsEnvironment } from './service.js';

/** Workers act for the org itself, not for a signed-in member; audit entries name this actor. */
export const SYSTEM_ACTOR = { userId: 'system', role: 'owner' } as const;

/**
 * The channels module's answer to publishing: which accounts an org has and a connector for one.
 * Everything goes through an OrgScope, so a post can only ever reach its own org's accounts.
 */
export function channelDirectory(db: Kysely<Database>, clock: Clock, env: ChannelsEnvironment): ChannelDirectory {
  const scopeFor = (orgId: string) => new OrgScope(db, orgId, SYSTEM_ACTOR, clock);
  const connectors = new ConnectorPool();
  const memberScope = async (orgId: string, userId: string) => {
    // A former member keeps authorship of what they scheduled, with no rights beyond reading.
    const role = (await membershipRole(db, orgId, userId)) ?? 'viewer';
    return new OrgScope(db, orgId, { userId, role }, clock);
  };
  return {
    async listChannels(orgId: string, ids: string[]): Promise<PublishingChannel[]> {
      if (ids.length === 0) return [];
      const rows = await scopeFor(orgId)
        .selectFrom('channel_accounts')
        .select(['id', 'network', 'display_name', 'text_limit'])
        .where('id', 'in', ids)
        .execute();
      // The limit the account's connector reported (a Mastodon instance sets its own); else its network's rule stands.
      return rows.map((row) => ({ id: row.id, network: row.network, displayName: row.display_name, ...(row.text_limit ? { textLimit: row.text_limit } : {}) }));
    },
    async listAllChannels(orgId: string): Promise<PublishingChannel[]> {
      const rows = await scopeFor(orgId).selectFrom('channel_accounts').select(['id', 'network', 'display_name', 'handle']).execute();
      return rows.map((row) => ({ id: row.id, network: row.network, displayName: row.display_name, handle: row.handle }));
    },
    async connectorFor(orgId: string, channelAccountId: string, actingUserId?: string) {
      const scope = actingUserId ? await memberScope(orgId, actingUserId) : scopeFor(orgId);
      const row = await scope.selectFrom('channel_accounts').selectAll().where('id', '=', channelAccountId).executeTakeFirst();
      if (!row) return { ok: false, reason: 'The account was removed from Chorus' };
      const key = [orgId, row.id, row.network, actingUserId ?? '', scope.actor.role, row.credentials].join('\n');
      return connectors.get(key, clock().getTime(), () => openConnector(scope, env, row));
    },
  };
}
