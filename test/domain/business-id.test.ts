import { describe, expect, it } from 'vitest';
import { businessIdCheckDigit, isValidBusinessId } from '../../src/domain/business-id.js';

describe('business ID', () => {
  it.each(['1572860-0', '0166906-4', '2082259-7'])('accepts %s', (id) => {
    expect(isValidBusinessId(id)).toBe(true);
  });

  it('rejects a wrong check digit', () => {
    expect(isValidBusinessId('1572860-1')).toBe(false);
  });

  it('has no valid ID for base 1000008 (remainder 1)', () => {
    expect(businessIdCheckDigit('1000008')).toBeUndefined();
    for (let t = 0; t <= 9; t++) expect(isValidBusinessId(`1000008-${t}`)).toBe(false);
  });

  it('rejects wrong shapes', () => {
    for (const id of ['15728600', '1572860-00', '157286-0', ' 1572860-0', '1572860_0', 15728600, null])
      expect(isValidBusinessId(id)).toBe(false);
  });
});
