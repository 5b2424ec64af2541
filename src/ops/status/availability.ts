import type { ComponentState } from './tables.js';

export interface Period {
  state: ComponentState;
  startedAt: number;
  endedAt: number | null;
  lastProbeAt: number;
}

export interface Availability {
  /** Time with probe data inside the window; time before monitoring began is not counted. */
  monitoredMs: number;
  downMs: number;
  /** Percent up of the monitored time, or null without any data. */
  percent: number | null;
  longestOutageMs: number;
}

/**
 * The down and monitored intervals of a component. The open period lasts until `now`, except that
 * silence longer than `gapMs` after its last probe is down time (nobody is probing: Chorus is down).
 */
export function intervals(periods: Period[], now: number, gapMs: number): { state: ComponentState; from: number; to: number }[] {
  const result: { state: ComponentState; from: number; to: number }[] = [];
  for (const p of periods) {
    if (p.endedAt !== null) {
      result.push({ state: p.state, from: p.startedAt, to: p.endedAt });
    } else if (now - p.lastProbeAt > gapMs) {
      result.push({ state: p.state, from: p.startedAt, to: p.lastProbeAt }, { state: 'down', from: p.lastProbeAt, to: now });
    } else {
      result.push({ state: p.state, from: p.startedAt, to: now });
    }
  }
  return result.filter((i) => i.to > i.from).sort((a, b) => a.from - b.from);
}

export function availabilityIn(periods: Period[], from: number, to: number, now: number, gapMs: number): Availability {
  let monitoredMs = 0;
  let downMs = 0;
  let longestOutageMs = 0;
  let outageEnd = -Infinity;
  let outageLength = 0;
  for (const i of intervals(periods, now, gapMs)) {
    const start = Math.max(i.from, from);
    const end = Math.min(i.to, to);
    if (end <= start) continue;
    monitoredMs += end - start;
    if (i.state !== 'down') continue;
    downMs += end - start;
    // Touching down intervals (a silence, then a failed probe) are one continuous outage.
    outageLength = start <= outageEnd ? outageLength + (end - start) : end - start;
    outageEnd = end;
    longestOutageMs = Math.max(longestOutageMs, outageLength);
  }
  return { monitoredMs, downMs, percent: monitoredMs ? (100 * (monitoredMs - downMs)) / monitoredMs : null, longestOutageMs };
}

const DAY = 86_400_000;

/** One bar per UTC day, oldest first, ending with today. */
export function dailyBars(periods: Period[], days: number, now: number, gapMs: number): { day: string; percent: number | null }[] {
  const today = Math.floor(now / DAY) * DAY;
  return Array.from({ length: days }, (_, index) => {
    const start = today - (days - 1 - index) * DAY;
    return { day: new Date(start).toISOString().slice(0, 10), percent: availabilityIn(periods, start, Math.min(start + DAY, now), now, gapMs).percent };
  });
}

/** Start and end (exclusive) of a UTC calendar month given as "2026-11". */
export function monthBounds(month: string): { from: number; to: number } {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return { from: Date.UTC(year, m - 1, 1), to: Date.UTC(year, m, 1) };
}

/** The last `count` months, oldest first, ending with the current one: ["2026-10", "2026-11"]. */
export function recentMonths(now: number, count: number): string[] {
  const d = new Date(now);
  return Array.from({ length: count }, (_, index) => {
    const date = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - (count - 1 - index), 1));
    return date.toISOString().slice(0, 7);
  });
}
