import { DateTime } from 'luxon';

/** A report's days in the org's zone, as the UTC instants that bound them, and the same-length period before. */
export interface ReportRange {
  from: string;
  to: string;
  timeZone: string;
  /** Start of `from` and end of `to` (exclusive), UTC ISO. */
  startIso: string;
  endIso: string;
  previousFrom: string;
  previousTo: string;
  previousStartIso: string;
}

export function reportRange(from: string, to: string, timeZone: string): ReportRange {
  const start = DateTime.fromISO(from, { zone: timeZone }).startOf('day');
  const end = DateTime.fromISO(to, { zone: timeZone }).startOf('day').plus({ days: 1 });
  const days = Math.round(end.diff(start, 'days').days);
  const previousStart = start.minus({ days });
  return {
    from,
    to,
    timeZone,
    startIso: start.toUTC().toISO()!,
    endIso: end.toUTC().toISO()!,
    previousFrom: previousStart.toISODate()!,
    previousTo: start.minus({ days: 1 }).toISODate()!,
    previousStartIso: previousStart.toUTC().toISO()!,
  };
}

/** Every day of the range, YYYY-MM-DD. */
export function daysOf(range: ReportRange): string[] {
  const days: string[] = [];
  for (let day = DateTime.fromISO(range.from, { zone: range.timeZone }); day.toISODate()! <= range.to; day = day.plus({ days: 1 })) days.push(day.toISODate()!);
  return days;
}

/** The org-zone day of a UTC instant. */
export const dayIn = (iso: string, timeZone: string): string => DateTime.fromISO(iso, { zone: 'utc' }).setZone(timeZone).toISODate()!;
