import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { networkRules, type MeasureOptions, type Network } from '../../core/networks/index.js';
import { nextFreeSlot, wallClockToUtc } from '../../src/publishing/schedule-time.js';

describe('wall-clock scheduling', () => {
  it('keeps 09:00 local on both sides of a DST change, in both hemispheres', () => {
    expect(wallClockToUtc('2027-03-26T09:00', 'Europe/Berlin')).toBe('2027-03-26T08:00:00.000Z');
    expect(wallClockToUtc('2027-03-29T09:00', 'Europe/Berlin')).toBe('2027-03-29T07:00:00.000Z');
    expect(wallClockToUtc('2027-10-29T09:00', 'Europe/Berlin')).toBe('2027-10-29T07:00:00.000Z');
    expect(wallClockToUtc('2027-11-01T09:00', 'Europe/Berlin')).toBe('2027-11-01T08:00:00.000Z');
    expect(wallClockToUtc('2027-04-02T09:00', 'Australia/Sydney')).toBe('2027-04-01T22:00:00.000Z');
    expect(wallClockToUtc('2027-04-05T09:00', 'Australia/Sydney')).toBe('2027-04-04T23:00:00.000Z');
  });

  it('moves a time skipped by spring-forward to just after the gap, and picks the first of a repeated hour', () => {
    expect(wallClockToUtc('2027-03-28T02:30', 'Europe/Berlin')).toBe('2027-03-28T01:30:00.000Z');
    expect(wallClockToUtc('2027-10-31T02:30', 'Europe/Berlin')).toBe('2027-10-31T00:30:00.000Z');
  });

  it('round-trips any existing wall-clock time in any zone (property)', () => {
    const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney', 'America/Sao_Paulo', 'Asia/Kolkata', 'UTC'];
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.date({ min: new Date('2020-01-01'), max: new Date('2035-12-31'), noInvalidDate: true }), (zone, instant) => {
        const local = DateTime.fromJSDate(instant, { zone }).startOf('minute');
        const iso = local.toFormat("yyyy-MM-dd'T'HH:mm");
        const utc = wallClockToUtc(iso, zone);
        expect(DateTime.fromISO(utc, { zone }).toFormat("yyyy-MM-dd'T'HH:mm")).toBe(iso);
      }),
      { numRuns: 500 },
    );
  });

  it('finds the next free weekly slot across a DST change', () => {
    const slots = [{ weekday: 1, time: '09:00', timeZone: 'Europe/Berlin' }];
    const friday = new Date('2027-03-26T12:00:00Z');
    expect(nextFreeSlot(slots, friday, new Set())).toBe('2027-03-29T07:00:00.000Z');
    expect(nextFreeSlot(slots, friday, new Set(['2027-03-29T07:00:00.000Z']))).toBe('2027-04-05T07:00:00.000Z');
    expect(nextFreeSlot([], friday, new Set())).toBeNull();
  });
});

const measureFor = (network: Network, text: string, options?: MeasureOptions) => networkRules(network).measureText(text, options);
const blueskyLength = (text: string) => measureFor('bluesky', text);
const xLength = (text: string) => measureFor('x', text);
const mastodonLength = (text: string) => measureFor('mastodon', text);

describe('network length rules', () => {
  it('counts Japanese as 2 on X and 1 grapheme on Bluesky', () => {
    const text = '日本語のテキスト https://example.com';
    expect(xLength(text).length).toBe(40);
    expect(blueskyLength('日本語').length).toBe(3);
    expect(blueskyLength('👨‍👩‍👧‍👦').length).toBe(1);
  });

  it('counts every URL as 23 on X and Mastodon, whatever its length', () => {
    const long = `Read https://example.com/${'a'.repeat(200)}`;
    expect(xLength(long).length).toBe(5 + 23);
    expect(mastodonLength(long).length).toBe(5 + 23);
    expect(mastodonLength('hi @alice@social.example.org').length).toBe('hi @alice'.length);
  });

  it('applies each limit exactly at the boundary', () => {
    expect(blueskyLength('a'.repeat(300)).fits).toBe(true);
    expect(blueskyLength('a'.repeat(301)).fits).toBe(false);
    expect(xLength('a'.repeat(280)).fits).toBe(true);
    expect(xLength('a'.repeat(281)).fits).toBe(false);
    expect(mastodonLength('a'.repeat(500)).fits).toBe(true);
    expect(mastodonLength('a'.repeat(501)).fits).toBe(false);
    expect(measureFor('mastodon', 'a'.repeat(600), { limit: 1000 }).fits).toBe(true);
  });

  it('never throws and never reports a negative length for any text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), fc.constantFrom<Network>('bluesky', 'x', 'mastodon', 'team'), (text, network) => {
        const rule = measureFor(network, text);
        expect(rule.length).toBeGreaterThanOrEqual(0);
        expect(rule.fits).toBe(rule.length <= rule.limit && !rule.empty && (network !== 'x' || rule.fits));
      }),
      { numRuns: 300 },
    );
  });
});
