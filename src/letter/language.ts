/**
 * Which language a letter is written in (SPEC §6): the language status of the recipient
 * municipality. Reads the bundled municipality list directly; it is the same data the domain
 * module publishes, kept behind this one function so that the source can change in one place.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { templatesDir } from '../paths.js';
import type { Handover } from '../schema/types.js';
import type { LetterLang } from './texts.js';

export interface MunicipalityInfo {
  code: string;
  name_fi: string;
  name_sv: string;
  language: 'fi' | 'fi-sv' | 'sv-fi' | 'sv';
}

let municipalities: Map<string, MunicipalityInfo> | undefined;

export function municipality(code: string | undefined): MunicipalityInfo | undefined {
  if (code === undefined) return undefined;
  if (!municipalities) {
    const list = JSON.parse(
      readFileSync(join(templatesDir(), 'data', 'municipalities.json'), 'utf8'),
    ) as MunicipalityInfo[];
    municipalities = new Map(list.map((m) => [m.code, m]));
  }
  return municipalities.get(code);
}

/** The municipality the letter goes to: the recipient organisation's, else the youth's new one. */
export const recipientMunicipalityCode = (doc: Handover): string =>
  doc.recipient.organization.municipalityCode ?? doc.youth.newMunicipalityCode;

/** sv and sv-fi → Swedish; fi and fi-sv (and an unknown code) → Finnish. */
export function letterLanguage(doc: Handover): LetterLang {
  const status = municipality(recipientMunicipalityCode(doc))?.language;
  return status === 'sv' || status === 'sv-fi' ? 'sv' : 'fi';
}

/** Both official languages are offered for a bilingual municipality (interactive choice). */
export function isBilingual(doc: Handover): boolean {
  const status = municipality(recipientMunicipalityCode(doc))?.language;
  return status === 'fi-sv' || status === 'sv-fi';
}

/** The municipality's name in the letter's language (English letters use the Finnish name). */
export function municipalityName(code: string, lang: LetterLang): string {
  const m = municipality(code);
  if (!m) return code;
  return lang === 'sv' ? m.name_sv : m.name_fi;
}
