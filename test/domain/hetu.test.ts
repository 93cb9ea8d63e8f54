import { describe, expect, it } from 'vitest';
import { hetuBirthDate, hetuControl, parseHetu } from '../../src/domain/hetu.js';

describe('personal identity code', () => {
  it.each([
    ['131052-308T', '1952-10-13', false],
    ['010594Y9032', '1994-05-01', true],
    ['020594X903P', '1994-05-02', true],
    ['010516B903X', '2016-05-01', true],
  ])('accepts %s (DOMAIN.md)', (code, birthDate, temporary) => {
    const r = parseHetu(code, '2026-11-20');
    expect(r).toEqual({ valid: true, birthDate, individualNumber: Number(code.slice(7, 10)), temporary });
  });

  it.each([
    ['131052-308U', 'control'],
    ['310252-308Y', 'date'],
    ['131052A308T', 'future'],
  ])('rejects %s as %s (DOMAIN.md)', (code, reason) => {
    expect(parseHetu(code, '2026-11-20')).toMatchObject({ valid: false, reason });
  });

  it('accepts every century sign with the right century', () => {
    const digits = '010100950';
    const q = hetuControl(digits);
    for (const [sign, year] of [
      ['+', 1800],
      ['-', 1900],
      ['Y', 1900],
      ['X', 1900],
      ['W', 1900],
      ['V', 1900],
      ['U', 1900],
      ['A', 2000],
      ['B', 2000],
      ['C', 2000],
      ['D', 2000],
      ['E', 2000],
      ['F', 2000],
    ] as const) {
      const r = parseHetu(`010100${sign}950${q}`, '2026-11-20');
      expect(r, sign).toMatchObject({ valid: true, birthDate: `${year}-01-01` });
    }
    expect(parseHetu(`010100G950${q}`)).toMatchObject({ valid: false, reason: 'format' });
    expect(parseHetu(`010100Z950${q}`)).toMatchObject({ valid: false, reason: 'format' });
  });

  it('rejects individual numbers 000 and 001 and accepts 002 and 999', () => {
    for (const nnn of ['000', '001']) {
      const code = `131052-${nnn}${hetuControl(`131052${nnn}`)}`;
      expect(parseHetu(code)).toMatchObject({ valid: false, reason: 'individual' });
    }
    for (const nnn of ['002', '899', '900', '999']) {
      const code = `131052-${nnn}${hetuControl(`131052${nnn}`)}`;
      expect(parseHetu(code)).toMatchObject({ valid: true, temporary: Number(nnn) >= 900 });
    }
  });

  it('rejects impossible dates, wrong shapes and lowercase letters', () => {
    expect(parseHetu('290223A903' + hetuControl('290223903'))).toMatchObject({ reason: 'date' });
    expect(parseHetu('290224A903' + hetuControl('290224903'), '2026-01-01')).toMatchObject({ valid: true });
    expect(parseHetu('131052-308t')).toMatchObject({ reason: 'format' });
    expect(parseHetu(' 131052-308T')).toMatchObject({ reason: 'format' });
    expect(parseHetu('131052308T')).toMatchObject({ reason: 'format' });
    expect(parseHetu(131052)).toMatchObject({ reason: 'format' });
  });

  it('treats a birth date after the reference date as invalid, the same day as valid', () => {
    const code = `201126A903${hetuControl('201126903')}`;
    expect(parseHetu(code, '2026-11-20')).toMatchObject({ valid: true });
    expect(parseHetu(code, '2026-11-19')).toMatchObject({ valid: false, reason: 'future' });
  });

  it('exports the birth date of a valid code only', () => {
    expect(hetuBirthDate('010516B903X')).toBe('2016-05-01');
    expect(hetuBirthDate('131052-308U')).toBeUndefined();
  });
});
