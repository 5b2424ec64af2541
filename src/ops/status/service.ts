import type { Kysely } from 'kysely';
import { DomainError } from '../../lib/domain-error.js';
import { isoNow, type Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { Database } from '../../store/database.js';
import { inTransaction } from '../../store/transaction.js';
import { availabilityIn, dailyBars, monthBounds, recentMonths, type Period } from './availability.js';
import { judgeMonth, type SlaPolicy } from './sla.js';
import type { IncidentState } from './tables.js';
import type { IncidentView, SlaReport, StatusOverview } from '../../../core/api/ops.js';

export type { IncidentView };

export const UPTIME_DAYS = 90;
const DAY = 86_400_000;

export interface StatusSettings {
  /** Silence after a probe longer than this is down time; two probe intervals by default. */
  gapMs: number;
  sla: SlaPolicy;
}

/** Components whose name starts with `prefix` and that have a period still open (being probed now). */
export async function openComponents(db: Kysely<Database>, prefix: string): Promise<string[]> {
  const rows = await db.selectFrom('status_periods').select('component').where('component', 'like', `${prefix}%`).where('ended_at', 'is', null).execute();
  return rows.map((r) => r.component);
}

async function periodsByComponent(db: Kysely<Database>, since: number): Promise<Map<string, Period[]>> {
  const rows = await db
    .selectFrom('status_periods')
    .selectAll()
    .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>=', new Date(since).toISOString())]))
    .orderBy('component')
    .orderBy('started_at')
    .execute();
  const byComponent = new Map<string, Period[]>();
  for (const r of rows) {
    const list = byComponent.get(r.component) ?? [];
    list.push({
      state: r.state,
      startedAt: Date.parse(r.started_at),
      endedAt: r.ended_at ? Date.parse(r.ended_at) : null,
      lastProbeAt: Date.parse(r.last_probe_at),
    });
    byComponent.set(r.component, list);
  }
  return byComponent;
}

async function incidentsSince(db: Kysely<Database>, since: string): Promise<IncidentView[]> {
  const incidents = await db
    .selectFrom('status_incidents')
    .selectAll()
    .where((eb) => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>=', since)]))
    .orderBy('created_at', 'desc')
    .execute();
  if (!incidents.length) return [];
  const updates = await db
    .selectFrom('status_incident_updates')
    .selectAll()
    .where(
      'incident_id',
      'in',
      incidents.map((i) => i.id),
    )
    .orderBy('at', 'desc')
    .execute();
  return incidents.map((i) => ({
    id: i.id,
    title: i.title,
    state: i.state,
    components: JSON.parse(i.components) as string[],
    createdAt: i.created_at,
    resolvedAt: i.resolved_at,
    updates: updates.filter((u) => u.incident_id === i.id).map((u) => ({ state: u.state, message: u.message, at: u.at })),
  }));
}

/** Everything the public status page shows, from Chorus's own probes. */
export async function statusOverview(db: Kysely<Database>, clock: Clock, settings: StatusSettings): Promise<StatusOverview> {
  const now = clock().getTime();
  const since = now - UPTIME_DAYS * DAY;
  const periods = await periodsByComponent(db, since);
  const components = [...periods].map(([name, list]) => {
    const current = list.at(-1)!;
    const silent = current.endedAt === null && now - current.lastProbeAt > settings.gapMs;
    return {
      name,
      state: silent || current.state === 'down' ? ('down' as const) : ('up' as const),
      since: new Date(silent ? current.lastProbeAt : current.startedAt).toISOString(),
      uptime90Days: availabilityIn(list, since, now, now, settings.gapMs).percent,
      days: dailyBars(list, UPTIME_DAYS, now, settings.gapMs),
      months: recentMonths(now, 3).map((month) => {
        const { from, to } = monthBounds(month);
        return { month, percent: availabilityIn(list, from, Math.min(to, now), now, settings.gapMs).percent };
      }),
    };
  });
  const incidents = await incidentsSince(db, new Date(since).toISOString());
  const down = components.some((c) => c.state === 'down') || incidents.some((i) => !i.resolvedAt);
  return { status: down ? ('degraded' as const) : ('operational' as const), checkedAt: new Date(now).toISOString(), components, incidents };
}

/** What each month earned under the SLA, per component; the month's credit is the largest among components. */
export async function slaReport(db: Kysely<Database>, clock: Clock, settings: StatusSettings, monthCount: number): Promise<SlaReport> {
  const now = clock().getTime();
  const months = recentMonths(now, monthCount);
  const periods = await periodsByComponent(db, monthBounds(months[0]!).from);
  return {
    policy: settings.sla,
    months: months.map((month) => {
      const { from, to } = monthBounds(month);
      const components = [...periods].map(([name, list]) => {
        const availability = availabilityIn(list, from, Math.min(to, now), now, settings.gapMs);
        return {
          name,
          percent: availability.percent,
          downMinutes: Math.round(availability.downMs / 60_000),
          longestOutageMinutes: Math.round(availability.longestOutageMs / 60_000),
          ...judgeMonth(settings.sla, availability),
        };
      });
      return { month, complete: to <= now, creditPercent: Math.max(0, ...components.map((c) => c.creditPercent)), components };
    }),
  };
}

export async function openIncident(
  db: Kysely<Database>,
  clock: Clock,
  input: { title: string; message: string; components: string[]; state: IncidentState },
  userId: string,
): Promise<string> {
  const id = newId();
  const at = isoNow(clock);
  await inTransaction(db, async (tx) => {
    await tx
      .insertInto('status_incidents')
      .values({
        id,
        title: input.title,
        state: input.state,
        components: JSON.stringify(input.components),
        created_by: userId,
        created_at: at,
        resolved_at: input.state === 'resolved' ? at : null,
      })
      .execute();
    await tx.insertInto('status_incident_updates').values({ id: newId(), incident_id: id, state: input.state, message: input.message, at }).execute();
  });
  return id;
}

/** Posts an update; the state "resolved" closes the incident, any other state reopens it. */
export async function updateIncident(db: Kysely<Database>, clock: Clock, id: string, input: { state: IncidentState; message: string }): Promise<void> {
  const at = isoNow(clock);
  await inTransaction(db, async (tx) => {
    const changed = await tx
      .updateTable('status_incidents')
      .set({ state: input.state, resolved_at: input.state === 'resolved' ? at : null })
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) === 0) throw new DomainError('incident_not_found', 'No such incident', 404);
    await tx.insertInto('status_incident_updates').values({ id: newId(), incident_id: id, state: input.state, message: input.message, at }).execute();
  });
}
