import { DateTime, IANAZone } from 'luxon';
import { DomainError } from '../lib/domain-error.js';

export const isTimeZone = (zone: string): boolean => IANAZone.isValidZone(zone);

/**
 * The UTC instant for a wall-clock time in a zone: 09:00 Europe/Berlin is 08:00Z in winter and
 * 07:00Z in summer. A time that does not exist (skipped by a spring-forward) moves forward by the
 * gap, as calendars do; an ambiguous one (repeated in autumn) takes the first occurrence.
 */
export function wallClockToUtc(local: string, zone: string): string {
  if (!isTimeZone(zone)) throw new DomainError('invalid_time_zone', `Unknown time zone: ${zone}`, 400);
  const time = DateTime.fromISO(local, { zone });
  if (!time.isValid) throw new DomainError('invalid_time', `Not a date-time: ${local} (${time.invalidExplanation ?? 'use YYYY-MM-DDTHH:mm'})`, 400);
  // Luxon resolves a repeated hour to its second occurrence; an hour earlier with the same wall clock is the first.
  const earlier = time.minus({ hours: 1 });
  const chosen = earlier.toFormat('yyyy-MM-dd HH:mm') === time.toFormat('yyyy-MM-dd HH:mm') ? earlier : time;
  return chosen.toUTC().toISO()!;
}

export interface WeeklySlot {
  weekday: number;
  time: string;
  timeZone: string;
}

/**
 * The first weekly slot strictly after `after` that is not already taken. Slots are wall-clock
 * times in their own zone, so a Monday 09:00 slot stays at 09:00 local across DST changes.
 */
export function nextFreeSlot(slots: WeeklySlot[], after: Date, taken: Set<string>, horizonDays = 366): string | null {
  if (slots.length === 0) return null;
  const candidates: string[] = [];
  for (let day = 0; day <= horizonDays && candidates.length === 0; day++) {
    for (const slot of slots) {
      const start = DateTime.fromJSDate(after, { zone: slot.timeZone }).startOf('day').plus({ days: day });
      if (start.weekday !== slot.weekday) continue;
      const [hour, minute] = slot.time.split(':').map(Number);
      const instant = start.set({ hour: hour!, minute: minute!, second: 0, millisecond: 0 }).toUTC().toISO()!;
      if (instant > after.toISOString() && !taken.has(instant)) candidates.push(instant);
    }
  }
  return candidates.sort()[0] ?? null;
}
