import type { Selectable } from 'kysely';
import type { Clock } from '../lib/clock.js';
import { ringBells } from '../notifications/bell-signal.js';
import { notifyMembers } from '../notifications/service.js';
import type { Store } from '../store/store.js';
import { OrgScope } from '../teams/org-scope.js';
import { listMembers } from '../teams/service.js';
import { can } from '../../core/policies.js';
import { TOKEN_WARNING_DAYS } from '../../core/token-warning.js';
import { SYSTEM_ACTOR } from './publishing-directory.js';
import { CONNECTORS } from './registry.js';
import type { ChannelAccountsTable } from './tables.js';
import { endToShow, expiredTokenHealth } from './token-expiry.js';

const TOKEN_WARNING_MS = TOKEN_WARNING_DAYS * 24 * 60 * 60_000;

type NoticedChannel = Pick<Selectable<ChannelAccountsTable>, 'id' | 'org_id' | 'network' | 'display_name' | 'token_expires_at'>;
const NOTICED_COLUMNS = ['id', 'org_id', 'network', 'display_name', 'token_expires_at'] as const;

/**
 * One round of the bell's channel notices, for every org: a token within two weeks of its end
 * (once per end), and a channel that needs reconnecting (once per breakage; its health being ok
 * again clears the mark). A token past its end needs reconnecting even if nothing read the
 * channel since. Each notice is claimed by a conditional update in the transaction that writes
 * it, so any number of workers tell each one once. Returns how many channels were told of.
 */
export async function noticeChannelTokens(store: Store, clock: Clock): Promise<number> {
  const now = clock().toISOString();
  const scopeFor = (orgId: string) => new OrgScope(store.db, orgId, SYSTEM_ACTOR, clock);

  const expired = await store.db
    .selectFrom('channel_accounts')
    .select(['id', 'org_id', 'token_expires_at'])
    .where('token_expires_at', '<=', now)
    .where('health_status', '!=', 'needs_reconnect')
    .execute();
  for (const row of expired) {
    const health = expiredTokenHealth(row.token_expires_at, new Date(now));
    if (!health) continue;
    await scopeFor(row.org_id)
      .updateTable('channel_accounts')
      .set({ health_status: health.status, health_reason: health.reason ?? null, last_checked_at: now })
      // Unless reconnected since it was read: the new token has another end, and its health is its own.
      .where('id', '=', row.id)
      .where('token_expires_at', '=', row.token_expires_at)
      .execute();
  }

  let told = 0;
  const ending = await store.db
    .selectFrom('channel_accounts')
    .select(NOTICED_COLUMNS)
    .where('token_expires_at', '>', now)
    .where('token_expires_at', '<=', new Date(Date.parse(now) + TOKEN_WARNING_MS).toISOString())
    .where((eb) => eb.or([eb('token_end_noticed', 'is', null), eb('token_end_noticed', '!=', eb.ref('token_expires_at'))]))
    .execute();
  // A token Chorus renews by itself only needs a person once its renewal window began (what the channel shows).
  for (const row of ending.filter((r) => endToShow(r.token_expires_at, CONNECTORS[r.network]?.tokenExpiry?.renewedWithinMs, now) !== null)) {
    const end = row.token_expires_at!;
    const sent = await tell(
      store,
      scopeFor(row.org_id),
      row,
      'channel.token_ending',
      `Reconnect ${channelName(row)} before ${end.slice(0, 10)}: its access token ends then`,
      (tx) =>
        tx
          .updateTable('channel_accounts')
          .set({ token_end_noticed: end })
          .where('id', '=', row.id)
          .where('token_expires_at', '=', end)
          .where((eb) => eb.or([eb('token_end_noticed', 'is', null), eb('token_end_noticed', '!=', end)]))
          .executeTakeFirst(),
    );
    if (sent) told++;
  }

  const broken = await store.db
    .selectFrom('channel_accounts')
    .select(NOTICED_COLUMNS)
    .where('health_status', '=', 'needs_reconnect')
    .where('reconnect_noticed_at', 'is', null)
    .execute();
  for (const row of broken) {
    const sent = await tell(
      store,
      scopeFor(row.org_id),
      row,
      'channel.needs_reconnect',
      `Reconnect ${channelName(row)}: publishing to it fails until then`,
      (tx) =>
        tx
          .updateTable('channel_accounts')
          .set({ reconnect_noticed_at: now })
          .where('id', '=', row.id)
          .where('health_status', '=', 'needs_reconnect')
          .where('reconnect_noticed_at', 'is', null)
          .executeTakeFirst(),
    );
    if (sent) told++;
  }
  return told;
}

const channelName = (row: NoticedChannel) => `${row.display_name} (${CONNECTORS[row.network]?.label ?? row.network})`;

/** Claims the notice and puts it in the bell of everyone who may reconnect the channel, in one transaction; false when another worker had claimed it. */
async function tell(
  store: Store,
  scope: OrgScope,
  row: NoticedChannel,
  kind: string,
  title: string,
  claim: (tx: OrgScope) => Promise<{ numUpdatedRows: bigint }>,
): Promise<boolean> {
  const told = await scope.transaction(async (tx) => {
    if (Number((await claim(tx)).numUpdatedRows) !== 1) return null;
    const admins = (await listMembers(tx)).filter((m) => can(m.role, 'channels.manage')).map((m) => m.userId);
    // The body names the channel; the web words the title in the reader's language from the kind.
    return notifyMembers(tx, admins, { kind, title, body: channelName(row), link: `/orgs/${row.org_id}/settings/channels` });
  });
  if (told === null) return false;
  await ringBells(store, row.org_id, told);
  return true;
}
