/**
 * Message catalogues: templates/messages/<lang>/<namespace>.json, flat keys. `t('rules.HETU_INVALID')`
 * reads key HETU_INVALID of namespace rules. Catalogues load lazily, once per process.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { templatesDir } from '../core/paths.js';
import { isLang, type Lang } from '../domain/language.js';

export { isLang, LANGS, type Lang } from '../domain/language.js';

const cache = new Map<string, Record<string, string>>();

function catalogue(lang: Lang, ns: string): Record<string, string> {
  const id = `${lang}/${ns}`;
  let c = cache.get(id);
  if (!c) {
    try {
      c = JSON.parse(readFileSync(join(templatesDir(), 'messages', lang, `${ns}.json`), 'utf8')) as Record<
        string,
        string
      >;
    } catch {
      c = {};
    }
    cache.set(id, c);
  }
  return c;
}

/** Replaces {name} placeholders. */
export function format(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/**
 * Translates `namespace.KEY`; falls back to English, then to the key itself. With a numeric
 * `count`, `KEY_one` or `KEY_other` is taken when the catalogue has them (see tn).
 */
export function t(key: string, lang: Lang, vars: Record<string, string | number> = {}): string {
  const dot = key.indexOf('.');
  const ns = key.slice(0, dot);
  const k = key.slice(dot + 1);
  // A message about a number of things has a form per plural category (key_one, key_other).
  if (typeof vars.count === 'number') {
    const cat = pluralCategory(lang, vars.count);
    const p = catalogue(lang, ns)[`${k}_${cat}`] ?? catalogue('en', ns)[`${k}_${cat}`];
    if (p !== undefined) return format(p, { ...vars, count: formatInteger(vars.count, lang) });
  }
  const s = catalogue(lang, ns)[k] ?? catalogue('en', ns)[k];
  return s === undefined ? key : format(s, vars);
}

const plurals = new Map<Lang, Intl.PluralRules>();

/**
 * A message with a count: `key_one` or `key_other` by the language's plural rules (CLDR, as
 * Intl.PluralRules knows them), `{count}` filled in with the number as the language writes it.
 * Finnish, Swedish and English have these two categories only, so every catalogue has both.
 */
export function tn(
  key: string,
  lang: Lang,
  count: number,
  vars: Record<string, string | number> = {},
): string {
  return t(key, lang, { ...vars, count });
}

function pluralCategory(lang: Lang, count: number): 'one' | 'other' {
  let rules = plurals.get(lang);
  if (!rules) {
    rules = new Intl.PluralRules(lang);
    plurals.set(lang, rules);
  }
  return rules.select(count) === 'one' ? 'one' : 'other';
}

/** An integer as the language writes it (fi/sv group thousands with a no-break space). */
export const formatInteger = (n: number, lang: Lang): string =>
  new Intl.NumberFormat(intlLocale(lang), { maximumFractionDigits: 0 }).format(n);

/** The Intl locale of a language: Finnish and Swedish as written in Finland. */
export const intlLocale = (lang: Lang): string => (lang === 'en' ? 'en-GB' : `${lang}-FI`);

/**
 * A language code (ISO 639-1, as files carry it) as a word in the reader's language: "sv" is
 * "ruotsi" in Finnish and "svenska" in Swedish (CLDR via Intl.DisplayNames). A code that is no
 * language stays as written.
 */
export function languageName(code: string, lang: Lang): string {
  try {
    const name = new Intl.DisplayNames([intlLocale(lang)], { type: 'language', fallback: 'none' }).of(code);
    return name ?? code;
  } catch {
    return code;
  }
}

let byName: Map<string, string> | undefined;

/**
 * The ISO 639-1 code of a language typed by its name in Finnish, Swedish or English ("ruotsi",
 * "svenska", "Swedish"), or typed as a code; undefined when it names no language.
 */
export function languageCode(typed: string): string | undefined {
  const v = typed.trim().toLowerCase();
  if (!byName) {
    byName = new Map();
    const names = (['fi', 'sv', 'en'] as const).map(
      (l) => new Intl.DisplayNames([intlLocale(l)], { type: 'language', fallback: 'none' }),
    );
    const a = 'abcdefghijklmnopqrstuvwxyz';
    for (const x of a)
      for (const y of a) {
        const code = x + y;
        for (const n of names) {
          const name = n.of(code);
          if (name && name !== code) byName.set(name.toLowerCase(), code);
        }
      }
  }
  if (/^[a-z]{2}$/.test(v)) return [...byName.values()].includes(v) ? v : undefined;
  return byName.get(v);
}

/** Euros, one way everywhere (summary, show, letter): "9 000,00 €" in fi and sv, "€9,000.00" in en. */
export const formatMoney = (eur: number, lang: Lang): string =>
  new Intl.NumberFormat(intlLocale(lang), { style: 'currency', currency: 'EUR' }).format(eur);

/** Has the catalogue this key, or its plural forms (in English, the reference locale)? */
export const hasKey = (key: string): boolean => {
  const dot = key.indexOf('.');
  const c = catalogue('en', key.slice(0, dot));
  const k = key.slice(dot + 1);
  return c[k] !== undefined || c[`${k}_other`] !== undefined;
};

/**
 * --lang as typed on this command line (`--lang fi` or `--lang=fi`), read before oclif parses
 * the flags, so that a parse error is already reported in the right language.
 */
export function langFromArgv(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return undefined;
    if (a === '--lang') return argv[i + 1];
    if (a.startsWith('--lang=')) return a.slice('--lang='.length);
  }
  return undefined;
}

/**
 * The user's language: an explicit choice, then HANDOVER_LANG, then the configured default,
 * then the locale of the environment (fi_FI, sv_FI), else English.
 */
export function resolveLang(explicit?: string, configured?: string): Lang {
  if (isLang(explicit)) return explicit;
  const env = process.env.HANDOVER_LANG;
  if (isLang(env)) return env;
  if (isLang(configured)) return configured;
  const loc = (process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || '').slice(0, 2);
  return isLang(loc) ? loc : 'en';
}
