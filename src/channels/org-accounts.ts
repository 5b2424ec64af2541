import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import type { AccountHealth, Network } from './connector.js';
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

/** The handle of one of the org's accounts (who a reply is sent as); undefined when the account is gone. */
export async function accountHandle(scope: OrgScope, channelAccountId: string): Promise<string | undefined> {
  const row = await scope.selectFrom('channel_accounts').select('handle').where('id', '=', channelAccountId).executeTakeFirst();
  return row?.handle;
}

/** The network ids of these accounts, by account id, across orgs (workers: push streams watch who is addressed). */
export async function remoteIdsOf(db: Kysely<Database>, channelAccountIds: string[]): Promise<Map<string, string>> {
  if (channelAccountIds.length === 0) return new Map();
  const rows = await db.selectFrom('channel_accounts').select(['id', 'remote_id']).where('id', 'in', channelAccountIds).execute();
  return new Map(rows.map((row) => [row.id, row.remote_id]));
}

/** Every org's accounts on `network` whose network id is one of `remoteIds` (a pushed post names who it addresses by network id). */
export async function accountIdsWithRemoteIds(db: Kysely<Database>, network: Network, remoteIds: string[]): Promise<string[]> {
  if (remoteIds.length === 0) return [];
  const rows = await db.selectFrom('channel_accounts').select('id').where('network', '=', network).where('remote_id', 'in', remoteIds).execute();
  return rows.map((row) => row.id);
}

/** An account's last recorded health, without who it is (the public status page). */
export interface RecordedHealth {
  network: Network;
  status: AccountHealth['status'];
  /** Null before the account was ever checked or read. */
  checkedAt: string | null;
}

/** The recorded health of every org's accounts on the given networks; nothing is asked of a network. */
export async function recordedHealthOnNetworks(db: Kysely<Database>, networks: Network[]): Promise<RecordedHealth[]> {
  if (networks.length === 0) return [];
  const rows = await db.selectFrom('channel_accounts').select(['network', 'health_status', 'last_checked_at']).where('network', 'in', networks).execute();
  return rows.map((row) => ({ network: row.network, status: row.health_status, checkedAt: row.last_checked_at }));
}
