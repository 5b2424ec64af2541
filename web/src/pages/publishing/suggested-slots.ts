import { DateTime, type WeekdayNumbers } from 'luxon';
import type { BestTimes } from '../../api/analytics.js';
import type { QueueSlot } from '../../api/publishing.js';

/** A best hour of the account offered as a queue slot, with why. */
export interface SlotSuggestion extends QueueSlot {
  averageEngagement: number;
  posts: number;
}

/**
 * The account's best hours (analytics, in the org's zone) as slots in the queue's zone, leaving out
 * those the queue already has. Zones are compared at each hour's next occurrence after `now`, the
 * post the slot would take first: an offset that crosses midnight moves the slot to the
 * neighbouring weekday, and a daylight-saving change between now and then is already applied.
 */
export function slotSuggestions(best: BestTimes, queue: { timeZone: string; slots: QueueSlot[] }, now: Date): SlotSuggestion[] {
  const from = DateTime.fromJSDate(now, { zone: best.timeZone });
  return best.suggested
    .map((s) => {
      const thisWeek = from.set({ weekday: s.weekday as WeekdayNumbers, hour: s.hour, minute: 0, second: 0, millisecond: 0 });
      const at = (thisWeek < from ? thisWeek.plus({ weeks: 1 }) : thisWeek).setZone(queue.timeZone);
      return { weekday: at.weekday, time: at.toFormat('HH:mm'), averageEngagement: s.averageEngagement, posts: s.posts };
    })
    .filter((s) => !queue.slots.some((slot) => slot.weekday === s.weekday && slot.time === s.time));
}

/** Slots in the order the editor shows them: by weekday, then time. */
export const inWeekOrder = (slots: QueueSlot[]): QueueSlot[] => [...slots].sort((a, b) => a.weekday - b.weekday || a.time.localeCompare(b.time));
