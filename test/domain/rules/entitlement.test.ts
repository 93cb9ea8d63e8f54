import { describe, expect, it } from 'vitest';
import { runRules } from '../../../src/domain/rules/index.js';
import { example } from './example.js';

const only = (d: unknown, rule: string) => runRules(d).filter((f) => f.rule === rule);

describe('ENTITLEMENT_AGE_LIMIT', () => {
  it('names the last day the law allows', () => {
    const d = example();
    d.entitlement.endsOn = '2029-05-02';
    expect(only(d, 'ENTITLEMENT_AGE_LIMIT')).toEqual([
      {
        rule: 'ENTITLEMENT_AGE_LIMIT',
        severity: 'error',
        pointer: '/entitlement/endsOn',
        params: {
          lastDay: '2029-05-01',
          reason: 'age',
          citation_fi: 'LsL 75 § 3 mom. (1283/2023)',
          citation_sv: 'BSL 75 § 3 mom. (1283/2023)',
          citation_en: 'Child Welfare Act 75 § 3 (1283/2023)',
        },
      },
    ]);
  });

  it('does not start the five years at placementEndedOn when lastClientOn is absent (still a client)', () => {
    // Born 2006-05-02, placement ended 2021-05-01: the old default ended the right on 2026-05-01.
    const d = example();
    d.entitlement.placementEndedOn = '2021-05-01';
    d.entitlement.endsOn = '2029-05-01';
    expect(only(d, 'ENTITLEMENT_AGE_LIMIT')).toEqual([]);
    d.entitlement.lastClientOn = '2021-05-01';
    expect(only(d, 'ENTITLEMENT_AGE_LIMIT')[0]?.params).toMatchObject({
      lastDay: '2026-05-01',
      reason: 'five-years',
    });
  });

  it('names no birthday in its params, only the day and the law', () => {
    const d = example();
    d.entitlement.endsOn = '2029-05-02';
    const params = only(d, 'ENTITLEMENT_AGE_LIMIT')[0]?.params ?? {};
    expect(Object.values(params)).not.toContain('2029-05-02');
    expect(Object.values(params)).not.toContain(d.youth.birthDate);
  });

  it('honours an extension (valid or not) up to the day before the 25th birthday', () => {
    const d = example();
    d.entitlement.endsOn = '2031-05-01';
    expect(only(d, 'ENTITLEMENT_AGE_LIMIT')).toHaveLength(1);
    d.entitlement.extension = { kind: 'transitional-decision', reference: 'PIRHA 1/2025' };
    // An invalid extension is ENTITLEMENT_EXTENSION's, never a second ENTITLEMENT_AGE_LIMIT.
    expect(only(d, 'ENTITLEMENT_AGE_LIMIT')).toEqual([]);
    expect(only(d, 'ENTITLEMENT_EXTENSION')).toHaveLength(1);
    d.entitlement.extension = { kind: 'own-policy', reference: 'Aluehallituksen päätös 12/2024' };
    expect(only(d, 'ENTITLEMENT_AGE_LIMIT')).toEqual([]);
    d.entitlement.endsOn = '2031-05-02';
    expect(only(d, 'ENTITLEMENT_AGE_LIMIT')).toHaveLength(1);
  });

  it('caps aftercare at 5 years after lastClientOn', () => {
    const d = example();
    d.entitlement.placementEndedOn = '2023-01-31';
    d.entitlement.placementStartedOn = '2019-08-15';
    d.entitlement.lastClientOn = '2023-06-30';
    d.entitlement.endsOn = '2028-07-01';
    expect(only(d, 'ENTITLEMENT_AGE_LIMIT')[0]?.params).toMatchObject({
      lastDay: '2028-06-30',
      reason: 'five-years',
    });
  });

  it('uses the integration-support table for that type', () => {
    const d = example();
    d.type = 'integration-support';
    d.entitlement.basis = 'unaccompanied-minor';
    d.entitlement.payer = 'recipient';
    // Integration support is paid where it is arranged; independence funds are aftercare's.
    d.services = d.services.filter((s: { code: string }) => s.code !== 'independence-funds');
    for (const s of d.services) if (s.classification === 'aftercare') s.payer = 'recipient';
    d.entitlement.endsOn = '2029-05-01';
    expect(runRules(d)).toEqual([]);
    d.entitlement.endsOn = '2029-05-02';
    expect(only(d, 'ENTITLEMENT_AGE_LIMIT')[0]?.params).toEqual({
      lastDay: '2029-05-01',
      reason: 'age',
      citation_fi: 'laki kotoutumisen edistämisestä 681/2023, 34 § 2 mom. (322/2024)',
      citation_sv: 'lagen om främjande av integration 681/2023, 34 § 2 mom. (322/2024)',
      citation_en: 'Act on the Promotion of Integration 681/2023, 34 § 2 (322/2024)',
    });
  });

  it('names a right that ended before the 2020 change as not revived', () => {
    const d = example();
    d.createdAt = '2020-03-01T10:00:00+02:00';
    d.youth.birthDate = '1998-05-01';
    d.entitlement.endsOn = '2020-03-01';
    expect(only(d, 'ENTITLEMENT_AGE_LIMIT')[0]?.params).toMatchObject({
      lastDay: '2019-04-30',
      reason: 'no-revival',
    });
  });
});

describe('ENTITLEMENT_EXPIRED with the law of SPEC §5.4', () => {
  it('born 1998-05-01, created 2020-03-01: the right ended on 2019-04-30, so a file with that day has expired', () => {
    const d = example();
    d.createdAt = '2020-03-01T10:00:00+02:00';
    d.youth.birthDate = '1998-05-01';
    d.entitlement.endsOn = '2019-04-30';
    expect(only(d, 'ENTITLEMENT_AGE_LIMIT')).toEqual([]);
    expect(only(d, 'ENTITLEMENT_EXPIRED')).toEqual([
      {
        rule: 'ENTITLEMENT_EXPIRED',
        severity: 'error',
        pointer: '/entitlement/endsOn',
        params: { endsOn: '2019-04-30' },
      },
    ]);
  });

  it('born 2000-06-10, created 2024-03-01: the transition day 2024-06-30 is allowed and not expired', () => {
    const d = example();
    d.createdAt = '2024-03-01T10:00:00+02:00';
    d.youth.birthDate = '2000-06-10';
    // The transition keeps a right that began before 1.1.2024.
    d.entitlement.placementStartedOn = '2014-06-01';
    d.entitlement.placementEndedOn = '2018-06-01';
    d.entitlement.endsOn = '2024-06-30';
    expect(only(d, 'ENTITLEMENT_AGE_LIMIT')).toEqual([]);
    expect(only(d, 'ENTITLEMENT_EXPIRED')).toEqual([]);
    d.entitlement.endsOn = '2024-07-01';
    expect(only(d, 'ENTITLEMENT_AGE_LIMIT')[0]?.params).toMatchObject({
      lastDay: '2024-06-30',
      reason: 'transition-2024',
    });
  });
});

describe('ENTITLEMENT_PAYER', () => {
  it('warns on integration support paid by the sender, at /entitlement/payer', () => {
    const d = example();
    d.type = 'integration-support';
    d.entitlement.basis = 'unaccompanied-minor';
    expect(only(d, 'ENTITLEMENT_PAYER')).toEqual([
      { rule: 'ENTITLEMENT_PAYER', severity: 'warning', pointer: '/entitlement/payer' },
    ]);
    d.entitlement.payer = 'recipient';
    expect(only(d, 'ENTITLEMENT_PAYER')).toEqual([]);
  });

  it('leaves aftercare paid by the sender alone', () => {
    expect(only(example(), 'ENTITLEMENT_PAYER')).toEqual([]);
  });
});

describe('ENTITLEMENT_BASIS_MISMATCH', () => {
  it('integration support needs an unaccompanied minor, and aftercare cannot rest on it', () => {
    const d = example();
    d.type = 'integration-support';
    expect(only(d, 'ENTITLEMENT_BASIS_MISMATCH').map((f) => f.pointer)).toEqual(['/entitlement/basis']);
    d.entitlement.basis = 'unaccompanied-minor';
    expect(only(d, 'ENTITLEMENT_BASIS_MISMATCH')).toEqual([]);
    d.type = 'aftercare';
    expect(only(d, 'ENTITLEMENT_BASIS_MISMATCH')).toHaveLength(1);
  });
});

describe('PLACEMENT_AFTER_18', () => {
  it('warns on a custody placement ending on the 18th birthday or later, not on the day before', () => {
    const d = example();
    d.entitlement.placementEndedOn = '2024-05-02';
    expect(only(d, 'PLACEMENT_AFTER_18')).toEqual([
      {
        rule: 'PLACEMENT_AFTER_18',
        severity: 'warning',
        pointer: '/entitlement/placementEndedOn',
        params: { lastDay: '2024-05-01' },
      },
    ]);
    d.entitlement.basis = 'open-care-placement';
    d.entitlement.placedAlone = true;
    expect(only(d, 'PLACEMENT_AFTER_18')).toEqual([]);
  });

  it('uses 28 February for a youth born on 29 February', () => {
    const d = example();
    d.youth.birthDate = '2004-02-29';
    delete d.youth.personalIdentityCode;
    d.entitlement.placementEndedOn = '2022-02-28';
    expect(only(d, 'PLACEMENT_AFTER_18')).toHaveLength(1);
    d.entitlement.placementEndedOn = '2022-02-27';
    expect(only(d, 'PLACEMENT_AFTER_18')).toEqual([]);
  });
});

describe('ENTITLEMENT_EXPIRED', () => {
  it("is an error when createdAt's Helsinki date is after endsOn", () => {
    const d = example();
    d.entitlement.endsOn = '2026-11-19';
    expect(only(d, 'ENTITLEMENT_EXPIRED')).toEqual([
      {
        rule: 'ENTITLEMENT_EXPIRED',
        severity: 'error',
        pointer: '/entitlement/endsOn',
        params: { endsOn: '2026-11-19' },
      },
    ]);
    d.entitlement.endsOn = '2026-11-20';
    expect(only(d, 'ENTITLEMENT_EXPIRED')).toEqual([]);
    d.createdAt = '2026-11-20T22:00:00Z'; // 21.11. in Helsinki
    expect(only(d, 'ENTITLEMENT_EXPIRED')).toHaveLength(1);
  });
});

describe('ENTITLEMENT_OPEN_CARE_SHORT', () => {
  const openCare = () => {
    const d = example();
    d.entitlement.basis = 'open-care-placement';
    d.entitlement.placedAlone = true;
    return d;
  };

  it('warns when the start is missing', () => {
    const d = openCare();
    delete d.entitlement.placementStartedOn;
    expect(only(d, 'ENTITLEMENT_OPEN_CARE_SHORT')).toEqual([
      {
        rule: 'ENTITLEMENT_OPEN_CARE_SHORT',
        severity: 'warning',
        pointer: '/entitlement',
        params: { reason: 'start' },
      },
    ]);
  });

  it('warns when the placement lasted less than 6 months (start + 6 months after the end)', () => {
    const d = openCare();
    d.entitlement.placementStartedOn = '2023-11-02';
    expect(only(d, 'ENTITLEMENT_OPEN_CARE_SHORT').map((f) => f.pointer)).toEqual([
      '/entitlement/placementEndedOn',
    ]);
    d.entitlement.placementStartedOn = '2023-11-01';
    expect(only(d, 'ENTITLEMENT_OPEN_CARE_SHORT')).toEqual([]);
  });

  it('warns when the child was not placed alone', () => {
    const d = openCare();
    d.entitlement.placedAlone = false;
    expect(only(d, 'ENTITLEMENT_OPEN_CARE_SHORT').map((f) => f.pointer)).toEqual([
      '/entitlement/placedAlone',
    ]);
  });
});

describe('ENTITLEMENT_EXTENSION of an own policy', () => {
  it('flags an aftercare service paid by the recipient whose period is open or runs past the statutory day', () => {
    const d = example();
    d.schemaVersion = '1.2';
    d.entitlement.extension = { kind: 'own-policy', reference: 'AH 12.3.2025 § 40' };
    d.entitlement.endsOn = '2031-05-01';
    d.entitlement.payer = 'recipient';
    d.services = d.services.filter((s: { classification: string }) => s.classification === 'aftercare');
    for (const s of d.services) s.payer = 'recipient';
    d.services[0].period = { from: '2026-12-01', to: '2029-05-01' };
    d.services[1].period = { from: '2026-12-01' };
    expect(only(d, 'ENTITLEMENT_EXTENSION').map((f) => f.pointer)).toEqual(['/services/1/payer']);
    // A service without a period is not flagged, as YOUTH_FUNDS_DUE does not flag one.
    delete d.services[1].period;
    expect(only(d, 'ENTITLEMENT_EXTENSION')).toEqual([]);
    d.services[0].period.to = '2029-05-02';
    expect(only(d, 'ENTITLEMENT_EXTENSION')[0]).toMatchObject({
      pointer: '/services/0/payer',
      params: { reason: 'ownPolicy', lastDay: '2029-05-01' },
    });
  });
});
