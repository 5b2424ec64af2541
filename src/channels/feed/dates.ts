import { DateTime, FixedOffsetZone } from 'luxon';

/**
 * Feed dates as feeds write them, not as Date.parse guesses. RSS promises RFC 822 and Atom and
 * JSON Feed RFC 3339, but real feeds send month and day names in their own language
 * ("Seg, 24 Set 2018"), zone names beyond GMT and the US zones (MEST, CET, JST), dates without a
 * zone, seconds or weekday, and JavaScript's Date#toString. Anything else is not a date: Date.parse
 * would read "Item 5" as 2001 or "0" as 2000.
 */

/** A date as read: the instant, and whether the feed gave it exactly (a time of day and a zone). */
export interface FeedDate {
  at: Date;
  exact: boolean;
}

/** When an entry was published, as stored: the feed's date, or the fetch time marked approximate. */
export interface EntryTime {
  createdAt: string;
  approximate: boolean;
}

/** No feed date is longer; longer text is prose, not a date, and costs nothing to refuse. */
const MAX_LENGTH = 100;
/** A date after fetch time + this is a typo or a scheduled post's placeholder: it would sit atop the column for years. */
const FUTURE_SLACK_MS = 24 * 60 * 60_000;
/** Before this, a date is a placeholder (a zero Unix time, .NET's 0001-01-01), not a publication date. */
const EARLIEST = Date.UTC(1970, 0, 2);

/** The entry's time: its date when readable and plausible; otherwise the fetch time, marked approximate. */
export function entryTime(raw: string | undefined, fetchedAt: Date): EntryTime {
  const read = raw ? parseFeedDate(raw) : null;
  const at = read?.at.getTime();
  if (read && at !== undefined && at >= EARLIEST && at <= fetchedAt.getTime() + FUTURE_SLACK_MS)
    return { createdAt: read.at.toISOString(), approximate: !read.exact };
  return { createdAt: fetchedAt.toISOString(), approximate: true };
}

/** Reads a feed date, or null when the text is not one. Never throws. */
export function parseFeedDate(value: string): FeedDate | null {
  const text = value.normalize('NFC').trim();
  if (text.length === 0 || text.length > MAX_LENGTH) return null;
  return isoDate(text) ?? wordyDate(text);
}

// ---- RFC 3339 / W3C-DTF / ISO 8601 (Atom, JSON Feed, dc:date), with the usual slips ----

/** Extended ISO 8601 with the precisions W3C-DTF allows; a space for the T and before the zone; UTC/GMT for Z. */
const ISO_SHAPE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

function isoDate(text: string): FeedDate | null {
  const match = ISO_SHAPE.exec(text);
  if (!match) return null;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const time = hour === undefined ? '' : `T${hour}:${minute}:${second ?? '00'}${fraction ? `.${fraction}` : ''}`;
  const offset =
    zone === undefined ? '' : /^(z|utc|gmt)$/i.test(zone) ? 'Z' : zone.length === 3 ? `${zone}:00` : zone.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
  // Only a full date can carry a time (the pattern makes sure); a zone without a time means nothing.
  const canonical = `${year}-${month ?? '01'}-${day ?? '01'}${time}${time ? offset : ''}`;
  const parsed = DateTime.fromISO(canonical, { zone: 'utc', setZone: true });
  if (!parsed.isValid) return null;
  return { at: parsed.toJSDate(), exact: time !== '' && offset !== '' };
}

// ---- RFC 822 / 1123 / 2822 (RSS pubDate) and its relatives: Date#toString, asctime ----

/** Zone names feeds use, as minutes east of UTC. CST is RFC 822's US Central, not China's. IST (India, Ireland, Israel) is ambiguous and not here. */
const ZONES: Record<string, number> = {
  z: 0,
  ut: 0,
  utc: 0,
  gmt: 0,
  wet: 0,
  west: 60,
  bst: 60,
  cet: 60,
  met: 60,
  mez: 60,
  cest: 120,
  mest: 120,
  mesz: 120,
  eet: 120,
  eest: 180,
  msk: 180,
  cat: 120,
  sast: 120,
  eat: 180,
  wat: 60,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
  akst: -540,
  akdt: -480,
  hst: -600,
  ast: -240,
  adt: -180,
  nst: -210,
  ndt: -150,
  brt: -180,
  art: -180,
  jst: 540,
  kst: 540,
  hkt: 480,
  sgt: 480,
  awst: 480,
  acst: 570,
  acdt: 630,
  aest: 600,
  aedt: 660,
  nzst: 720,
  nzdt: 780,
};

/** Month names and abbreviations (lowercase, without accents or a final dot) in the languages feeds are written in. */
const MONTHS: Record<string, number> = Object.fromEntries(
  [
    // English, Portuguese, Spanish, French, German, Italian, Dutch
    ['jan january janeiro ene enero janv janvier januar janner jaenner gen gennaio januari', 1],
    ['feb february fev fevereiro febrero fevr fevrier februar febbraio februari', 2],
    ['mar march marco marzo mars maer marz mrz maart mrt', 3],
    ['apr april abr abril avr avril aprile', 4],
    ['may maio mai mayo mag maggio mei', 5],
    ['jun june junho junio juin juni giu giugno', 6],
    ['jul july julho julio juil juillet juli lug luglio', 7],
    ['aug august ago agosto aout augustus', 8],
    ['sep sept september set setembro septiembre setiembre septembre settembre', 9],
    ['oct october out outubro octubre octobre okt oktober ott ottobre', 10],
    ['nov november novembro noviembre novembre', 11],
    ['dec december dez dezembro dic diciembre decembre dezember dicembre', 12],
  ].flatMap(([names, month]) => (names as string).split(' ').map((name) => [name, month as number])),
);

/** Words some languages put between the parts of a date ("24 de Setembro de 2018"). */
const FILLERS = new Set(['de', 'del', 'at', 'um', 'uhr']);

const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?$/;
const NUMERIC_ZONE = /^(?:gmt|utc|ut)?([+-])(\d{1,2})(?::?(\d{2}))?$/;

type Token =
  | { kind: 'number'; value: string }
  | { kind: 'month'; month: number }
  | { kind: 'time'; hour: number; minute: number; second: number }
  | { kind: 'zone'; minutes: number | null }
  | { kind: 'meridiem'; pm: boolean }
  | { kind: 'word' };

/** What a date token is; null when it cannot be part of a date. `afterTime`: a word there is a zone name. */
function classify(raw: string, afterTime: boolean): Token | null {
  const word = raw.replace(/\.$/, '');
  if (/^\d{1,4}$/.test(word)) return { kind: 'number', value: word };
  const ordinal = /^(\d{1,2})(?:st|nd|rd|th)$/.exec(word);
  if (ordinal) return { kind: 'number', value: ordinal[1]! };
  const time = TIME.exec(word);
  if (time) return { kind: 'time', hour: Number(time[1]), minute: Number(time[2]), second: Math.min(59, Number(time[3] ?? 0)) };
  if (/^(am|pm|a\.m|p\.m)$/.test(word)) return { kind: 'meridiem', pm: word.startsWith('p') };
  const numeric = NUMERIC_ZONE.exec(word);
  if (numeric && (afterTime || /^(gmt|utc|ut)/.test(word))) {
    const minutes = Number(numeric[2]) * 60 + Number(numeric[3] ?? 0);
    return Number(numeric[3] ?? 0) < 60 && minutes <= 14 * 60 ? { kind: 'zone', minutes: numeric[1] === '-' ? -minutes : minutes } : null;
  }
  const plain = word.normalize('NFD').replace(/\p{M}/gu, '');
  if (MONTHS[plain] !== undefined) return { kind: 'month', month: MONTHS[plain] };
  if (afterTime && /^[a-z]{1,5}$/.test(plain)) return { kind: 'zone', minutes: ZONES[plain] ?? null };
  if (/^[\p{L}-]+$/u.test(plain)) return { kind: 'word' };
  return null;
}

function wordyDate(text: string): FeedDate | null {
  // A trailing comment names the zone in words: "GMT+0200 (Central European Summer Time)".
  const raws = text
    .toLowerCase()
    .replace(/\s*\([^()]*\)$/, '')
    .split(/[\s,]+/)
    .filter(Boolean);
  let sawTime = false;
  const tokens: { token: Token; at: number }[] = [];
  for (const [at, raw] of raws.entries()) {
    if (FILLERS.has(raw)) continue;
    const token = classify(raw, sawTime);
    if (!token) return null;
    if (token.kind === 'time') sawTime = true;
    tokens.push({ token, at });
  }
  // A weekday leads, in any language, and may share its name with a month (Spanish "mar", martes).
  const months = tokens.filter((t) => t.token.kind === 'month');
  if (months.length === 2 && months[0]!.at === 0) tokens.splice(tokens.indexOf(months[0]!), 1);
  const words = tokens.filter((t) => t.token.kind === 'word');
  if (words.length > 1 || (words.length === 1 && words[0]!.at !== 0)) return null;

  const of = <K extends Token['kind']>(kind: K) => tokens.map((t) => t.token).filter((t): t is Extract<Token, { kind: K }> => t.kind === kind);
  const [month, ...moreMonths] = of('month');
  const numbers = of('number').map((n) => n.value);
  const [time, ...moreTimes] = of('time');
  const [zone, ...moreZones] = of('zone');
  const [meridiem, ...moreMeridiems] = of('meridiem');
  if (!month || moreMonths.length || numbers.length !== 2 || moreTimes.length || moreZones.length || moreMeridiems.length) return null;
  if (meridiem && !time) return null;
  // Day before year, whatever the order of the month ("24 Sep 2018", "Sep 24 2018"), unless the year leads.
  const [day, year] = numbers[0]!.length === 4 ? [numbers[1]!, numbers[0]!] : [numbers[0]!, numbers[1]!];
  if (day.length > 2) return null;
  const fullYear = fourDigitYear(year);
  if (fullYear === null) return null;
  let hour = time?.hour ?? 0;
  if (meridiem) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (meridiem.pm ? 12 : 0);
  }
  const offset = zone?.minutes ?? 0;
  const parsed = DateTime.fromObject(
    { year: fullYear, month: month.month, day: Number(day), hour, minute: time?.minute ?? 0, second: time?.second ?? 0 },
    { zone: FixedOffsetZone.instance(offset) },
  );
  if (!parsed.isValid) return null;
  return { at: parsed.toJSDate(), exact: time !== undefined && zone !== undefined && zone.minutes !== null };
}

/** RFC 2822's obsolete years: two digits are 1950–2049, three are counted from 1900. */
function fourDigitYear(year: string): number | null {
  const value = Number(year);
  if (year.length === 4) return value;
  if (year.length === 2) return value < 50 ? 2000 + value : 1900 + value;
  if (year.length === 3) return 1900 + value;
  return null;
}
