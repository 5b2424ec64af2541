import type { FastifyBaseLogger } from 'fastify';
import type { Network, StreamKind } from '../channels/connector.js';
import { SYSTEM_ACTOR } from '../channels/publishing-directory.js';
import { accountsOnNetworks } from '../channels/org-accounts.js';
import type { Clock } from '../lib/clock.js';
import { startJobLoop, type RunningJobLoop } from '../lib/job-loop.js';
import { ringBells } from '../notifications/bell-signal.js';
import { notifyMembers } from '../notifications/service.js';
import { keepIngestJob } from '../streams/jobs.js';
import type { Store } from '../store/store.js';
import { OrgScope } from '../teams/org-scope.js';
import { listMembers } from '../teams/service.js';
import { roleAtLeast } from '../../core/policies.js';
import { conversationsChanged } from './signals.js';
import { atRiskOpenedBefore } from './sla.js';

/** The streams of each network that carry what people say to the org: its mentions, or a chat network's messages (the team feed and blogs have no conversations). */
const INBOX_STREAMS: Partial<Record<Network, StreamKind[]>> = {
  bluesky: ['mentions'],
  mastodon: ['mentions'],
  x: ['mentions'],
  line: ['messages'],
  // Replies to the account's recent posts (Threads) and comments on the page's posts (LinkedIn).
  threads: ['mentions'],
  linkedin: ['mentions'],
  // Comments on the Page's posts and Messenger chats (Facebook); comments on the account's media and mentions of it (Instagram).
  facebook: ['mentions', 'messages'],
  instagram: ['mentions'],
};
export const CONVERSATION_NETWORKS = Object.keys(INBOX_STREAMS) as Network[];

/** Every connected account's inbox stream is read, with or without a column showing it. */
export async function keepMentionJobs(store: Store, clock: Clock): Promise<number> {
  const accounts = await accountsOnNetworks(store.db, CONVERSATION_NETWORKS);
  for (const account of accounts) {
    for (const kind of INBOX_STREAMS[account.network] ?? [])
      await keepIngestJob(new OrgScope(store.db, account.orgId, SYSTEM_ACTOR, clock), { channelAccountId: account.id, network: account.network, kind });
  }
  return accounts.length;
}

/**
 * Warns once per conversation that is about to breach its org's SLA: its assignee, or every
 * editor and above while unassigned. Claimed by setting sla_warned_at, so several workers warn once.
 */
export async function warnAboutSla(store: Store, clock: Clock): Promise<number> {
  const now = clock();
  const orgs = await store.db.selectFrom('inbox_settings').select(['org_id', 'sla_minutes']).where('sla_minutes', 'is not', null).execute();
  let warned = 0;
  for (const org of orgs) {
    const scope = new OrgScope(store.db, org.org_id, SYSTEM_ACTOR, clock);
    const due = await scope
      .selectFrom('conversations')
      .selectAll()
      .where('status', '!=', 'closed')
      .where('first_response_at', 'is', null)
      .where('sla_warned_at', 'is', null)
      .where('opened_at', '<=', atRiskOpenedBefore(org.sla_minutes!, now))
      .limit(100)
      .execute();
    const changed: string[] = [];
    for (const row of due) {
      const claimed = await scope
        .updateTable('conversations')
        .set({ sla_warned_at: now.toISOString() })
        .where('id', '=', row.id)
        .where('sla_warned_at', 'is', null)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) === 0) continue;
      const members = row.assignee_user_id
        ? [row.assignee_user_id]
        : (await listMembers(scope)).filter((m) => roleAtLeast(m.role, 'editor')).map((m) => m.userId);
      const told = await notifyMembers(scope, members, {
        kind: 'conversation.sla_warning',
        title: `Answer ${row.author_display_name || row.author_handle} soon: the response time target is close`,
        body: `@${row.author_handle} on ${row.network}`,
        link: `/orgs/${org.org_id}/inbox?conversation=${row.id}`,
      });
      await ringBells(store, org.org_id, told);
      changed.push(row.id);
      warned++;
    }
    await conversationsChanged(store, org.org_id, changed);
  }
  return warned;
}

/** The inbox's background loop: mentions jobs for new accounts, and SLA warnings, every `pollMs`. */
export function startInboxWorker(options: { store: Store; clock: Clock; pollMs?: number; logger?: FastifyBaseLogger }): RunningJobLoop {
  const round = async () => {
    await keepMentionJobs(options.store, options.clock);
    await warnAboutSla(options.store, options.clock);
    return 0;
  };
  return startJobLoop({ name: 'inbox', round, batchSize: 1, pollMs: options.pollMs ?? 10_000, logger: options.logger });
}
