import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { entryTime, parseFeedDate } from '../../src/channels/feed/dates.js';

const instant = fc
  .date({ min: new Date('1971-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000));
/** Offsets real zones have: quarter hours from −12:00 to +14:00. */
const offsetMinutes = fc.integer({ min: -48, max: 56 }).map((q) => q * 15);

const MONTH_NAMES: Record<string, string[]> = {
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  pt: ['Jan', 'Fev', 'Mar', 'Abr', 'Mai', 'Jun', 'Jul', 'Ago', 'Set', 'Out', 'Nov', 'Dez'],
  es: ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sept', 'oct', 'nov', 'dic'],
  fr: ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'],
  de: ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'],
  it: ['gen', 'feb', 'mar', 'apr', 'mag', 'giu', 'lug', 'ago', 'set', 'ott', 'nov', 'dic'],
  nl: ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'],
};
const WEEKDAYS: Record<string, string[]> = {
  en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
  pt: ['Seg', 'Ter', 'Qua', 'Qui', 'Sex', 'Sáb', 'Dom'],
  es: ['lun', 'mar', 'mié', 'jue', 'vie', 'sáb', 'dom'],
  fr: ['lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.', 'dim.'],
  de: ['Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag', 'Sonntag'],
  it: ['lun', 'mar', 'mer', 'gio', 'ven', 'sab', 'dom'],
  nl: ['ma', 'di', 'wo', 'do', 'vr', 'za', 'zo'],
};
/** Zone names with the offset they stand for. */
const NAMED_ZONES: [string, number][] = [
  ['GMT', 0],
  ['UT', 0],
  ['UTC', 0],
  ['Z', 0],
  ['EST', -300],
  ['EDT', -240],
  ['PDT', -420],
  ['MET', 60],
  ['MEST', 120],
  ['CET', 60],
  ['CEST', 120],
  ['JST', 540],
  ['AEST', 600],
  ['NZDT', 780],
];

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');
const numericOffset = (minutes: number, colon: boolean) =>
  `${minutes < 0 ? '-' : '+'}${pad(Math.trunc(Math.abs(minutes) / 60))}${colon ? ':' : ''}${pad(Math.abs(minutes) % 60)}`;

/** An instant written the RFC 822 way as some feed writes it, with the instant it means. */
const rfc822 = fc
  .record({
    at: instant,
    language: fc.constantFrom(...Object.keys(MONTH_NAMES)),
    weekday: fc.boolean(),
    zone: fc.oneof(
      offsetMinutes.map((m) => ({ text: numericOffset(m, false), minutes: m })),
      fc.constantFrom(...NAMED_ZONES).map(([text, minutes]) => ({ text, minutes })),
    ),
    twoDigitYear: fc.boolean(),
    dropSeconds: fc.boolean(),
    upper: fc.boolean(),
  })
  .map(({ at, language, weekday, zone, twoDigitYear, dropSeconds, upper }) => {
    const local = DateTime.fromJSDate(at).setZone(`UTC${zone.minutes === 0 ? '' : numericOffset(zone.minutes, true)}`);
    const year = twoDigitYear && local.year >= 1950 && local.year < 2050 ? pad(local.year % 100) : String(local.year);
    const seconds = dropSeconds && local.second === 0 ? '' : `:${pad(local.second)}`;
    const text = `${weekday ? `${WEEKDAYS[language]![local.weekday - 1]}, ` : ''}${local.day} ${MONTH_NAMES[language]![local.month - 1]} ${year} ${pad(local.hour)}:${pad(local.minute)}${seconds} ${zone.text}`;
    return { text: upper ? text.toUpperCase() : text, at };
  });

/** An instant written the RFC 3339 / W3C-DTF way, with the slips feeds make (a space for T, no colon in the offset). */
const iso = fc
  .record({ at: instant, minutes: offsetMinutes, space: fc.boolean(), colon: fc.boolean(), fraction: fc.boolean() })
  .map(({ at, minutes, space, colon, fraction }) => {
    const local = DateTime.fromJSDate(at).setZone(`UTC${minutes === 0 ? '' : numericOffset(minutes, true)}`);
    const zone = minutes === 0 && colon ? 'Z' : numericOffset(minutes, colon);
    return { text: `${local.toFormat('yyyy-MM-dd')}${space ? ' ' : 'T'}${local.toFormat('HH:mm:ss')}${fraction ? '.000' : ''}${zone}`, at };
  });

describe('feed dates', () => {
  it('reads RFC 822 dates in seven languages with numeric or named zones, exactly', () => {
    fc.assert(
      fc.property(rfc822, ({ text, at }) => {
        expect(parseFeedDate(text), text).toEqual({ at, exact: true });
      }),
      { numRuns: 2000 },
    );
  });

  it('reads RFC 3339 and W3C-DTF dates and their usual slips, exactly', () => {
    fc.assert(
      fc.property(iso, ({ text, at }) => {
        expect(parseFeedDate(text), text).toEqual({ at, exact: true });
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees with luxon on every RFC 2822 date luxon writes', () => {
    fc.assert(
      fc.property(instant, offsetMinutes, (at, minutes) => {
        const text = DateTime.fromJSDate(at)
          .setZone(`UTC${minutes === 0 ? '' : numericOffset(minutes, true)}`)
          .toRFC2822()!;
        expect(parseFeedDate(text)).toEqual({ at: DateTime.fromRFC2822(text).toJSDate(), exact: true });
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on anything, and what it reads is a real instant that reads again the same', () => {
    const dateish = fc
      .array(
        fc.oneof(
          fc.string({ maxLength: 6 }),
          fc.constantFrom(
            'Mon,',
            'Seg',
            '24',
            '2018',
            '10:00',
            '10:00:00',
            'Sep',
            'Set',
            'GMT',
            'MEST',
            '+0200',
            '-03:00',
            'T',
            'Z',
            '-',
            ' ',
            'pm',
            'de',
            '(CEST)',
            '2018-09-24',
            '0',
            '99',
            '31',
            '60',
          ),
        ),
        { maxLength: 10 },
      )
      .map((parts) => parts.join(' '));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 120 }), fc.string({ unit: 'grapheme', maxLength: 40 }), dateish), (text) => {
        const read = parseFeedDate(text);
        if (read === null) return;
        expect(Number.isNaN(read.at.getTime())).toBe(false);
        expect(parseFeedDate(read.at.toISOString())).toEqual({ at: read.at, exact: true });
      }),
      { numRuns: 3000 },
    );
  });

  it('reads no date in text without one, where Date.parse finds one', () => {
    for (const text of [
      '1',
      '0',
      'Item 5',
      'hello 2',
      'N/A',
      'null',
      'undefined',
      'now',
      'today',
      '2018-13-45',
      'Tue, 31 Feb 2016 13:23:12 GMT',
      '24 Sep',
      'Sep 2018',
      '10:00',
      '12/25',
      'Page 2 of 3',
    ]) {
      expect(parseFeedDate(text), text).toBeNull();
    }
  });

  it('keeps the fetch time, marked approximate, for an unreadable, placeholder or far-future date; marks a date without zone or time approximate', () => {
    const fetchedAt = new Date('2026-11-27T10:00:00Z');
    for (const text of [undefined, '', 'Item 5', '0001-01-01T00:00:00', '1970-01-01T00:00:00Z', '2099-01-01T00:00:00Z']) {
      expect(entryTime(text, fetchedAt), String(text)).toEqual({ createdAt: fetchedAt.toISOString(), approximate: true });
    }
    expect(entryTime('Seg, 24 Set 2018 10:00:00 -0300', fetchedAt)).toEqual({ createdAt: '2018-09-24T13:00:00.000Z', approximate: false });
    expect(entryTime('2018-09-24', fetchedAt)).toEqual({ createdAt: '2018-09-24T00:00:00.000Z', approximate: true });
    expect(entryTime('Mon, 24 Sep 2018 10:00:00', fetchedAt)).toEqual({ createdAt: '2018-09-24T10:00:00.000Z', approximate: true });
    expect(entryTime('Mon, 24 Sep 2018 10:00:00 IST', fetchedAt)).toEqual({ createdAt: '2018-09-24T10:00:00.000Z', approximate: true });
    expect(entryTime('Mon Sep 24 2018 10:00:00 GMT+0200 (Central European Summer Time)', fetchedAt)).toEqual({
      createdAt: '2018-09-24T08:00:00.000Z',
      approximate: false,
    });
  });
});
