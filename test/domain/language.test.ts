import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseLetterLanguage, isLang, letterMunicipalityCode } from '../../src/domain/language.js';
import type { Handover } from '../../src/schema/types.js';
import { ROOT } from '../helpers/cli.js';

const FIXTURE = join(ROOT, 'test', 'letter', 'fixtures', 'aftercare.handover.json');

describe('chooseLetterLanguage', () => {
  it('takes the explicit choice, else the recipient municipality, else the configured default', () => {
    const doc = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Handover;
    const code = letterMunicipalityCode(doc);
    expect(chooseLetterLanguage({ explicit: 'en', municipalityCode: code, configured: 'fi' })).toBe('en');
    expect(chooseLetterLanguage({ municipalityCode: code, configured: 'fi' })).toBe('sv');
    expect(chooseLetterLanguage({ municipalityCode: '999', configured: 'en' })).toBe('en');
    expect(chooseLetterLanguage({ municipalityCode: '999' })).toBe('fi');
  });

  it("takes the recipient organisation's municipality before the youth's new one", () => {
    const doc = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Handover;
    doc.recipient.organization.municipalityCode = '837';
    doc.youth.newMunicipalityCode = '499';
    expect(letterMunicipalityCode(doc)).toBe('837');
    delete doc.recipient.organization.municipalityCode;
    expect(letterMunicipalityCode(doc)).toBe('499');
  });
});

describe('isLang', () => {
  it('knows fi, sv and en only', () => {
    expect(['fi', 'sv', 'en', 'de', 'FI', undefined].map(isLang)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});
