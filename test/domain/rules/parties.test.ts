import { describe, expect, it } from 'vitest';
import { runReceiptRules, runRules, runWithdrawalRules } from '../../../src/domain/rules/index.js';
import { example } from './example.js';

describe('BUSINESS_ID_INVALID, MUNICIPALITY_UNKNOWN, BACKUP_CONTACT_MISSING', () => {
  it('checks the business ID of both parties', () => {
    const d = example();
    d.sender.organization.businessId = '1000008-0';
    d.recipient.organization.businessId = '0166906';
    const f = runRules(d).filter((x) => x.rule === 'BUSINESS_ID_INVALID');
    expect(f.map((x) => x.pointer)).toEqual([
      '/sender/organization/businessId',
      '/recipient/organization/businessId',
    ]);
    expect(f[0]?.severity).toBe('error');
  });

  it('checks every municipality code, the format included', () => {
    const d = example();
    d.sender.organization.municipalityCode = '91';
    d.recipient.organization.municipalityCode = '000';
    d.youth.newMunicipalityCode = '0905';
    expect(
      runRules(d)
        .filter((x) => x.rule === 'MUNICIPALITY_UNKNOWN')
        .map((x) => x.pointer),
    ).toEqual([
      '/sender/organization/municipalityCode',
      '/recipient/organization/municipalityCode',
      '/youth/newMunicipalityCode',
    ]);
  });

  it('accepts an organisation without a municipality code', () => {
    const d = example();
    delete d.recipient.organization.municipalityCode;
    expect(runRules(d)).toEqual([]);
  });

  it('warns at /sender when the sender has no backup contact', () => {
    const d = example();
    delete d.sender.backupContact;
    expect(runRules(d)).toEqual([
      { rule: 'BACKUP_CONTACT_MISSING', severity: 'warning', pointer: '/sender' },
    ]);
  });

  it('checks the receiver of a receipt and the sender of a withdrawal', () => {
    const org = { name: 'X', businessId: '1572860-1', municipalityCode: '092' };
    expect(runReceiptRules({ kind: 'receipt', receiver: { organization: org } })).toEqual([
      { rule: 'BUSINESS_ID_INVALID', severity: 'error', pointer: '/receiver/organization/businessId' },
    ]);
    expect(
      runWithdrawalRules({
        kind: 'withdrawal',
        sender: { organization: { ...org, municipalityCode: '1' } },
      }).map((x) => x.pointer),
    ).toEqual(['/sender/organization/businessId', '/sender/organization/municipalityCode']);
    expect(
      runReceiptRules({ kind: 'receipt', receiver: { organization: { ...org, businessId: '1572860-0' } } }),
    ).toEqual([]);
  });
});
