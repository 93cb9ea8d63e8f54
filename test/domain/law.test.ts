import { describe, expect, it } from 'vitest';
import { lastDayOfRight, lawRow, lawTable } from '../../src/domain/law.js';

const aftercare = (o: Record<string, unknown>) =>
  lastDayOfRight({ type: 'aftercare', createdAt: '2026-11-20T10:00:00+02:00', ...o });

describe('law table', () => {
  it('holds the six rows of SPEC §5.4, each with a source', () => {
    const rows = lawTable().map((r) => [r.type, r.from, r.ageLimit]);
    expect(rows).toEqual([
      ['aftercare', null, 21],
      ['aftercare', '2020-01-01', 25],
      ['aftercare', '2024-01-01', 23],
      ['integration-support', null, 21],
      ['integration-support', '2020-07-15', 25],
      ['integration-support', '2024-07-01', 23],
    ]);
    for (const r of lawTable()) expect(r.source.length).toBeGreaterThan(10);
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

describe('last day of the right: worked examples of SPEC §5.4', () => {
  it('born 2006-05-02, placement ended 2024-05-01, created 2026 → 2029-05-01', () => {
    expect(aftercare({ birthDate: '2006-05-02', placementEndedOn: '2024-05-01' })).toMatchObject({
      lastDay: '2029-05-01',
    });
  });

  it('born 2004-02-29, created 2026 → turns 23 on 2027-02-28, last day 2027-02-27', () => {
    expect(aftercare({ birthDate: '2004-02-29', placementEndedOn: '2025-06-30' })).toMatchObject({
      lastDay: '2027-02-27',
      limitingFactor: 'age',
    });
  });

  it('born 2000-06-10, created 2024-03-01 → 23 on 1.1.2024, so 2024-06-30', () => {
    expect(
      lastDayOfRight({
        type: 'aftercare',
        birthDate: '2000-06-10',
        createdAt: '2024-03-01T09:00:00+02:00',
        placementEndedOn: '2020-12-31',
      }),
    ).toMatchObject({ lastDay: '2024-06-30', limitingFactor: 'transition' });
  });
});

describe('last day of the right: boundaries', () => {
  it('keeps a youth who is 24 on 1.1.2024 only to the day before the 25th birthday', () => {
    expect(
      lastDayOfRight({ type: 'aftercare', birthDate: '1999-04-15', createdAt: '2024-02-01T12:00:00+02:00' }),
    ).toMatchObject({ lastDay: '2024-04-14', limitingFactor: 'transition' });
  });

  it('does not extend the right of a youth who was still 22 on 1.1.2024', () => {
    expect(
      lastDayOfRight({ type: 'aftercare', birthDate: '2001-01-02', createdAt: '2024-01-01T12:00:00+02:00' }),
    ).toMatchObject({ lastDay: '2024-01-01', limitingFactor: 'age' });
  });

  it('applies the 2020 row before 2024: age 25', () => {
    expect(
      lastDayOfRight({ type: 'aftercare', birthDate: '2000-06-10', createdAt: '2023-12-31T12:00:00+02:00' }),
    ).toMatchObject({ lastDay: '2025-06-09', limitingFactor: 'age' });
  });

  it('reads createdAt in Helsinki time when choosing the row', () => {
    // 22:30 UTC on 31.12.2023 is 1.1.2024 in Helsinki: the 23-year row applies.
    expect(
      lastDayOfRight({ type: 'aftercare', birthDate: '2003-05-05', createdAt: '2023-12-31T22:30:00Z' })?.row
        .ageLimit,
    ).toBe(23);
  });

  it('caps aftercare at 5 years after lastClientOn, defaulting to placementEndedOn', () => {
    expect(aftercare({ birthDate: '2008-03-01', placementEndedOn: '2021-06-30' })).toMatchObject({
      lastDay: '2026-06-30',
      limitingFactor: 'five-years',
    });
    expect(
      aftercare({ birthDate: '2008-03-01', placementEndedOn: '2021-06-30', lastClientOn: '2023-01-31' }),
    ).toMatchObject({ lastDay: '2028-01-31', limitingFactor: 'five-years' });
    expect(
      aftercare({ birthDate: '2008-03-01', placementEndedOn: '2024-02-29', lastClientOn: '2024-02-29' }),
    ).toMatchObject({ lastDay: '2029-02-28', limitingFactor: 'five-years' });
  });

  it('has no 5-year cap for integration support', () => {
    expect(
      lastDayOfRight({
        type: 'integration-support',
        birthDate: '2008-03-01',
        createdAt: '2026-11-20T10:00:00+02:00',
        placementEndedOn: '2021-06-30',
      }),
    ).toMatchObject({ lastDay: '2031-02-28', limitingFactor: 'age' });
  });

  it('uses the integration-support rows of 2020-07-15 and 2024-07-01', () => {
    const is = (createdAt: string) =>
      lastDayOfRight({ type: 'integration-support', birthDate: '2001-08-20', createdAt })?.lastDay;
    expect(is('2020-07-14T12:00:00+03:00')).toBe('2022-08-19');
    expect(is('2020-07-15T12:00:00+03:00')).toBe('2026-08-19');
    expect(is('2024-06-30T12:00:00+03:00')).toBe('2026-08-19');
    expect(is('2024-07-01T12:00:00+03:00')).toBe('2024-08-19');
  });

  it('lifts the limits to the day before the 25th birthday for discretionary aftercare with a policy', () => {
    const base = { birthDate: '2006-05-02', placementEndedOn: '2021-05-01' };
    expect(aftercare(base)).toMatchObject({ lastDay: '2026-05-01', limitingFactor: 'five-years' });
    expect(aftercare({ ...base, discretionary: true, policyReference: 'Policy 12/2024' })).toMatchObject({
      lastDay: '2031-05-01',
      limitingFactor: 'discretionary',
    });
    // Without a policy reference nothing is lifted.
    expect(aftercare({ ...base, discretionary: true })).toMatchObject({ lastDay: '2026-05-01' });
    expect(
      lastDayOfRight({
        type: 'integration-support',
        birthDate: '2006-05-02',
        createdAt: '2026-11-20T10:00:00+02:00',
        discretionary: true,
        policyReference: 'Policy 3/2025',
      }),
    ).toMatchObject({ lastDay: '2031-05-01', limitingFactor: 'discretionary' });
  });

  it('answers undefined without the data to compute from', () => {
    expect(aftercare({ birthDate: 'not a date' })).toBeUndefined();
    expect(
      lastDayOfRight({ type: 'aftercare', birthDate: '2006-05-02', createdAt: 'yesterday' }),
    ).toBeUndefined();
    expect(lastDayOfRight({ type: 'x', birthDate: '2006-05-02', createdAt: '2026-01-01' })).toBeUndefined();
  });
});
