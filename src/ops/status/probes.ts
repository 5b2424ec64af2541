import type { Kysely } from 'kysely';
import { newId } from '../../lib/ids.js';
import type { Database } from '../../store/database.js';
import { inTransaction } from '../../store/transaction.js';
import type { ComponentState } from './tables.js';

export interface ProbeOutcome {
  ok: boolean;
  detail: string;
}

/**
 * Records one probe of one component. Only changes of state write a new period; a probe that
 * confirms the current state just moves `last_probe_at`. A probe arriving after more than
 * `gapMs` of silence first records that silence as down time: if Chorus was not running to
 * probe, it was not serving either, and an honest status page says so.
 */
export async function recordProbe(db: Kysely<Database>, component: string, outcome: ProbeOutcome, at: Date, gapMs: number): Promise<void> {
  const now = at.toISOString();
  const state: ComponentState = outcome.ok ? 'up' : 'down';
  await inTransaction(db, async (tx) => {
    const open = await tx.selectFrom('status_periods').selectAll().where('component', '=', component).where('ended_at', 'is', null).executeTakeFirst();
    const start = (state: ComponentState, started: string, detail: string, ended: string | null = null) =>
      tx
        .insertInto('status_periods')
        .values({ id: newId(), component, state, started_at: started, ended_at: ended, last_probe_at: ended ?? now, detail })
        .execute();
    if (!open) return void (await start(state, now, outcome.detail));
    if (at.getTime() - Date.parse(open.last_probe_at) > gapMs) {
      await tx.updateTable('status_periods').set({ ended_at: open.last_probe_at }).where('id', '=', open.id).execute();
      await start('down', open.last_probe_at, 'no probes: Chorus was not running', now);
      return void (await start(state, now, outcome.detail));
    }
    if (open.state === state) {
      await tx.updateTable('status_periods').set({ last_probe_at: now, detail: outcome.detail }).where('id', '=', open.id).execute();
      return;
    }
    await tx.updateTable('status_periods').set({ ended_at: now }).where('id', '=', open.id).execute();
    await start(state, now, outcome.detail);
  });
}
