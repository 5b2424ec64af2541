import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import type { Network } from './connector.js';
import { CONNECTORS } from './registry.js';

export interface MeasuredAccount {
  orgId: string;
  channelAccountId: string;
  network: Network;
}

/** Every connected account this build has a connector for (workers: the daily follower snapshots; the connector says whether it counts followers). */
export async function accountsWithAccountMetrics(db: Kysely<Database>): Promise<MeasuredAccount[]> {
  const rows = await db.selectFrom('channel_accounts').select(['org_id', 'id', 'network']).orderBy('id').execute();
  return rows.filter((r) => CONNECTORS[r.network] !== undefined).map((r) => ({ orgId: r.org_id, channelAccountId: r.id, network: r.network }));
}
