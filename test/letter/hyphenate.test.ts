import { describe, expect, it } from 'vitest';
import { breakWord } from '../../src/letter/hyphenate.js';

/** A line that holds `n` characters, the hyphen included. */
const upTo = (n: number) => (t: string) => Array.from(t).length <= n;

describe('breakWord', () => {
  it('breaks a Finnish word before a consonant–vowel syllable start and adds a hyphen', () => {
    expect(breakWord('vastaanottaja', upTo(12))).toEqual(['vastaanotta-', 'ja']);
    expect(breakWord('sosiaalityöntekijä', upTo(12))).toEqual(['sosiaali-', 'työntekijä']);
    expect(breakWord('asiakassuunnitelmaneuvottelu', upTo(20))).toEqual([
      'asiakassuunnitelma-',
      'neuvottelu',
    ]);
  });

  it('breaks after a dash or slash already in the word without adding one', () => {
    expect(breakWord('Teams-kokouslinkki', upTo(12))).toEqual(['Teams-', 'kokouslinkki']);
    expect(breakWord('PIRHA/1234/05.01.00/2026', upTo(12))).toEqual(['PIRHA/1234/', '05.01.00/2026']);
  });

  it('hyphenates a code with no syllables where it fits, and always makes progress', () => {
    expect(breakWord('003715728600', upTo(6))).toEqual(['00371-', '5728600']);
    const [head, rest] = breakWord('ab', upTo(0));
    expect(head.length).toBeGreaterThan(0);
    expect(rest).toBe('b');
  });
});
