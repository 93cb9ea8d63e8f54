/** Municipality names as a letter prints them. */
import type { Lang } from '../domain/language.js';
import * as municipalities from '../domain/municipalities.js';

/** The municipality's name in the letter's language (English letters use the Finnish name). */
export const municipalityName = (code: string, lang: Lang): string =>
  municipalities.municipalityName(code, lang) ?? code;
