import { DateTime } from 'luxon';
import type { Post } from '../../api/publishing.js';

export type CalendarView = 'week' | 'month';

/** The days a view shows, Monday first, in the browser's zone, and the range to ask the server for. */
export function visibleDays(view: CalendarView, anchor: DateTime): { days: DateTime[]; from: DateTime; to: DateTime } {
  const from = view === 'week' ? anchor.startOf('week') : anchor.startOf('month').startOf('week');
  const last = view === 'week' ? anchor.endOf('week') : anchor.endOf('month').endOf('week');
  const days: DateTime[] = [];
  for (let day = from; day <= last; day = day.plus({ days: 1 })) days.push(day);
  return { days, from, to: last.plus({ milliseconds: 1 }) };
}

export const dayKey = (day: DateTime): string => day.toFormat('yyyy-MM-dd');

/** Posts grouped by the day (and hour) they are due, in the browser's zone. */
export function bucketPosts(posts: Post[], zone: string): Map<string, Post[]> {
  const buckets = new Map<string, Post[]>();
  for (const post of posts) {
    if (!post.dueAt) continue;
    const due = DateTime.fromISO(post.dueAt).setZone(zone);
    for (const key of [dayKey(due), `${dayKey(due)}T${due.toFormat('HH')}`]) buckets.set(key, [...(buckets.get(key) ?? []), post]);
  }
  return buckets;
}

/** Posts that can still be moved: nothing has gone out, and the workflow allows an edit. */
export function canReschedule(post: Post, mayPublish: boolean, mayWrite: boolean): boolean {
  if (!post.dueAt) return false;
  if (post.targets.some((target) => !['draft', 'scheduled', 'cancelled'].includes(target.state))) return false;
  if (post.workflow === 'scheduled') return mayPublish && post.status === 'scheduled';
  return mayWrite && (post.workflow === 'pending_approval' || post.workflow === 'rejected');
}

/**
 * Where a drop sends a post: the day (and hour, in the week view) it was dropped on, keeping its
 * minutes, and, in the month view, its time of day. The result is expressed as wall-clock time
 * in the post's own zone, so a post planned for 09:00 Tokyo stays a Tokyo post.
 */
export function droppedAt(post: Post, day: DateTime, hour: number | null): { local: string; timeZone: string } {
  const due = DateTime.fromISO(post.dueAt!).setZone(day.zone);
  const moved = day.set({ hour: hour ?? due.hour, minute: due.minute, second: 0, millisecond: 0 });
  return { local: moved.setZone(post.timeZone).toFormat("yyyy-MM-dd'T'HH:mm"), timeZone: post.timeZone };
}
