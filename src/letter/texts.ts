/**
 * Letter texts are data (templates/letter/<lang>.json), so that a lawyer or translator can
 * correct a sentence without touching layout code. Lookups are by dotted path.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { templatesDir } from '../core/paths.js';
import type { Lang } from '../domain/language.js';
import { format } from '../i18n/index.js';

type Tree = { [k: string]: string | Tree };

export interface LetterTexts {
  lang: Lang;
  /** BCP 47 locale for dates and numbers. */
  locale: string;
  dateStyle: 'dmy' | 'iso';
  /** The text at a dotted path (a key may itself contain dots: "basis.custody-placement"). */
  tx(path: string, vars?: Record<string, string | number>): string;
}

const loaded = new Map<Lang, Tree>();

function tree(lang: Lang): Tree {
  let t = loaded.get(lang);
  if (!t) {
    t = JSON.parse(readFileSync(join(templatesDir(), 'letter', `${lang}.json`), 'utf8')) as Tree;
    loaded.set(lang, t);
  }
  return t;
}

function lookup(t: Tree, path: string): string | undefined {
  const dot = path.indexOf('.');
  if (dot < 0) {
    const v = t[path];
    return typeof v === 'string' ? v : undefined;
  }
  const head = t[path.slice(0, dot)];
  // A leaf whose own key contains a dot ("basis.custody-placement") is tried before descending.
  const whole = t[path];
  if (typeof whole === 'string') return whole;
  return head && typeof head === 'object' ? lookup(head, path.slice(dot + 1)) : undefined;
}

export function letterTexts(lang: Lang): LetterTexts {
  const t = tree(lang);
  return {
    lang,
    locale: String(t.locale),
    dateStyle: t.dateStyle === 'iso' ? 'iso' : 'dmy',
    tx(path, vars = {}) {
      const s = lookup(t, path);
      if (s === undefined) throw new Error(`letter text missing: ${lang} ${path}`);
      return format(s, vars);
    },
  };
}

/** Every leaf path of a language's texts (the test compares the three languages). */
export function textPaths(lang: Lang): string[] {
  const out: string[] = [];
  const walk = (t: Tree, prefix: string): void => {
    for (const [k, v] of Object.entries(t)) {
      if (typeof v === 'string') out.push(prefix + k);
      else walk(v, `${prefix}${k}.`);
    }
  };
  walk(tree(lang), '');
  return out.sort();
}
