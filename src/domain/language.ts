/**
 * The three languages of the product (messages, letters, free text) and the one rule that
 * picks the language of a letter (SPEC §6).
 */
import { letterLanguage as municipalityLetterLanguage } from './municipalities.js';

export const LANGS = ['fi', 'sv', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export const isLang = (v: unknown): v is Lang =>
  typeof v === 'string' && (LANGS as readonly string[]).includes(v);

/** The municipality a letter goes to: the recipient organisation's, else the youth's new one. */
export const letterMunicipalityCode = (doc: {
  recipient: { organization: { municipalityCode?: string } };
  youth: { newMunicipalityCode?: string };
}): string | undefined => doc.recipient.organization.municipalityCode ?? doc.youth.newMunicipalityCode;

/**
 * The letter's language: the worker's explicit choice, else the municipality's language
 * status (sv and sv-fi → Swedish, fi and fi-sv → Finnish), else the configured default, else
 * Finnish. `new`, `letter` and the interview all ask this one function.
 */
export function chooseLetterLanguage(input: {
  explicit?: Lang | undefined;
  municipalityCode?: string | undefined;
  configured?: Lang | undefined;
}): Lang {
  if (input.explicit) return input.explicit;
  const byStatus =
    input.municipalityCode === undefined ? undefined : municipalityLetterLanguage(input.municipalityCode);
  return byStatus ?? input.configured ?? 'fi';
}
