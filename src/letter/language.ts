/**
 * Which language a letter is written in (SPEC §6): the language status of the recipient
 * municipality, as the domain's municipality list gives it.
 */
import * as municipalities from '../domain/municipalities.js';
import type { Handover } from '../schema/types.js';
import type { LetterLang } from './texts.js';

/** The municipality the letter goes to: the recipient organisation's, else the youth's new one. */
export const recipientMunicipalityCode = (doc: Handover): string =>
  doc.recipient.organization.municipalityCode ?? doc.youth.newMunicipalityCode;

/** sv and sv-fi → Swedish; fi and fi-sv (and an unknown code) → Finnish. */
export const letterLanguage = (doc: Handover): LetterLang =>
  municipalities.letterLanguage(recipientMunicipalityCode(doc)) ?? 'fi';

/** The municipality's name in the letter's language (English letters use the Finnish name). */
export const municipalityName = (code: string, lang: LetterLang): string =>
  municipalities.municipalityName(code, lang) ?? code;
