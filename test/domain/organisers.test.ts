import { describe, expect, it } from 'vitest';
import { allMunicipalities } from '../../src/domain/municipalities.js';
import { organiserName, organiserOf } from '../../src/domain/organisers.js';

describe('the organisers (SPEC §4.10)', () => {
  it('names the organiser in the worker’s language: Helsingfors stad in Swedish', () => {
    const helsinki = organiserOf('091')!;
    expect(organiserName(helsinki, 'sv')).toBe('Helsingfors stad');
    expect(organiserName(helsinki, 'fi')).toBe('Helsingin kaupunki');
    expect(organiserName(organiserOf('499')!, 'sv')).toBe('Österbottens välfärdsområde');
  });

  it('has an organiser for every municipality outside Åland, 22 in all, and none on Åland', () => {
    const outside = allMunicipalities().filter((m) => m.wellbeing_county !== null);
    expect(outside.every((m) => organiserOf(m.code) !== undefined)).toBe(true);
    expect(new Set(outside.map((m) => organiserOf(m.code)!.code)).size).toBe(22);
    expect(organiserOf('478')).toBeUndefined(); // Maarianhamina – Mariehamn
  });

  it('carries no business ID without a cited source', () => {
    const ids = allMunicipalities().map((m) => organiserOf(m.code)?.businessId);
    expect(ids.filter(Boolean)).toEqual([]);
  });
});
