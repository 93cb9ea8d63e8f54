/**
 * Calendar dates as 'YYYY-MM-DD' strings, without time zones: the law counts days in
 * Finland, so a date never passes through a Date object that could shift it by an offset.
 */

export interface YMD {
  y: number;
  m: number;
  d: number;
}

export const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** The parts of a real calendar date, or undefined (wrong shape, 2023-02-29, month 13…). */
export function parseDate(s: unknown): YMD | undefined {
  // By character codes rather than a regular expression: every rule asks this of every date.
  if (typeof s !== 'string' || s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45)
    return undefined;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  return { y, m: mo, d };
}

/** The number written by `n` ASCII digits from `from`, or -1. */
function digits(s: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

export const isDate = (s: unknown): s is string => parseDate(s) !== undefined;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** YYYY-MM-DD; the law's day counts write thousands of these per batch, so no padStart. */
export const formatDate = ({ y, m, d }: YMD): string =>
  `${y >= 1000 && y <= 9999 ? y : pad(y, 4)}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;

function must(s: string): YMD {
  const p = parseDate(s);
  if (!p) throw new RangeError('not a calendar date');
  return p;
}

/**
 * N months after a date: the same day N months later, or the last day of that month when
 * the day does not exist there (Act 150/1930, 4 §).
 */
export function addMonths(date: string, n: number): string {
  const { y, m, d } = must(date);
  const idx = y * 12 + (m - 1) + n;
  const ny = Math.floor(idx / 12);
  const nm = (idx % 12) + 1;
  return formatDate({ y: ny, m: nm, d: Math.min(d, daysInMonth(ny, nm)) });
}

/** N years after a date; 29 February becomes 28 February in a common year (Act 150/1930, 4 §). */
export const addYears = (date: string, n: number): string => addMonths(date, n * 12);

export function addDays(date: string, n: number): string {
  // Day numbers rather than a Date object: no offset to shift, and no object per call.
  return formatDate(civilFromDays(daysFromCivil(must(date)) + n));
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's algorithms):
 * integer arithmetic, exact for every year a document can hold.
 */
export function daysFromCivil({ y, m, d }: YMD): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export function civilFromDays(days: number): YMD {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

export const dayBefore = (date: string): string => addDays(date, -1);

/** Negative, zero or positive; both must be 'YYYY-MM-DD' (4-digit years compare as text). */
export const compareDates = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const minDate = (a: string, b: string): string => (compareDates(a, b) <= 0 ? a : b);
export const maxDate = (a: string, b: string): string => (compareDates(a, b) >= 0 ? a : b);

/** The day the person turns `age`: the anniversary computed like any other year count. */
export const birthday = (birthDate: string, age: number): string => addYears(birthDate, age);

/** Age in whole years on a date. */
export function ageOn(birthDate: string, date: string): number {
  const b = must(birthDate);
  const on = must(date);
  let age = on.y - b.y;
  if (age > 0 && compareDates(birthday(birthDate, age), date) > 0) age -= 1;
  return age;
}

/**
 * Milliseconds since the epoch of an RFC 3339 date-time with a mandatory offset (Z or ±hh:mm),
 * or undefined when malformed. Read by character codes and counted in day numbers: every rule
 * asks this of every date-time. Only the ISO form with upper-case T and Z is counted here; a
 * clock past the ordinary (24:00:00, the end of a day), a lower-case or a space-separated form
 * is left to Date.parse, so the answer is always Date.parse's.
 */
export function instant(s: unknown): number | undefined {
  if (typeof s !== 'string' || s.length < 20) return undefined;
  const date = parseDate(s.slice(0, 10));
  const sep = s.charCodeAt(10);
  if (!date || (sep !== 84 && sep !== 116 && sep !== 32)) return undefined;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const hh = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const ss = digits(s, 17, 2);
  if (hh < 0 || mi < 0 || ss < 0) return undefined;
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46) {
    // A fraction of any length; Date.parse keeps its first three digits.
    const from = ++i;
    while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    if (i === from) return undefined;
    for (let k = from; k < from + 3; k++) ms = ms * 10 + (k < i ? s.charCodeAt(k) - 48 : 0);
  }
  let offset: number;
  const z = s.charCodeAt(i);
  if ((z === 90 || z === 122) && i + 1 === s.length) offset = 0;
  else if ((z === 43 || z === 45) && i + 6 === s.length && s.charCodeAt(i + 3) === 58) {
    const oh = digits(s, i + 1, 2);
    const om = digits(s, i + 4, 2);
    if (oh < 0 || om < 0) return undefined;
    offset = oh > 23 || om > 59 ? Number.NaN : (z === 45 ? -1 : 1) * (oh * 60 + om);
  } else return undefined;
  if (hh > 23 || mi > 59 || ss > 59 || Number.isNaN(offset) || sep !== 84 || z === 122) {
    // Date.parse reads a lower-case or space-separated form by its legacy rules (0000 is 2000).
    const t = Date.parse(s);
    return Number.isNaN(t) ? undefined : t;
  }
  return daysFromCivil(date) * 86_400_000 + ((hh * 60 + mi - offset) * 60 + ss) * 1000 + ms;
}

/** A valid RFC 3339 date-time with offset (the shape the schema demands for createdAt). */
export const isDateTime = (s: unknown): s is string => instant(s) !== undefined;

/** The Europe/Helsinki calendar date of an RFC 3339 date-time, or undefined when malformed. */
export function helsinkiDate(dateTime: unknown): string | undefined {
  const ms = instant(dateTime);
  return ms === undefined ? undefined : helsinkiDateAt(ms);
}

/** The Europe/Helsinki calendar date of an instant, 'YYYY-MM-DD'. */
export const helsinkiDateOf = (at: Date): string => helsinkiDateAt(at.getTime());

function helsinkiDateAt(ms: number): string {
  const rule = euRule(ms);
  if (!rule) return intl().date.format(new Date(ms));
  const wall = ms + (ms >= rule[0] && ms < rule[1] ? 180 : 120) * 60_000;
  return formatDate(civilFromDays(Math.floor(wall / 86_400_000)));
}

/** The Helsinki calendar date of an instant as yyyymmdd, the date part of a file name. */
export const compactHelsinkiDate = (at: Date): string => helsinkiDateOf(at).replace(/-/g, '');

/** d.m.yyyy, as dates are written in Finnish and Swedish. */
export function formatDateFi(date: string): string {
  const p = parseDate(date);
  return p ? `${p.d}.${p.m}.${p.y}` : date;
}

/** HH:MM in Europe/Helsinki of an RFC 3339 date-time, or undefined when malformed. */
export function helsinkiTime(dateTime: unknown): string | undefined {
  const ms = instant(dateTime);
  if (ms === undefined) return undefined;
  const rule = euRule(ms);
  if (!rule) {
    const parts = intl().time.formatToParts(new Date(ms));
    const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    return `${get('hour')}:${get('minute')}`;
  }
  const wall = ms + (ms >= rule[0] && ms < rule[1] ? 180 : 120) * 60_000;
  const minutes = Math.floor(wall / 60_000) - Math.floor(wall / 86_400_000) * 1440;
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/**
 * Minutes east of UTC in Europe/Helsinki at an instant: 120 in winter, 180 in summer. The EU
 * rule (summer time from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday
 * of October) answers by arithmetic in each year where the time zone data agrees with it at
 * both changes and at both ends of the year, which is asked of Intl once per year and thread;
 * any other year (before 1996, or after a change in the law) is asked of Intl instant by instant.
 */
export function helsinkiOffsetAt(ms: number): number {
  const rule = euRule(ms);
  if (!rule) return intlOffsetAt(ms);
  return ms >= rule[0] && ms < rule[1] ? 180 : 120;
}

/** Summer time of the year of `ms` by the EU rule, or false where the time zone data differs. */
function euRule(ms: number): readonly [number, number] | false {
  const y = civilFromDays(Math.floor(ms / 86_400_000)).y;
  let rule = euRuleYears.get(y);
  if (rule === undefined) {
    rule = euRuleFor(y);
    euRuleYears.set(y, rule);
  }
  return rule;
}

const euRuleYears = new Map<number, readonly [number, number] | false>();

/** The instants summer time starts and ends in year `y` by the EU rule, when Intl agrees. */
function euRuleFor(y: number): readonly [number, number] | false {
  const lastSunday = (m: number): number => {
    const last = daysFromCivil({ y, m, d: 31 });
    // 1970-01-01 was a Thursday: (days + 4) mod 7 is the weekday, Sunday 0.
    return last - ((((last + 4) % 7) + 7) % 7);
  };
  const start = lastSunday(3) * 86_400_000 + 3_600_000;
  const end = lastSunday(10) * 86_400_000 + 3_600_000;
  const newYear = daysFromCivil({ y, m: 1, d: 1 }) * 86_400_000;
  const nextYear = daysFromCivil({ y: y + 1, m: 1, d: 1 }) * 86_400_000;
  const agrees =
    intlOffsetAt(newYear) === 120 &&
    intlOffsetAt(start - 1) === 120 &&
    intlOffsetAt(start) === 180 &&
    intlOffsetAt(end - 1) === 180 &&
    intlOffsetAt(end) === 120 &&
    intlOffsetAt(nextYear - 1) === 120;
  return agrees ? [start, end] : false;
}

let formats:
  | { date: Intl.DateTimeFormat; time: Intl.DateTimeFormat; offset: Intl.DateTimeFormat }
  | undefined;

/** Intl's formatters for Helsinki, made on first use only: making them costs milliseconds. */
const intl = () =>
  (formats ??= {
    // en-CA formats as YYYY-MM-DD.
    date: new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Helsinki',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }),
    time: new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Helsinki',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }),
    offset: new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Helsinki', timeZoneName: 'longOffset' }),
  });

/** The offset as the time zone data says it. */
function intlOffsetAt(ms: number): number {
  const name = intl()
    .offset.formatToParts(new Date(ms))
    .find((p) => p.type === 'timeZoneName')?.value;
  // "GMT+02:00"; plain "GMT" would mean zero, which Helsinki never is, but read it honestly.
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  if (!m) return 0;
  const v = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -v : v;
}

const offsetText = (minutes: number): string => {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
};

/** RFC 3339 of an instant as a Helsinki clock shows it, with that day's offset (+02:00 or +03:00). */
export function helsinkiDateTime(at: Date): string {
  const ms = Math.floor(at.getTime() / 1000) * 1000;
  const off = helsinkiOffsetAt(ms);
  const wall = new Date(ms + off * 60_000);
  return `${formatDate({ y: wall.getUTCFullYear(), m: wall.getUTCMonth() + 1, d: wall.getUTCDate() })}T${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}${offsetText(off)}`;
}

/**
 * The instant a Helsinki wall clock shows `time` ('HH:MM') on `day`, whatever the machine's
 * time zone: times that workers type are Finnish time (SPEC §4.8). A time skipped by the
 * spring change (03:30 on the last Sunday of March) is read with the winter offset, an hour
 * later on the clock, as a calendar would.
 */
export function helsinkiWallClock(day: string, time: string): Date {
  const { y, m, d } = must(day);
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const asUtc = Date.UTC(y, m - 1, d, h, mi);
  const first = asUtc - helsinkiOffsetAt(asUtc - 120 * 60_000) * 60_000;
  return new Date(asUtc - helsinkiOffsetAt(first) * 60_000);
}
