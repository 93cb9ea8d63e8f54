import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { format, resolveLang, t, tn } from '../../src/i18n/index.js';
import { ROOT } from '../helpers/cli.js';

const dir = join(ROOT, 'templates', 'messages');
const load = (lang: string, ns: string) =>
  JSON.parse(readFileSync(join(dir, lang, ns), 'utf8')) as Record<string, string>;
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogues', () => {
  const namespaces = readdirSync(join(dir, 'en')).filter((f) => f.endsWith('.json'));

  it('have the same namespaces in fi, sv and en', () => {
    for (const lang of ['fi', 'sv'])
      expect(readdirSync(join(dir, lang)).sort()).toEqual([...namespaces].sort());
  });

  it.each(namespaces)('%s: every locale has the same keys, non-empty, with the same placeholders', (ns) => {
    const en = load('en', ns);
    for (const lang of ['fi', 'sv']) {
      const other = load(lang, ns);
      expect(Object.keys(other).sort(), `${lang}/${ns}`).toEqual(Object.keys(en).sort());
      for (const [k, v] of Object.entries(en)) {
        expect(other[k]?.trim(), `${lang}/${ns} ${k}`).toBeTruthy();
        expect(placeholders(other[k]!), `${lang}/${ns} ${k}`).toEqual(placeholders(v));
      }
    }
  });
});

describe('t and resolveLang', () => {
  it('falls back to English, then to the key', () => {
    expect(t('errors.OUTPUT_EXISTS', 'fi', { file: 'x' })).toBe('x on jo olemassa.');
    expect(t('errors.NO_SUCH_KEY', 'sv')).toBe('errors.NO_SUCH_KEY');
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(format('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });

  it('prefers the flag, then HANDOVER_LANG, then the configured default, then the locale', () => {
    const saved = { ...process.env };
    try {
      process.env.HANDOVER_LANG = 'sv';
      process.env.LANG = 'fi_FI.UTF-8';
      expect(resolveLang('en', 'fi')).toBe('en');
      expect(resolveLang(undefined, 'fi')).toBe('sv');
      delete process.env.HANDOVER_LANG;
      expect(resolveLang(undefined, 'en')).toBe('en');
      expect(resolveLang()).toBe('fi');
      process.env.LANG = 'de_DE.UTF-8';
      delete process.env.LC_ALL;
      delete process.env.LC_MESSAGES;
      expect(resolveLang()).toBe('en');
    } finally {
      process.env = saved;
    }
  });
});

describe('plurals (issue 25: "1 filer", "1 rader")', () => {
  it('chooses _one or _other by Intl.PluralRules and writes the number as the language does', () => {
    expect(tn('import.summary_files', 'sv', 1)).toBe('1 fil');
    expect(tn('import.summary_files', 'sv', 2)).toBe('2 filer');
    expect(tn('audit.lines', 'sv', 1)).toBe('1 rad');
    expect(tn('audit.lines', 'fi', 1)).toBe('1 rivi');
    expect(tn('audit.lines', 'fi', 1200)).toBe('1\u00a0200 riviä');
    expect(t('interview.ANSWERS_INCOMPLETE', 'sv', { count: 1 })).toContain('1 uppgift saknas');
    expect(t('interview.ANSWERS_INCOMPLETE', 'en', { count: 3 })).toContain('3 fields are missing');
  });

  it('no message in fi or sv writes a plural in brackets ("(er)", "(a)")', () => {
    // "http(s)" is a scheme, not a plural.
    for (const lang of ['fi', 'sv', 'en'])
      for (const ns of readdirSync(join(dir, lang)))
        for (const [k, v] of Object.entries(load(lang, ns)))
          expect(v.replace(/http\(s\)/g, ''), `${lang}/${ns} ${k}`).not.toMatch(/\w\((er|a|s|t|or|r)\)/);
  });
});

describe('languages by name (issue 25: "Kontaktspråk: sv")', () => {
  it('reads a language typed by its name in fi, sv or en, or as a code, and names a code in words', async () => {
    const { languageCode, languageName } = await import('../../src/i18n/index.js');
    expect(languageCode('svenska')).toBe('sv');
    expect(languageCode('ruotsi')).toBe('sv');
    expect(languageCode('Arabic')).toBe('ar');
    expect(languageCode('somali')).toBe('so');
    expect(languageCode('fi')).toBe('fi');
    expect(languageCode('xx')).toBeUndefined();
    expect(languageCode('klingonska')).toBeUndefined();
    expect(languageName('sv', 'fi')).toBe('ruotsi');
    expect(languageName('ar', 'sv')).toBe('arabiska');
  });
});
