import { describe, expect, it } from 'vitest';
import { tokenExpiryState } from '../../web/src/components/token-expiry.js';

const NOW = Date.parse('2026-12-05T12:00:00Z');
const DAY = 24 * 60 * 60_000;
const at = (ms: number) => new Date(NOW + ms).toISOString();

describe('token expiry badge state', () => {
  it('says nothing without an end, or with two weeks or more left', () => {
    expect(tokenExpiryState(null, NOW)).toBeNull();
    expect(tokenExpiryState(at(14 * DAY), NOW)).toBeNull();
    expect(tokenExpiryState(at(60 * DAY), NOW)).toBeNull();
  });

  it('counts the days left under two weeks, a part of a day as a whole one', () => {
    expect(tokenExpiryState(at(14 * DAY - 60_000), NOW)).toEqual({ kind: 'soon', days: 14 });
    expect(tokenExpiryState(at(13 * DAY), NOW)).toEqual({ kind: 'soon', days: 13 });
    expect(tokenExpiryState(at(2 * DAY + 1), NOW)).toEqual({ kind: 'soon', days: 3 });
    expect(tokenExpiryState(at(60_000), NOW)).toEqual({ kind: 'soon', days: 1 });
  });

  it('says expired from the moment the token ends', () => {
    expect(tokenExpiryState(at(0), NOW)).toEqual({ kind: 'expired' });
    expect(tokenExpiryState(at(-3 * DAY), NOW)).toEqual({ kind: 'expired' });
  });
});
