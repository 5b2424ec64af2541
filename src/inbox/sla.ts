import type { SlaState } from '../../core/api/inbox.js';
import type { ConversationsTable } from './tables.js';

/** A conversation is about to breach once three quarters of its SLA have passed unanswered. */
export const AT_RISK_SHARE = 0.25;

/** Where a conversation's first response stands against an SLA of `slaMinutes` (null: none) at `now`. */
export function slaOf(
  row: Pick<ConversationsTable, 'opened_at' | 'first_response_at' | 'status'>,
  slaMinutes: number | null,
  now: Date,
): { state: SlaState; dueAt: string | null } {
  if (slaMinutes === null) return { state: 'none', dueAt: null };
  const slaMs = slaMinutes * 60_000;
  const due = Date.parse(row.opened_at) + slaMs;
  const dueAt = new Date(due).toISOString();
  if (row.first_response_at !== null) return { state: Date.parse(row.first_response_at) <= due ? 'met' : 'breached', dueAt };
  if (row.status === 'closed') return { state: 'none', dueAt };
  const nowMs = now.getTime();
  if (nowMs > due) return { state: 'breached', dueAt };
  return { state: nowMs >= due - slaMs * AT_RISK_SHARE ? 'at_risk' : 'ok', dueAt };
}

/** The latest opening time a still-unanswered conversation may have and not yet be at risk: older ones are. */
export const atRiskOpenedBefore = (slaMinutes: number, now: Date): string => new Date(now.getTime() - slaMinutes * 60_000 * (1 - AT_RISK_SHARE)).toISOString();
