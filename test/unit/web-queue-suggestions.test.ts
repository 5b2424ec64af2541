import { describe, expect, it } from 'vitest';
import type { BestTimes } from '../../web/src/api/analytics.js';
import { slotSuggestions } from '../../web/src/pages/publishing/suggested-slots.js';

const best = (timeZone: string, suggested: BestTimes['suggested']): BestTimes => ({ channelAccountId: 'acc-1', timeZone, cells: [], posts: 5, suggested });
const now = new Date('2027-03-17T12:00:00Z');

describe('suggested queue slots', () => {
  it('offers the best hours the queue does not have, in its zone', () => {
    const answer = best('UTC', [
      { weekday: 1, hour: 9, averageEngagement: 12, posts: 3 },
      { weekday: 3, hour: 18, averageEngagement: 5, posts: 1 },
    ]);
    expect(slotSuggestions(answer, { timeZone: 'UTC', slots: [{ weekday: 3, time: '18:00' }] }, now)).toEqual([
      { weekday: 1, time: '09:00', averageEngagement: 12, posts: 3 },
    ]);
  });

  it('moves an hour to the queue’s zone, across midnight to the next weekday', () => {
    // Sunday 20:00 in New York (EDT, UTC−4) is Monday 09:00 in Tokyo.
    const answer = best('America/New_York', [{ weekday: 7, hour: 20, averageEngagement: 4, posts: 2 }]);
    expect(slotSuggestions(answer, { timeZone: 'Asia/Tokyo', slots: [] }, now)).toEqual([{ weekday: 1, time: '09:00', averageEngagement: 4, posts: 2 }]);
    expect(slotSuggestions(answer, { timeZone: 'Asia/Tokyo', slots: [{ weekday: 1, time: '09:00' }] }, now)).toEqual([]);
  });

  it('keeps a zone’s half hour', () => {
    const answer = best('UTC', [{ weekday: 2, hour: 4, averageEngagement: 1.5, posts: 2 }]);
    expect(slotSuggestions(answer, { timeZone: 'Asia/Kolkata', slots: [] }, now)).toEqual([{ weekday: 2, time: '09:30', averageEngagement: 1.5, posts: 2 }]);
  });

  it('converts at the hour’s next occurrence, after a daylight-saving change in the queue’s zone', () => {
    // Monday 09:00 in Tokyo is Monday 00:00 UTC. Asked on Thursday 22 October 2026, the next such
    // Monday is the 26th, after Berlin left summer time on the 25th: 01:00 CET, not 02:00 CEST.
    const answer = best('Asia/Tokyo', [{ weekday: 1, hour: 9, averageEngagement: 3, posts: 2 }]);
    const thursday = new Date('2026-10-22T12:00:00Z');
    expect(slotSuggestions(answer, { timeZone: 'Europe/Berlin', slots: [] }, thursday)).toEqual([
      { weekday: 1, time: '01:00', averageEngagement: 3, posts: 2 },
    ]);
    // Asked on Saturday the 24th, still in summer time, the answer is the same.
    expect(slotSuggestions(answer, { timeZone: 'Europe/Berlin', slots: [] }, new Date('2026-10-24T12:00:00Z'))).toEqual([
      { weekday: 1, time: '01:00', averageEngagement: 3, posts: 2 },
    ]);
  });
});
