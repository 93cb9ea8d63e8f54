import { describe, expect, it } from 'vitest';
import {
  byCode,
  isMunicipalityCode,
  letterLanguage,
  organiser,
  searchMunicipalities,
} from '../../src/domain/municipalities.js';

describe('municipalities', () => {
  it('finds by code with leading zeros kept', () => {
    expect(byCode('005')?.name_fi).toBe('Alajärvi');
    expect(byCode('091')?.name_sv).toBe('Helsingfors');
    expect(isMunicipalityCode('5')).toBe(false);
    expect(isMunicipalityCode('999')).toBe(false);
    expect(isMunicipalityCode(91)).toBe(false);
  });

  it('searches Finnish and Swedish names by prefix, case-insensitively', () => {
    expect(searchMunicipalities('helsingf').map((m) => m.code)).toEqual(['091']);
    expect(searchMunicipalities('HELSINKI').map((m) => m.code)).toEqual(['091']);
    expect(searchMunicipalities('alajä').map((m) => m.code)).toContain('005');
    expect(searchMunicipalities('ÅBO').map((m) => m.code)).toEqual(['853']);
    expect(searchMunicipalities('vasa').map((m) => m.code)).toContain('905');
    expect(searchMunicipalities('091').map((m) => m.code)).toEqual(['091']);
    expect(searchMunicipalities('')).toEqual([]);
  });

  it('names the organiser', () => {
    expect(organiser('091')).toBe('Helsingin kaupunki');
    expect(organiser('905')).toBe('Pohjanmaan hyvinvointialue');
    expect(organiser('478')).toBeNull();
  });

  it('derives the letter language from the language status', () => {
    expect(letterLanguage('091')).toBe('fi'); // fi-sv
    expect(letterLanguage('005')).toBe('fi'); // fi
    expect(letterLanguage('499')).toBe('sv'); // sv-fi
    expect(letterLanguage('478')).toBe('sv'); // sv
    expect(letterLanguage('000')).toBeUndefined();
  });
});
