/**
 * The bundled list of current municipalities (templates/data/municipalities.json): lookup by
 * code, search by Finnish or Swedish name, the organiser and the letter language.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { templatesDir } from '../core/paths.js';

export type LanguageStatus = 'fi' | 'fi-sv' | 'sv-fi' | 'sv';

export interface Municipality {
  code: string;
  name_fi: string;
  name_sv: string;
  language: LanguageStatus;
  /** The wellbeing services county (or the City of Helsinki); null on Åland. */
  wellbeing_county: string | null;
}

let list: readonly Municipality[] | undefined;
let index: ReadonlyMap<string, Municipality> | undefined;

// Read once, on first use: `handover --version` never pays for it.
function load(): ReadonlyMap<string, Municipality> {
  if (!index) {
    list = JSON.parse(
      readFileSync(join(templatesDir(), 'data', 'municipalities.json'), 'utf8'),
    ) as Municipality[];
    index = new Map(list.map((m) => [m.code, m]));
  }
  return index;
}

export function allMunicipalities(): readonly Municipality[] {
  load();
  return list ?? [];
}

export const byCode = (code: unknown): Municipality | undefined =>
  typeof code === 'string' ? load().get(code) : undefined;

/** A current municipality code: three digits, in the bundled list. */
export const isMunicipalityCode = (code: unknown): boolean => byCode(code) !== undefined;

const fold = (s: string): string => s.normalize('NFC').toLocaleLowerCase('fi').trim();

/**
 * Municipalities whose Finnish or Swedish name starts with the query (case-insensitive, å ä ö
 * included), or whose code starts with it; exact name matches first.
 */
export function searchMunicipalities(query: string): Municipality[] {
  const q = fold(query);
  if (q === '') return [];
  const hits = allMunicipalities().filter(
    (m) => m.code.startsWith(q) || fold(m.name_fi).startsWith(q) || fold(m.name_sv).startsWith(q),
  );
  const exact = (m: Municipality) => m.code === q || fold(m.name_fi) === q || fold(m.name_sv) === q;
  return [...hits.filter(exact), ...hits.filter((m) => !exact(m))];
}

/** The organiser of social services there: a wellbeing services county, Helsinki, or null (Åland). */
export const organiser = (code: unknown): string | null | undefined => byCode(code)?.wellbeing_county;

/** Letter language from the language status: sv and sv-fi → Swedish, fi and fi-sv → Finnish. */
export function letterLanguage(code: unknown): 'fi' | 'sv' | undefined {
  const m = byCode(code);
  if (!m) return undefined;
  return m.language === 'sv' || m.language === 'sv-fi' ? 'sv' : 'fi';
}

/** Both official languages are in use there (the worker may pick the other one). */
export const isBilingual = (code: unknown): boolean => {
  const l = byCode(code)?.language;
  return l === 'fi-sv' || l === 'sv-fi';
};

/** The name in the language asked for (Swedish name for sv, Finnish otherwise). */
export function municipalityName(code: unknown, lang: string): string | undefined {
  const m = byCode(code);
  if (!m) return undefined;
  return lang === 'sv' ? m.name_sv : m.name_fi;
}
