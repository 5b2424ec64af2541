import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import type { Network } from './connector.js';
import type { OrgScope } from '../teams/org-scope.js';

/** A connected account as other modules need to recognize it: who the org is on each network. */
export interface OrgAccount {
  id: string;
  network: Network;
  handle: string;
  /** The account's id on its network (Bluesky: its DID). */
  remoteId: string;
}

export async function orgAccounts(scope: OrgScope): Promise<OrgAccount[]> {
  const rows = await scope.selectFrom('channel_accounts').select(['id', 'network', 'handle', 'remote_id']).orderBy('created_at').execute();
  return rows.map((row) => ({ id: row.id, network: row.network, handle: row.handle, remoteId: row.remote_id }));
}

/** Every org's connected accounts on the given networks, for background jobs that serve all orgs. */
export async function accountsOnNetworks(db: Kysely<Database>, networks: Network[]): Promise<(OrgAccount & { orgId: string })[]> {
  if (networks.length === 0) return [];
  const rows = await db
    .selectFrom('channel_accounts')
    .select(['id', 'org_id', 'network', 'handle', 'remote_id'])
    .where('network', 'in', networks)
    .orderBy('created_at')
    .execute();
  return rows.map((row) => ({ id: row.id, orgId: row.org_id, network: row.network, handle: row.handle, remoteId: row.remote_id }));
}
