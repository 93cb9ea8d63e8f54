import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { letterTexts, textPaths } from '../../src/letter/texts.js';
import { ROOT } from '../helpers/cli.js';

describe('letter texts', () => {
  it('has the same keys in fi, sv and en, none empty', () => {
    const en = textPaths('en');
    expect(en.length).toBeGreaterThan(100);
    expect(textPaths('fi')).toEqual(en);
    expect(textPaths('sv')).toEqual(en);
    for (const lang of ['fi', 'sv', 'en'] as const) {
      const T = letterTexts(lang);
      for (const p of en) expect(T.tx(p).trim(), `${lang} ${p}`).not.toBe('');
    }
  });

  it('uses the same placeholders in every language', () => {
    const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const en = letterTexts('en');
    for (const lang of ['fi', 'sv'] as const) {
      const T = letterTexts(lang);
      for (const p of textPaths('en')) expect(vars(T.tx(p)), `${lang} ${p}`).toEqual(vars(en.tx(p)));
    }
  });

  it('has the same message keys in templates/messages/<lang>/letter.json', () => {
    const keys = (lang: string) =>
      Object.keys(
        JSON.parse(readFileSync(join(ROOT, 'templates', 'messages', lang, 'letter.json'), 'utf8')),
      ).sort();
    expect(keys('fi')).toEqual(keys('en'));
    expect(keys('sv')).toEqual(keys('en'));
  });

  it('looks up keys that contain a dot and reports a missing one', () => {
    expect(letterTexts('sv').tx('entitlement.basis.custody-placement')).toContain('barnskyddslagen');
    expect(() => letterTexts('fi').tx('no.such.key')).toThrow(/missing/);
  });
});
