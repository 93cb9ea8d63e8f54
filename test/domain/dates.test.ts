import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  addYears,
  ageOn,
  compareDates,
  dayBefore,
  formatDateFi,
  helsinkiDate,
  helsinkiDateTime,
  helsinkiTime,
  helsinkiWallClock,
  instant,
  isDate,
  isDateTime,
} from '../../src/domain/dates.js';

describe('calendar dates', () => {
  it('accepts only real dates', () => {
    expect(isDate('2024-02-29')).toBe(true);
    expect(isDate('2023-02-29')).toBe(false);
    expect(isDate('1900-02-29')).toBe(false);
    expect(isDate('2000-02-29')).toBe(true);
    expect(isDate('2024-13-01')).toBe(false);
    expect(isDate('2024-04-31')).toBe(false);
    expect(isDate('2024-4-01')).toBe(false);
    expect(isDate(20240401)).toBe(false);
  });

  it('moves 29 February to the last day of February in a common year (Act 150/1930, 4 §)', () => {
    expect(addYears('2004-02-29', 23)).toBe('2027-02-28');
    expect(addYears('2004-02-29', 24)).toBe('2028-02-29');
    expect(addYears('2006-05-02', 5)).toBe('2011-05-02');
  });

  it('counts months the same way', () => {
    expect(addMonths('2024-08-31', 6)).toBe('2025-02-28');
    expect(addMonths('2023-08-31', 6)).toBe('2024-02-29');
    expect(addMonths('2024-01-15', 6)).toBe('2024-07-15');
    expect(addMonths('2024-11-30', 3)).toBe('2025-02-28');
  });

  it('gives the day before across month and year ends', () => {
    expect(dayBefore('2024-03-01')).toBe('2024-02-29');
    expect(dayBefore('2023-03-01')).toBe('2023-02-28');
    expect(dayBefore('2025-01-01')).toBe('2024-12-31');
  });

  it('computes ages with the same anniversary rule', () => {
    expect(ageOn('2004-02-29', '2027-02-27')).toBe(22);
    expect(ageOn('2004-02-29', '2027-02-28')).toBe(23);
    expect(ageOn('2000-06-10', '2024-01-01')).toBe(23);
    expect(ageOn('2000-06-10', '2000-06-10')).toBe(0);
  });

  it('compares dates', () => {
    expect(compareDates('2024-01-02', '2024-01-10')).toBeLessThan(0);
    expect(compareDates('2024-01-10', '2024-01-10')).toBe(0);
    expect(compareDates('2025-01-01', '2024-12-31')).toBeGreaterThan(0);
  });

  it('reads createdAt as a Helsinki calendar date', () => {
    expect(helsinkiDate('2026-11-20T10:00:00+02:00')).toBe('2026-11-20');
    // 23:30 UTC on 31 December is already New Year in Helsinki (UTC+2 in winter).
    expect(helsinkiDate('2023-12-31T23:30:00Z')).toBe('2024-01-01');
    // Summer time: UTC+3.
    expect(helsinkiDate('2024-06-30T21:00:00Z')).toBe('2024-07-01');
    expect(helsinkiDate('2024-06-30T20:59:59Z')).toBe('2024-06-30');
    expect(helsinkiDate('2024-07-01T01:00:00-05:00')).toBe('2024-07-01');
    expect(helsinkiDate('2024-07-01T10:00:00')).toBeUndefined();
    expect(helsinkiDate('2024-02-30T10:00:00Z')).toBeUndefined();
    expect(isDateTime('2026-11-20T10:00:00.123+02:00')).toBe(true);
  });

  it('writes d.m.yyyy', () => {
    expect(formatDateFi('2027-02-08')).toBe('8.2.2027');
  });
});

describe("Finnish wall-clock time, whatever the machine's time zone (SPEC §4.8)", () => {
  const zones = ['UTC', 'America/New_York', 'Asia/Tokyo', 'Europe/Helsinki'];
  const original = process.env.TZ;
  const each = (f: () => void) => {
    try {
      for (const tz of zones) {
        // Node re-reads TZ when it changes, so one process can play every machine.
        process.env.TZ = tz;
        f();
      }
    } finally {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    }
  };

  it('13:00 typed for a winter day is 13:00+02:00, for a summer day 13:00+03:00', () => {
    each(() => {
      expect(helsinkiDateTime(helsinkiWallClock('2026-12-09', '13:00'))).toBe('2026-12-09T13:00:00+02:00');
      expect(helsinkiWallClock('2026-12-09', '13:00').toISOString()).toBe('2026-12-09T11:00:00.000Z');
      expect(helsinkiDateTime(helsinkiWallClock('2026-06-10', '13:00'))).toBe('2026-06-10T13:00:00+03:00');
    });
  });

  it('around the changes of 2026 (29.3. and 25.10. at 03:00/04:00) the offset is the one of that hour', () => {
    each(() => {
      expect(helsinkiDateTime(helsinkiWallClock('2026-03-29', '02:30'))).toBe('2026-03-29T02:30:00+02:00');
      expect(helsinkiDateTime(helsinkiWallClock('2026-03-29', '04:30'))).toBe('2026-03-29T04:30:00+03:00');
      // 03:30 does not exist that night: a calendar shows it as 04:30 summer time.
      expect(helsinkiDateTime(helsinkiWallClock('2026-03-29', '03:30'))).toBe('2026-03-29T04:30:00+03:00');
      expect(helsinkiDateTime(helsinkiWallClock('2026-10-25', '05:00'))).toBe('2026-10-25T05:00:00+02:00');
    });
  });

  it('an instant is written as Helsinki shows it: createdAt of a run at 23:30 UTC is the next day in Finland', () => {
    each(() => {
      expect(helsinkiDateTime(new Date('2026-11-19T23:30:00Z'))).toBe('2026-11-20T01:30:00+02:00');
      expect(helsinkiDateTime(new Date('2026-07-01T12:00:00.789Z'))).toBe('2026-07-01T15:00:00+03:00');
    });
  });
});

/**
 * Issue 21 item 6: dates are read by character codes and counted in day numbers, and the
 * Helsinki offset comes from the EU rule where the time zone data agrees with it. These hold
 * each shortcut to what it replaced: Date.parse, Date arithmetic and Intl, on random input.
 */
describe('the arithmetic agrees with Date.parse, Date and Intl', () => {
  const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
  /** The definition before issue 21: the shape, a real calendar date, and Date.parse. */
  const parsedBefore = (s: string): number | undefined =>
    RFC3339.test(s) && isDate(s.slice(0, 10)) && !Number.isNaN(Date.parse(s)) ? Date.parse(s) : undefined;
  const d2 = fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, '0'));
  const dateTimeLike = fc
    .tuple(
      fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
      d2,
      d2,
      fc.constantFrom('T', 't', ' ', 'x'),
      fc.oneof(d2, fc.constant('24'), fc.constant('23')),
      fc.oneof(d2, fc.constant('00')),
      fc.oneof(d2, fc.constant('00'), fc.constant('60')),
      fc.constantFrom('', '.', '.5', '.123', '.123456789', '.0'),
      fc.oneof(
        fc.constantFrom('Z', 'z', '', '+02:00', '-00:00', '+24:00', '+2:00'),
        fc.tuple(fc.constantFrom('+', '-'), d2, d2).map(([a, b, c]) => `${a}${b}:${c}`),
      ),
    )
    .map(([y, mo, d, t, h, mi, s, f, z]) => `${y}-${mo}-${d}${t}${h}:${mi}:${s}${f}${z}`);

  it('instant and isDateTime: the same answer as the shape check and Date.parse', () => {
    fc.assert(
      fc.property(dateTimeLike, (s) => {
        expect(instant(s)).toBe(parsedBefore(s));
        expect(isDateTime(s)).toBe(parsedBefore(s) !== undefined);
      }),
      { numRuns: 20_000 },
    );
    for (const s of [
      '2026-01-01T24:00:00Z',
      '2026-01-01T24:00:00.000+02:00',
      '2026-12-31T24:00:00.5Z',
      '0000-01-01T00:00:00Z',
    ])
      expect(instant(s)).toBe(parsedBefore(s));
  });

  it('addDays: the same day as Date arithmetic, across centuries', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -719_528 + 40_000, max: 2_932_896 - 40_000 }),
        fc.integer({ min: -40_000, max: 40_000 }),
        (day, n) => {
          const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
          const from = iso(day * 86_400_000);
          expect(addDays(from, n)).toBe(iso((day + n) * 86_400_000));
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('the Helsinki date, time and offset: what Intl says, 1900–2100, at random instants and at every change', () => {
    const intlDate = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Helsinki',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    const intlTime = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Helsinki',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    const check = (ms: number) => {
      const at = new Date(ms);
      const iso = at.toISOString().replace('.000Z', 'Z');
      expect(helsinkiDate(iso), iso).toBe(intlDate.format(at));
      expect(helsinkiTime(iso), iso).toBe(intlTime.format(at));
    };
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 1) / 1000, max: Date.UTC(2100, 0, 1) / 1000 }), (s) =>
        check(s * 1000),
      ),
      { numRuns: 3_000 },
    );
    // Both sides of each change (01:00 UTC), 1980–2040: the hour the arithmetic must get right.
    for (let y = 1980; y <= 2040; y++)
      for (const m of [2, 8, 9])
        for (let d = 0; d < 7; d++)
          for (const dt of [-1000, 0, 1000]) check(Date.UTC(y, m, 31 - d - (m === 8 ? 1 : 0), 1) + dt);
  });
});
