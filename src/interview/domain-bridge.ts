/**
 * The interview's view of the domain: the few functions its questions need, in one place, so
 * that the questions and `config set` check values exactly as `handover validate` does.
 */
import { isValidBusinessId as validBusinessId } from '../domain/business-id.js';
import { parseHetu } from '../domain/hetu.js';
import { isMunicipalityCode } from '../domain/municipalities.js';

export const isValidBusinessId = (s: string): boolean => validBusinessId(s);
export const isKnownMunicipality = (code: string): boolean => isMunicipalityCode(code);

/** The birth date a personal identity code carries, or undefined when the code is not valid. */
export function hetuBirthDate(code: string, notAfter?: string): string | undefined {
  const r = parseHetu(code, notAfter);
  return r.valid ? r.birthDate : undefined;
}

export const isValidHetu = (s: string): boolean => parseHetu(s).valid;
