/**
 * Calendar dates as 'YYYY-MM-DD' strings, without time zones: the law counts days in
 * Finland, so a date never passes through a Date object that could shift it by an offset.
 */

// RFC 3339 date-time with a mandatory offset (Z or ±hh:mm).
const DATE_TIME_RE = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

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

export const formatDate = ({ y, m, d }: YMD): string => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;

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
  const { y, m, d } = must(date);
  // UTC arithmetic on a date-only value has no offset to shift it.
  const t = Date.UTC(y, m - 1, d) + n * 86_400_000;
  const r = new Date(t);
  return formatDate({ y: r.getUTCFullYear(), m: r.getUTCMonth() + 1, d: r.getUTCDate() });
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

/** A valid RFC 3339 date-time with offset (the shape the schema demands for createdAt). */
export function isDateTime(s: unknown): s is string {
  if (typeof s !== 'string' || !DATE_TIME_RE.test(s)) return false;
  if (!isDate(s.slice(0, 10))) return false;
  return !Number.isNaN(Date.parse(s));
}

/** Milliseconds since the epoch of an RFC 3339 date-time, or undefined when malformed. */
export const instant = (s: unknown): number | undefined => (isDateTime(s) ? Date.parse(s) : undefined);

const HELSINKI = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Helsinki',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Europe/Helsinki calendar date of an RFC 3339 date-time, or undefined when malformed. */
export function helsinkiDate(dateTime: unknown): string | undefined {
  if (typeof dateTime !== 'string') return undefined;
  // Every rule asks for the date of the same createdAt; Intl formatting is the costly part.
  const hit = helsinkiCache.get(dateTime);
  if (hit !== undefined || helsinkiCache.has(dateTime)) return hit;
  const ms = instant(dateTime);
  // en-CA formats as YYYY-MM-DD.
  const s = ms === undefined ? undefined : HELSINKI.format(new Date(ms));
  const result = s !== undefined && isDate(s) ? s : undefined;
  if (helsinkiCache.size >= 256) helsinkiCache.clear();
  helsinkiCache.set(dateTime, result);
  return result;
}

const helsinkiCache = new Map<string, string | undefined>();

/** The Europe/Helsinki calendar date of an instant, 'YYYY-MM-DD'. */
export const helsinkiDateOf = (at: Date): string => HELSINKI.format(at);

/** The Helsinki calendar date of an instant as yyyymmdd, the date part of a file name. */
export const compactHelsinkiDate = (at: Date): string => helsinkiDateOf(at).replace(/-/g, '');

/** d.m.yyyy, as dates are written in Finnish and Swedish. */
export function formatDateFi(date: string): string {
  const p = parseDate(date);
  return p ? `${p.d}.${p.m}.${p.y}` : date;
}

const HELSINKI_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Helsinki',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** HH:MM in Europe/Helsinki of an RFC 3339 date-time, or undefined when malformed. */
export function helsinkiTime(dateTime: unknown): string | undefined {
  const ms = instant(dateTime);
  if (ms === undefined) return undefined;
  const parts = HELSINKI_TIME.formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('hour')}:${get('minute')}`;
}

const HELSINKI_OFFSET = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Europe/Helsinki',
  timeZoneName: 'longOffset',
});

/** Minutes east of UTC in Europe/Helsinki at an instant: 120 in winter, 180 in summer. */
export function helsinkiOffsetAt(ms: number): number {
  const name = HELSINKI_OFFSET.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value;
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
