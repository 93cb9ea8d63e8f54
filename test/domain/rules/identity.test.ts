import { describe, expect, it } from 'vitest';
import { runRules } from '../../../src/domain/rules/index.js';
import { example } from './example.js';

describe('HETU_INVALID and HETU_BIRTHDATE_MISMATCH', () => {
  it.each([
    ['020506A952L', 'control'],
    ['310206A952K', 'date'],
    ['020506A001K', 'individual'],
    ['020506A952k', 'format'],
    ['20506A952K', 'format'],
  ])('%s is invalid (%s)', (code, reason) => {
    const d = example();
    d.youth.personalIdentityCode = code;
    expect(runRules(d)).toContainEqual({
      rule: 'HETU_INVALID',
      severity: 'error',
      pointer: '/youth/personalIdentityCode',
      params: { reason },
    });
  });

  it('rejects a birth date after createdAt (Helsinki date)', () => {
    const d = example();
    d.youth.personalIdentityCode = '211126A9005'; // born 21.11.2026, the day after createdAt
    d.youth.birthDate = '2026-11-21';
    expect(runRules(d)).toContainEqual(
      expect.objectContaining({ rule: 'HETU_INVALID', params: { reason: 'future' } }),
    );
    d.createdAt = '2026-11-20T22:30:00Z'; // already 21.11. in Helsinki
    expect(runRules(d).map((f) => f.rule)).not.toContain('HETU_INVALID');
  });

  it('reports a birthDate that differs from the code, only when the code is valid', () => {
    const d = example();
    d.youth.birthDate = '2006-05-03';
    expect(runRules(d)).toContainEqual(
      expect.objectContaining({ rule: 'HETU_BIRTHDATE_MISMATCH', pointer: '/youth/birthDate' }),
    );
    d.youth.personalIdentityCode = '020506A952L';
    expect(runRules(d).map((f) => f.rule)).not.toContain('HETU_BIRTHDATE_MISMATCH');
  });

  it('keeps the century sign: the same digits with - mean 1906, not the birthDate 2006', () => {
    const d = example();
    d.youth.personalIdentityCode = '020506-952K';
    expect(runRules(d).map((f) => f.rule)).toEqual(['HETU_BIRTHDATE_MISMATCH']);
  });

  it('accepts a 1900s code with a new century sign', () => {
    const d = example();
    d.youth.personalIdentityCode = '020594X903P';
    d.youth.birthDate = '1994-05-02';
    expect(runRules(d).map((f) => f.rule)).not.toContain('HETU_INVALID');
  });

  it('says nothing about a code that is absent or of the wrong type (the schema does)', () => {
    const d = example();
    delete d.youth.personalIdentityCode;
    expect(runRules(d)).toEqual([]);
    d.youth.personalIdentityCode = 20506;
    expect(runRules(d).map((f) => f.rule)).not.toContain('HETU_INVALID');
  });
});
