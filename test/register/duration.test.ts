import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/register/duration.js';

describe('parseDuration', () => {
  it('reads hours, days and weeks', () => {
    expect(parseDuration('36h')).toBe(36 * 3_600_000);
    expect(parseDuration('14d')).toBe(14 * 86_400_000);
    expect(parseDuration('2w')).toBe(14 * 86_400_000);
    expect(parseDuration('0d')).toBe(0);
  });
  it('refuses anything else', () => {
    for (const bad of ['', '14', 'd', '-1d', '1.5d', '3m', '14 days', '1e3d'])
      expect(parseDuration(bad)).toBeUndefined();
  });
});
