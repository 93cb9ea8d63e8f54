import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentKind, validateSchema } from '../../src/schema/validator.js';
import { ROOT } from '../helpers/cli.js';

const complete = () =>
  JSON.parse(readFileSync(join(ROOT, 'test/fixtures/schema/complete.handover.json'), 'utf8')) as Record<
    string,
    any
  >;

describe('validateSchema', () => {
  it('accepts a complete handover', () => {
    expect(validateSchema('handover', complete())).toEqual([]);
  });

  it('names a missing member by its own pointer', () => {
    const doc = complete();
    delete doc.youth.birthDate;
    expect(validateSchema('handover', doc)).toEqual([
      { pointer: '/youth/birthDate', keyword: 'required', params: { property: 'birthDate' } },
    ]);
  });

  it('rejects an unknown member, so nothing outside the consent scope rides along', () => {
    const doc = complete();
    doc.youth.diagnosis = 'x';
    expect(validateSchema('handover', doc)).toMatchObject([
      { pointer: '/youth/diagnosis', keyword: 'additionalProperties' },
    ]);
  });

  it('gives one best error for a contact person with neither e-mail nor phone', () => {
    const doc = complete();
    doc.sender.contact = { name: 'Sanna' };
    const issues = validateSchema('handover', doc);
    expect(issues).toEqual([
      { pointer: '/sender/contact', keyword: 'anyOf', params: { alternatives: 'email|phone' } },
    ]);
  });

  it('requires a contact person of the sender but not of the recipient', () => {
    const doc = complete();
    delete doc.sender.contact;
    expect(validateSchema('handover', doc)).toMatchObject([
      { pointer: '/sender/contact', keyword: 'required' },
    ]);
  });

  it.each([
    ['untrimmed text', (d: any) => (d.caseReference = ' LS-1'), '/caseReference', 'pattern'],
    ['empty text', (d: any) => (d.youth.name.given = ''), '/youth/name/given', 'minLength'],
    ['impossible date', (d: any) => (d.youth.birthDate = '2006-02-30'), '/youth/birthDate', 'format'],
    ['date-time without offset', (d: any) => (d.createdAt = '2026-11-20T10:00:00'), '/createdAt', 'format'],
    ['unknown category', (d: any) => d.consent.scope.push('religion'), '/consent/scope/4', 'enum'],
    ['repeated category', (d: any) => d.consent.scope.push('identity'), '/consent/scope/4', 'uniqueItems'],
    ['empty scope', (d: any) => (d.consent.scope = []), '/consent/scope', 'minItems'],
    [
      'negative price',
      (d: any) => (d.services[0].pricing.unitPriceEur = -1),
      '/services/0/pricing/unitPriceEur',
      'minimum',
    ],
    [
      'zero units',
      (d: any) => (d.services[0].pricing.estimatedUnits = 0),
      '/services/0/pricing/estimatedUnits',
      'exclusiveMinimum',
    ],
    ['notes over 4000 characters', (d: any) => (d.notes = 'x'.repeat(4001)), '/notes', 'maxLength'],
    ['wrong version', (d: any) => (d.schemaVersion = '2.0'), '/schemaVersion', 'const'],
    [
      'postal code of 4 digits',
      (d: any) => (d.sender.organization.address = { street: 'Katu 1', postalCode: '3310', city: 'Tampere' }),
      '/sender/organization/address/postalCode',
      'pattern',
    ],
  ])('rejects %s with the keyword that failed', (_name, mutate, pointer, keyword) => {
    const doc = complete();
    mutate(doc);
    expect(validateSchema('handover', doc)).toContainEqual(expect.objectContaining({ pointer, keyword }));
  });

  it('leaves identifier formats to their rules (one code per bad value)', () => {
    const doc = complete();
    doc.youth.personalIdentityCode = 'not-a-code';
    doc.sender.organization.businessId = '123';
    doc.youth.newMunicipalityCode = '9999';
    expect(validateSchema('handover', doc)).toEqual([]);
  });

  it('requires reasons on a rejected receipt', () => {
    const receipt = {
      kind: 'receipt',
      schemaVersion: '1.0',
      id: '0b7d6a52-5a56-4a53-9d49-3c9d3e0b8f11',
      handoverId: '6f1c2a9e-3b4d-4c8e-9f10-2a3b4c5d6e7f',
      handoverSha256: 'a'.repeat(64),
      receivedAt: '2026-11-21T09:00:00+02:00',
      receiver: { organization: { name: 'Pohjanmaan hyvinvointialue', businessId: '0166906-4' } },
      outcome: 'rejected',
    };
    expect(validateSchema('receipt', receipt)).toMatchObject([{ pointer: '/reasons', keyword: 'required' }]);
    expect(validateSchema('receipt', { ...receipt, reasons: [{ rule: 'HETU_INVALID' }] })).toEqual([]);
  });
});

describe('documentKind', () => {
  it('recognises receipts and withdrawals by kind, a handover by schemaVersion, anything else as unknown', () => {
    expect(documentKind({ kind: 'receipt' })).toBe('receipt');
    expect(documentKind({ kind: 'withdrawal' })).toBe('withdrawal');
    expect(documentKind({ schemaVersion: '1.0' })).toBe('handover');
    expect(documentKind({ kind: 'other' })).toBe('unknown');
    expect(documentKind([1])).toBe('unknown');
  });
});
