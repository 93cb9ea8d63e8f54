/**
 * The interview's view of the domain: identifiers, municipalities, the law table and the
 * service catalogue, behind the few functions the questions need.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { templatesDir } from '../paths.js';

export interface Municipality {
  code: string;
  nameFi: string;
  nameSv: string;
  /** fi, fi-sv, sv-fi, sv */
  language: string;
  /** The wellbeing services county (or Helsinki) that arranges social services there. */
  organiser: string | null;
}

let municipalities: Municipality[] | undefined;

export function allMunicipalities(): Municipality[] {
  if (!municipalities) {
    const raw = JSON.parse(readFileSync(join(templatesDir(), 'data', 'municipalities.json'), 'utf8')) as {
      code: string;
      name_fi: string;
      name_sv: string;
      language: string;
      wellbeing_county: string | null;
    }[];
    municipalities = raw.map((m) => ({
      code: m.code,
      nameFi: m.name_fi,
      nameSv: m.name_sv,
      language: m.language,
      organiser: m.wellbeing_county,
    }));
  }
  return municipalities;
}

export const municipalityByCode = (code: string): Municipality | undefined =>
  allMunicipalities().find((m) => m.code === code);

export const isKnownMunicipality = (code: string): boolean =>
  /^\d{3}$/.test(code) && municipalityByCode(code) !== undefined;

const fold = (s: string): string => s.toLocaleLowerCase('fi').normalize('NFC');

/** Municipalities whose Finnish or Swedish name starts with (then contains) the term, or whose code starts with it. */
export function searchMunicipalities(term: string): Municipality[] {
  const q = fold(term.trim());
  if (q === '') return allMunicipalities();
  const all = allMunicipalities();
  const starts = all.filter(
    (m) => m.code.startsWith(q) || fold(m.nameFi).startsWith(q) || fold(m.nameSv).startsWith(q),
  );
  const contains = all.filter(
    (m) => !starts.includes(m) && (fold(m.nameFi).includes(q) || fold(m.nameSv).includes(q)),
  );
  return [...starts, ...contains];
}

/** The letter language a municipality's language status gives (SPEC §6). */
export const letterLanguageOf = (m: Municipality): 'fi' | 'sv' => (m.language.startsWith('sv') ? 'sv' : 'fi');
export const isBilingual = (m: Municipality): boolean => m.language === 'fi-sv' || m.language === 'sv-fi';

/** Y-tunnus NNNNNNN-T with its check digit (DOMAIN.md). */
export function isValidBusinessId(s: string): boolean {
  const m = /^(\d{7})-(\d)$/.exec(s);
  if (!m) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2];
  const sum = [...m[1]!].reduce((acc, d, i) => acc + Number(d) * weights[i]!, 0);
  const r = sum % 11;
  if (r === 1) return false;
  return Number(m[2]) === (r === 0 ? 0 : 11 - r);
}

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
const CONTROL = '0123456789ABCDEFHJKLMNPRSTUVWXY';

/** The birth date a personal identity code carries, or undefined when the code is not valid. */
export function hetuBirthDate(s: string): string | undefined {
  const m = /^(\d{2})(\d{2})(\d{2})([-+A-FU-Y])(\d{3})([0-9A-Y])$/.exec(s);
  if (!m) return undefined;
  const [, dd, mm, yy, sign, nnn, q] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const year = CENTURY[sign]! + Number(yy);
  const date = new Date(Date.UTC(year, Number(mm) - 1, Number(dd)));
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== Number(mm) - 1 ||
    date.getUTCDate() !== Number(dd)
  )
    return undefined;
  if (Number(nnn) < 2) return undefined;
  if (CONTROL[Number(`${dd}${mm}${yy}${nnn}`) % 31] !== q) return undefined;
  return `${year}-${mm}-${dd}`;
}

export const isValidHetu = (s: string): boolean => hetuBirthDate(s) !== undefined;
