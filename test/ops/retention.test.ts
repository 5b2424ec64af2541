import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backupsToKeep, DEFAULT_RETENTION } from '../../src/ops/backup/retention.js';

const backupAt = (ms: number, n: number) => ({ id: `b${String(n).padStart(5, '0')}`, createdAt: new Date(ms).toISOString() });

describe('backup retention (24 hourly + 7 daily + 4 weekly by default)', () => {
  it('keeps the right backups from five weeks of hourly backups', () => {
    const start = Date.parse('2026-10-01T00:30:00Z');
    const hourly = Array.from({ length: 35 * 24 }, (_, i) => backupAt(start + i * 3_600_000, i));
    const keep = backupsToKeep(hourly, DEFAULT_RETENTION);
    const kept = hourly.filter((b) => keep.has(b.id)).map((b) => b.createdAt);
    // Newest is Wed 2026-11-04 23:30: the last 24 hours, the newest of each of the 6 days before,
    // and the newest of the weeks before (Sunday 23:30): Nov 1 is already a daily one, Oct 25 and Oct 18 are added.
    const newest = hourly.at(-1)!.createdAt;
    expect(newest).toBe('2026-11-04T23:30:00.000Z');
    expect(kept.filter((t) => Date.parse(newest) - Date.parse(t) < 24 * 3_600_000)).toHaveLength(24);
    expect(kept.filter((t) => Date.parse(newest) - Date.parse(t) >= 24 * 3_600_000)).toEqual([
      '2026-10-18T23:30:00.000Z',
      '2026-10-25T23:30:00.000Z',
      '2026-10-29T23:30:00.000Z',
      '2026-10-30T23:30:00.000Z',
      '2026-10-31T23:30:00.000Z',
      '2026-11-01T23:30:00.000Z',
      '2026-11-02T23:30:00.000Z',
      '2026-11-03T23:30:00.000Z',
    ]);
  });

  it('always keeps the newest, never more than the policy allows, and is stable when applied again', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: Date.parse('2026-01-01'), max: Date.parse('2026-12-31') }), { minLength: 1, maxLength: 200 }),
        fc.record({ hourly: fc.integer({ min: 0, max: 30 }), daily: fc.integer({ min: 0, max: 10 }), weekly: fc.integer({ min: 0, max: 6 }) }),
        (times, policy) => {
          const backups = times.map((t, i) => backupAt(t, i));
          const keep = backupsToKeep(backups, policy);
          const newest = [...backups].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))[0]!;
          expect(keep.has(newest.id)).toBe(true);
          expect(keep.size).toBeLessThanOrEqual(Math.max(1, policy.hourly + policy.daily + policy.weekly + 1));
          const again = backupsToKeep(
            backups.filter((b) => keep.has(b.id)),
            policy,
          );
          expect([...again].sort()).toEqual([...keep].sort());
        },
      ),
    );
  });
});
