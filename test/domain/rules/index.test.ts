import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RULES, runReceiptRules, runRules, runWithdrawalRules } from '../../../src/domain/rules/index.js';
import { example } from './example.js';

describe('runRules', () => {
  it('knows every code of SPEC §5.3 with its severity', () => {
    const warnings = Object.entries(RULES)
      .filter(([, r]) => r.severity === 'warning')
      .map(([c]) => c)
      .sort();
    expect(warnings).toEqual([
      'BACKUP_CONTACT_MISSING',
      'ENTITLEMENT_OPEN_CARE_SHORT',
      'ENTITLEMENT_PAYER',
      'PLACEMENT_AFTER_18',
      'RECEIPT_STALE',
      'REVOCATION_UNKNOWN',
      'SERVICE_AFTER_ENTITLEMENT',
      'SERVICE_PLAN_BASIS',
      'YOUTH_FUNDS_DUE',
    ]);
    expect(Object.keys(RULES)).toHaveLength(40);
  });

  it('runs on the well-formed parts of a document whose other parts have the wrong shape', () => {
    const d = example();
    d.sender = 'not a party';
    d.services = { not: 'a list' };
    d.clientPlan.goals = null;
    d.meeting.slots = [42, null, { start: 1 }];
    d.youth.personalIdentityCode = '020506A952L';
    expect(runRules(d).map((f) => f.rule)).toEqual(['HETU_INVALID']);
  });

  it('never throws, whatever JSON it gets', () => {
    const doc = example();
    const anyJson = fc.jsonValue({ maxDepth: 4 });
    // Arbitrary values, and the example with arbitrary values at random places.
    fc.assert(
      fc.property(anyJson, (v) => {
        runRules(v);
        runReceiptRules(v);
        runWithdrawalRules(v);
      }),
      { numRuns: 300 },
    );
    const keys = [
      'youth',
      'consent',
      'entitlement',
      'clientPlan',
      'services',
      'meeting',
      'createdAt',
      'type',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.constantFrom(...keys), anyJson, (k1, k2, v) => {
        const d = structuredClone(doc);
        d[k1] = v;
        if (typeof d[k2] === 'object' && d[k2] !== null) for (const k of Object.keys(d[k2])) d[k2][k] = v;
        expect(Array.isArray(runRules(d))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('returns nothing for a value that is not an object', () => {
    expect(runRules(null)).toEqual([]);
    expect(runRules([example()])).toEqual([]);
  });
});
