/**
 * Dates, times and money as a Finnish reader expects them. Dates of the document are
 * calendar dates; instants (createdAt, meeting slots) are shown in Europe/Helsinki time.
 */
import { formatDateFi, helsinkiDateOf } from '../domain/dates.js';
import type { Person } from '../schema/types.js';
import type { LetterTexts } from './texts.js';

const TZ = 'Europe/Helsinki';

// Intl formatters are costly to build and immutable: build each once per locale.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let f = formatters.get(key);
  if (!f) {
    f = make();
    formatters.set(key, f);
  }
  return f as T;
}

/** A calendar date "YYYY-MM-DD" as 1.3.2026 (fi, sv) or 2026-03-01 (en). */
export const formatDate = (date: string, texts: LetterTexts): string =>
  texts.dateStyle === 'iso' ? date : formatDateFi(date);

/** The Helsinki calendar date of an instant, as YYYY-MM-DD. */
export const helsinkiDate = helsinkiDateOf;

/** A meeting slot in Helsinki time: "ti 10.3.2026 klo 9.00–10.00" and the like. */
export function formatSlot(start: string, end: string, texts: LetterTexts): string {
  const s = new Date(start);
  const e = new Date(end);
  const day = cached(
    `wd:${texts.locale}`,
    () => new Intl.DateTimeFormat(texts.locale, { timeZone: TZ, weekday: 'short' }),
  ).format(s);
  const hm = cached(
    `hm:${texts.locale}`,
    () =>
      new Intl.DateTimeFormat(texts.locale, {
        timeZone: TZ,
        hour: '2-digit',
        minute: '2-digit',
        hour12: false,
      }),
  );
  const time = (d: Date): string => hm.format(d).replace(/^0(\d)/, '$1');
  const sameDay = helsinkiDate(s) === helsinkiDate(e);
  const endText = sameDay ? time(e) : `${formatDate(helsinkiDate(e), texts)} ${time(e)}`;
  return `${day} ${formatDate(helsinkiDate(s), texts)} ${time(s)}–${endText}`;
}

export function formatMoney(eur: number, texts: LetterTexts): string {
  return cached(
    `eur:${texts.locale}`,
    () => new Intl.NumberFormat(texts.locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  )
    .format(eur)
    .replace(/\u202f/g, '\u00a0');
}

export function formatNumber(n: number, texts: LetterTexts): string {
  return cached(
    `num:${texts.locale}`,
    () => new Intl.NumberFormat(texts.locale, { maximumFractionDigits: 2 }),
  )
    .format(n)
    .replace(/\u202f/g, '\u00a0');
}

/** "Name, title, phone, e-mail" on one line; a phone number is never broken across lines. */
export const personLine = (p: Person): string =>
  [p.name, p.title, p.phone?.replace(/ /g, '\u00a0'), p.email]
    .filter((x): x is string => Boolean(x))
    .join(', ');
