/**
 * Personal identity code (henkilötunnus) DDMMYYCNNNQ. The century sign is part of the code:
 * it is never normalised away, and the 2023 signs (Y X W V U, B C D E F) are as valid as the
 * old ones.
 */
import { compareDates, formatDate, parseDate } from './dates.js';

const CONTROL = '0123456789ABCDEFHJKLMNPRSTUVWXY';
const CENTURY: Record<string, number> = {
  '+': 1800,
  '-': 1900,
  Y: 1900,
  X: 1900,
  W: 1900,
  V: 1900,
  U: 1900,
  A: 2000,
  B: 2000,
  C: 2000,
  D: 2000,
  E: 2000,
  F: 2000,
};
const SHAPE = /^(\d{2})(\d{2})(\d{2})([-+YXWVUABCDEF])(\d{3})([0-9A-Y])$/;

export type HetuProblem = 'format' | 'date' | 'individual' | 'control' | 'future';

export type HetuResult =
  | { valid: true; birthDate: string; individualNumber: number; temporary: boolean }
  | { valid: false; reason: HetuProblem; birthDate?: string };

/** The control character for the nine digits DDMMYYNNN. */
export const hetuControl = (digits: string): string => CONTROL[Number(digits) % 31] ?? '';

/**
 * Checks a code; `notAfter` (a 'YYYY-MM-DD' date, e.g. the Helsinki date of createdAt) makes
 * a birth date after it invalid.
 */
export function parseHetu(code: unknown, notAfter?: string): HetuResult {
  if (typeof code !== 'string') return { valid: false, reason: 'format' };
  const m = SHAPE.exec(code);
  if (!m) return { valid: false, reason: 'format' };
  const [, dd, mm, yy, sign, nnn, q] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const century = CENTURY[sign];
  if (century === undefined) return { valid: false, reason: 'format' };
  const ymd = parseDate(`${century + Number(yy)}-${mm}-${dd}`);
  if (!ymd) return { valid: false, reason: 'date' };
  const birthDate = formatDate(ymd);
  const individualNumber = Number(nnn);
  if (individualNumber < 2) return { valid: false, reason: 'individual', birthDate };
  if (hetuControl(`${dd}${mm}${yy}${nnn}`) !== q) return { valid: false, reason: 'control', birthDate };
  if (notAfter !== undefined && compareDates(birthDate, notAfter) > 0)
    return { valid: false, reason: 'future', birthDate };
  return { valid: true, birthDate, individualNumber, temporary: individualNumber >= 900 };
}

export const isValidHetu = (code: unknown, notAfter?: string): boolean => parseHetu(code, notAfter).valid;

/** The birth date a valid code carries, or undefined for an invalid one. */
export function hetuBirthDate(code: unknown, notAfter?: string): string | undefined {
  const r = parseHetu(code, notAfter);
  return r.valid ? r.birthDate : undefined;
}
