/**
 * Issue 21 item 6: the formats "date" and "date-time" take a fast path for the usual shapes.
 * Whatever the string, the answer must be ajv-formats' own (full mode), which the schema names.
 */
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
type Format = { validate: (s: string) => boolean };
const fast = require('../../src/schema/formats.cjs') as Record<string, Format>;
const { fullFormats } = require('ajv-formats/dist/formats') as { fullFormats: Record<string, Format> };

const d2 = fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, '0'));
const year = fc.oneof(
  fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
  fc.constantFrom('1900', '2000', '2024', '2100', '+2026', '226'),
);
const dateLike = fc
  .tuple(year, d2, d2, fc.constantFrom('-', '/', ''))
  .map(([y, m, d, sep]) => `${y}-${m}${sep === '' ? '' : '-'}${d}`);
const dateTimeLike = fc
  .tuple(
    dateLike,
    fc.constantFrom('T', 't', ' ', 'x', 'TT'),
    fc.oneof(d2, fc.constantFrom('23', '24')),
    fc.oneof(d2, fc.constantFrom('59', '60')),
    fc.oneof(d2, fc.constantFrom('59', '60', '61')),
    fc.constantFrom('', '.', '.5', '.123456789', '.x'),
    fc.oneof(
      fc.constantFrom('Z', 'z', '', '+02:00', '-00:00', '+24:00', '+2:00', '+0200', '+02', 'Z '),
      fc.tuple(fc.constantFrom('+', '-'), d2, d2).map(([a, b, c]) => `${a}${b}:${c}`),
    ),
  )
  .map(([d, t, h, mi, s, f, z]) => `${d}${t}${h}:${mi}:${s}${f}${z}`);

describe('formats date and date-time: the fast path answers as ajv-formats does', () => {
  it('date', () => {
    fc.assert(
      fc.property(fc.oneof(dateLike, fc.string({ maxLength: 12 })), (s) => {
        expect(fast.date!.validate(s)).toBe(fullFormats.date!.validate(s));
      }),
      { numRuns: 20_000 },
    );
  });

  it('date-time, leap seconds and offsets included', () => {
    fc.assert(
      fc.property(fc.oneof(dateTimeLike, fc.string({ maxLength: 30 })), (s) => {
        expect(fast['date-time']!.validate(s)).toBe(fullFormats['date-time']!.validate(s));
      }),
      { numRuns: 20_000 },
    );
    for (const s of ['2026-06-30T23:59:60Z', '2026-06-30T23:59:60+00:00', '2026-07-01T02:59:60+03:00'])
      expect(fast['date-time']!.validate(s)).toBe(fullFormats['date-time']!.validate(s));
  });
});
