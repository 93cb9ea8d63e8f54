import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lastDayOfRight, lawRow, lawTable } from '../../src/domain/law.js';

const aftercare = (o: Record<string, unknown>) =>
  lastDayOfRight({ type: 'aftercare', createdAt: '2026-11-20T10:00:00+02:00', ...o });

describe('law table', () => {
  it('holds the seven rows of SPEC §5.4, each with a source and an act (never a bill) as citation', () => {
    const rows = lawTable().map((r) => [r.type, r.from, r.ageLimit]);
    expect(rows).toEqual([
      ['aftercare', null, 21],
      ['aftercare', '2020-01-01', 25],
      ['aftercare', '2024-01-01', 23],
      ['integration-support', null, 21],
      ['integration-support', '2020-07-15', 25],
      ['integration-support', '2024-07-01', 23],
      ['integration-support', '2025-01-01', 23],
    ]);
    for (const r of lawTable()) {
      expect(r.source.length).toBeGreaterThan(10);
      for (const lang of ['fi', 'sv', 'en'] as const) {
        expect(r.citation[lang]).toMatch(/§/);
        expect(r.citation[lang]).toMatch(/\d+\/\d{4}/);
        // Acts, never bills; "and its transitional provision" only where the transition decides.
        expect(JSON.stringify([r.citation, r.transition, r.discretionary])).not.toMatch(
          /HE |RP |voimaantulosäännös\b/,
        );
      }
    }
  });

  it('selects the row by the date of createdAt', () => {
    expect(lawRow('aftercare', '2019-12-31')?.ageLimit).toBe(21);
    expect(lawRow('aftercare', '2020-01-01')?.ageLimit).toBe(25);
    expect(lawRow('aftercare', '2023-12-31')?.ageLimit).toBe(25);
    expect(lawRow('aftercare', '2024-01-01')?.ageLimit).toBe(23);
    expect(lawRow('integration-support', '2020-07-14')?.ageLimit).toBe(21);
    expect(lawRow('integration-support', '2020-07-15')?.ageLimit).toBe(25);
    expect(lawRow('integration-support', '2024-06-30')?.ageLimit).toBe(25);
    expect(lawRow('integration-support', '2024-07-01')?.ageLimit).toBe(23);
    expect(lawRow('other', '2024-07-01')).toBeUndefined();
  });
});

const at = (type: string, birthDate: string, createdAt: string, o: Record<string, unknown> = {}) =>
  lastDayOfRight({ type, birthDate, createdAt, ...o });

describe('last day of the right: worked examples of SPEC §5.4', () => {
  it('born 2006-05-02, placement ended 2024-05-01, still a client, created 2026 → 2029-05-01 (age)', () => {
    expect(aftercare({ birthDate: '2006-05-02', placementEndedOn: '2024-05-01' })).toMatchObject({
      lastDay: '2029-05-01',
      reason: 'age',
      ageLimit: 23,
      turnsOn: '2029-05-02',
      citation: expect.objectContaining({ fi: 'LsL 75 § 3 mom. (1283/2023)' }),
    });
  });

  it('born 2006-05-02, placement ended 2022-05-01, lastClientOn 2023-08-15, created 2026 → 2028-08-15', () => {
    expect(
      aftercare({ birthDate: '2006-05-02', placementEndedOn: '2022-05-01', lastClientOn: '2023-08-15' }),
    ).toMatchObject({ lastDay: '2028-08-15', reason: 'five-years', lastClientOn: '2023-08-15' });
  });

  it('born 2004-02-29, created 2026 → turns 23 on 2027-02-28, last day 2027-02-27', () => {
    expect(aftercare({ birthDate: '2004-02-29' })).toMatchObject({
      lastDay: '2027-02-27',
      reason: 'age',
      turnsOn: '2027-02-28',
      limitingFactor: 'age',
    });
  });

  it('born 2000-06-10, created 2024-03-01 → 2024-06-30 (the transition)', () => {
    expect(at('aftercare', '2000-06-10', '2024-03-01T09:00:00+02:00')).toMatchObject({
      lastDay: '2024-06-30',
      reason: 'transition-2024',
      until: '2024-06-30',
      limitingFactor: 'transition',
    });
  });

  it('born 2001-03-01 (turns 23 on 1.3.2024), created 2024-02-01 → 2024-06-30', () => {
    // Still 22 on 1.1.2024: the right was alive then, so the transition covers it too.
    expect(at('aftercare', '2001-03-01', '2024-02-01T12:00:00+02:00')).toMatchObject({
      lastDay: '2024-06-30',
      reason: 'transition-2024',
      turnsOn: '2024-03-01',
    });
  });

  it('born 2001-09-01, created 2024-02-01 → 2024-08-31 (the day before 23 is later than the transition)', () => {
    expect(at('aftercare', '2001-09-01', '2024-02-01T12:00:00+02:00')).toMatchObject({
      lastDay: '2024-08-31',
      reason: 'age',
      ageLimit: 23,
    });
  });

  it('born 1998-05-01, created 2020-03-01 → 2019-04-30 (ended before the 2020 change: not revived)', () => {
    expect(at('aftercare', '1998-05-01', '2020-03-01T12:00:00+02:00')).toMatchObject({
      lastDay: '2019-04-30',
      reason: 'no-revival',
      ageLimit: 21,
      citation: expect.objectContaining({ fi: 'LsL 75 § (417/2007)' }),
      notRevivedBy: expect.objectContaining({ fi: 'lain 542/2019 voimaantulosäännöksen 3 mom. (1490/2019)' }),
      limitingFactor: 'age',
    });
  });

  it('born 1999-01-02, created 2020-03-01 → 2024-01-01 (the 2020 row: 25)', () => {
    expect(at('aftercare', '1999-01-02', '2020-03-01T12:00:00+02:00')).toMatchObject({
      lastDay: '2024-01-01',
      reason: 'age',
      ageLimit: 25,
    });
  });

  it("the issue's case: born 2008-01-10, placement ended 2022-05-01, no lastClientOn → 2031-01-09", () => {
    expect(aftercare({ birthDate: '2008-01-10', placementEndedOn: '2022-05-01' })).toMatchObject({
      lastDay: '2031-01-09',
      reason: 'age',
    });
  });
});

describe('last day of the right: the rows laid over each other', () => {
  it('stops at the day before 25 when the 2020 law ended the right inside the transition', () => {
    const r = at('aftercare', '1999-04-15', '2024-02-01T12:00:00+02:00');
    expect(r).toMatchObject({ lastDay: '2024-04-14', reason: 'age', ageLimit: 25 });
    expect(r?.row.from).toBe('2020-01-01');
    expect(r?.inForce.from).toBe('2024-01-01');
  });

  it('keeps a right that had ended before 1.1.2024 ended, in 2024 too', () => {
    expect(at('aftercare', '1998-05-01', '2024-03-01T12:00:00+02:00')).toMatchObject({
      lastDay: '2019-04-30',
      reason: 'no-revival',
    });
    // Born 1998-12-31: 21 on 2019-12-31, so the right ended on 2019-12-30, before 2020 too.
    // (Every right alive on 1.1.2020 lasts under the 2020 row past 1.1.2024.)
    expect(at('aftercare', '1998-12-31', '2024-03-01T12:00:00+02:00')).toMatchObject({
      lastDay: '2019-12-30',
      reason: 'no-revival',
      ageLimit: 21,
    });
  });

  it('gives the transition to a right alive on 1.1.2024 by one day', () => {
    // 25 on 2024-01-02: the 2020 day is 1.1.2024, so the right was alive and capped there.
    expect(at('aftercare', '1999-01-02', '2024-01-01T12:00:00+02:00')).toMatchObject({
      lastDay: '2024-01-01',
      reason: 'age',
      ageLimit: 25,
    });
  });

  it('applies the 2020 row before 2024: age 25', () => {
    expect(at('aftercare', '2000-06-10', '2023-12-31T12:00:00+02:00')).toMatchObject({
      lastDay: '2025-06-09',
      reason: 'age',
    });
  });

  it('applies the oldest row before 2020: age 21', () => {
    expect(at('aftercare', '1998-05-01', '2019-03-01T12:00:00+02:00')).toMatchObject({
      lastDay: '2019-04-30',
      reason: 'age',
      ageLimit: 21,
    });
  });

  it('reads createdAt in Helsinki time when choosing the row', () => {
    // 22:30 UTC on 31.12.2023 is 1.1.2024 in Helsinki: the 23-year row applies.
    expect(at('aftercare', '2003-05-05', '2023-12-31T22:30:00Z')?.inForce.ageLimit).toBe(23);
  });
});

describe('last day of the right: the five-year rule', () => {
  it('applies only when lastClientOn is given, never from placementEndedOn', () => {
    expect(aftercare({ birthDate: '2008-03-01', placementEndedOn: '2021-06-30' })).toMatchObject({
      lastDay: '2031-02-28',
      reason: 'age',
    });
    expect(
      aftercare({ birthDate: '2008-03-01', placementEndedOn: '2021-06-30', lastClientOn: '2023-01-31' }),
    ).toMatchObject({ lastDay: '2028-01-31', reason: 'five-years' });
  });

  it('counts 29 February to the last day of February (Act 150/1930, 4 §)', () => {
    expect(aftercare({ birthDate: '2008-03-01', lastClientOn: '2024-02-29' })).toMatchObject({
      lastDay: '2029-02-28',
      reason: 'five-years',
    });
  });

  it('names the age limit on a tie', () => {
    // Born 2006-05-02: the day before 23 is 2029-05-01, five years after 2024-05-01 too.
    expect(aftercare({ birthDate: '2006-05-02', lastClientOn: '2024-05-01' })).toMatchObject({
      lastDay: '2029-05-01',
      reason: 'age',
    });
  });

  it('has no five-year cap for integration support', () => {
    expect(
      at('integration-support', '2008-03-01', '2026-11-20T10:00:00+02:00', { lastClientOn: '2021-06-30' }),
    ).toMatchObject({ lastDay: '2031-02-28', reason: 'age' });
  });

  it('never moves the last day earlier when lastClientOn is removed', () => {
    const day = fc
      .integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2035, 11, 31) })
      .map((t) => new Date(t).toISOString().slice(0, 10));
    fc.assert(
      fc.property(
        fc.constantFrom('aftercare', 'integration-support'),
        day,
        day,
        day,
        fc.boolean(),
        (type, birthDate, created, lastClientOn, discretionary) => {
          const o = { discretionary, policyReference: 'P 1/2024' };
          const without = at(type, birthDate, `${created}T12:00:00+02:00`, o);
          const withIt = at(type, birthDate, `${created}T12:00:00+02:00`, { ...o, lastClientOn });
          if (!without || !withIt) return without === withIt;
          return withIt.lastDay <= without.lastDay;
        },
      ),
    );
  });
});

describe('last day of the right: integration support', () => {
  const is = (birthDate: string, createdAt: string) => at('integration-support', birthDate, createdAt);

  it('uses the rows of 2020-07-15 and 2024-07-01', () => {
    expect(is('2001-08-20', '2020-07-14T12:00:00+03:00')).toMatchObject({
      lastDay: '2022-08-19',
      ageLimit: 21,
    });
    expect(is('2001-08-20', '2020-07-15T12:00:00+03:00')).toMatchObject({
      lastDay: '2026-08-19',
      ageLimit: 25,
    });
    expect(is('2001-08-20', '2024-06-30T12:00:00+03:00')).toMatchObject({
      lastDay: '2026-08-19',
      ageLimit: 25,
    });
    expect(is('2001-08-20', '2024-07-01T12:00:00+03:00')).toMatchObject({
      lastDay: '2024-08-19',
      ageLimit: 23,
      citation: expect.objectContaining({
        sv: 'integrationslagen 1386/2010, 27 § (323/2024)',
      }),
    });
  });

  it('follows the law, not SPEC (a), at 15.7.2020: support that ended at 21 could be resumed until 25', () => {
    // Born 1998-05-01: 21 on 2019-05-01. The ministry's guidance on HE 79/2020 lets such a
    // youth back into support; the row's data says noRevival: false (see law-table.json).
    expect(is('1998-05-01', '2020-08-01T12:00:00+03:00')).toMatchObject({
      lastDay: '2023-04-30',
      reason: 'age',
      ageLimit: 25,
    });
  });

  it('gives no transition at 1.7.2024 and does not revive what ended before it', () => {
    // 23 on 2024-03-01: under the 2024 row the right ended on 2024-02-29, no transition.
    expect(is('2001-03-01', '2024-07-01T12:00:00+03:00')).toMatchObject({
      lastDay: '2024-02-29',
      reason: 'age',
    });
    // 25 on 2024-05-01: the 2020 row ended it on 2024-04-30, before the 2024 row took effect.
    expect(is('1999-05-01', '2024-08-01T12:00:00+03:00')).toMatchObject({
      lastDay: '2024-04-30',
      reason: 'no-revival',
      ageLimit: 25,
    });
  });
});

describe('last day of the right: what is not the statutory right (format 1.2)', () => {
  it('reads a 1.0/1.1 discretionary flag as an own-policy extension up to the day before 25', () => {
    const base = { birthDate: '2006-05-02', lastClientOn: '2021-05-01' };
    expect(aftercare(base)).toMatchObject({ lastDay: '2026-05-01', reason: 'five-years' });
    expect(aftercare({ ...base, discretionary: true, policyReference: ' Policy 12/2024 ' })).toMatchObject({
      lastDay: '2031-05-01',
      reason: 'extension',
      limitingFactor: 'extension',
      extension: { kind: 'own-policy', reference: 'Policy 12/2024' },
      turnsOn: '2031-05-02',
      statutory: { lastDay: '2026-05-01', reason: 'five-years' },
    });
    // The flag alone is an extension (valid or not): ENTITLEMENT_AGE_LIMIT checks the day before 25.
    expect(aftercare({ ...base, discretionary: true })).toMatchObject({ lastDay: '2031-05-01' });
    expect(aftercare({ ...base, discretionary: false, policyReference: 'P' })).toMatchObject({
      lastDay: '2026-05-01',
    });
  });

  it('born 2003-06-01, created 2026-03-01, own-policy: statutory day 2026-05-31, up to 2028-05-31', () => {
    expect(
      at('aftercare', '2003-06-01', '2026-03-01T10:00:00+02:00', {
        extension: { kind: 'own-policy', reference: 'AH 12.3.2025 § 40' },
      }),
    ).toMatchObject({ lastDay: '2028-05-31', statutory: { lastDay: '2026-05-31', reason: 'age' } });
  });

  it('integration support, born 2005-01-10, created 2026-01-15 → 2028-01-09 (681/2023 34 §)', () => {
    expect(at('integration-support', '2005-01-10', '2026-01-15T10:00:00+02:00')).toMatchObject({
      lastDay: '2028-01-09',
      reason: 'age',
      citation: expect.objectContaining({
        fi: 'laki kotoutumisen edistämisestä 681/2023, 34 § 2 mom. (322/2024)',
      }),
    });
  });

  it('integration support, born 2001-05-01, created 2024-09-01, transitional decision of 2024-03-01 → up to 2026-04-30', () => {
    const r = at('integration-support', '2001-05-01', '2024-09-01T10:00:00+03:00', {
      extension: { kind: 'transitional-decision', reference: 'SOS 12/2024', decidedOn: '2024-03-01' },
    });
    expect(r).toMatchObject({
      lastDay: '2026-04-30',
      reason: 'extension',
      extension: { kind: 'transitional-decision', decidedOn: '2024-03-01' },
      statutory: { lastDay: '2024-04-30' },
    });
  });

  it('discretionary aftercare (LsL 75 § 2 mom.): the day before 23 since 2024, 25 in 2020–2023, 21 before; no five years, no transition', () => {
    const d = (birth: string, created: string, o: Record<string, unknown> = {}) =>
      at('aftercare', birth, created, { basis: 'discretionary', ...o });
    expect(d('2006-05-02', '2026-11-20', { lastClientOn: '2021-05-01' })).toMatchObject({
      lastDay: '2029-05-01',
      reason: 'discretionary',
      citation: expect.objectContaining({ fi: 'LsL 75 § 2 mom. ja 6 § (1283/2023)' }),
    });
    expect(d('2000-06-10', '2024-03-01')).toMatchObject({ lastDay: '2023-06-09' });
    expect(d('2000-06-10', '2023-03-01')).toMatchObject({ lastDay: '2025-06-09' });
    expect(d('2000-06-10', '2019-03-01')).toMatchObject({ lastDay: '2021-06-09' });
  });

  it('keeps the 2024 transition for a right that began before 1.1.2024 only', () => {
    expect(at('aftercare', '2000-06-10', '2024-03-01', { placementEndedOn: '2018-06-09' })).toMatchObject({
      lastDay: '2024-06-30',
    });
    expect(at('aftercare', '2000-06-10', '2024-03-01', { placementEndedOn: '2024-01-05' })).toMatchObject({
      lastDay: '2023-06-09',
      reason: 'age',
    });
  });

  it('answers undefined without the data to compute from', () => {
    expect(aftercare({ birthDate: 'not a date' })).toBeUndefined();
    expect(at('aftercare', '2006-05-02', 'yesterday')).toBeUndefined();
    expect(at('x', '2006-05-02', '2026-01-01')).toBeUndefined();
  });
});
