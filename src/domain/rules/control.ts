/**
 * CONTROL_CHARACTER (SPEC §5.3, §10): text from a document is data, never terminal control.
 * A C0 (U+0000–U+001F) or C1 (U+0080–U+009F) control character in any string of any
 * document of any version is refused; only the free-text members may hold a tab, a line feed
 * and a carriage return that ends a line (CR LF). A rule rather than a schema pattern, so
 * that the frozen 1.0 schema stays byte for byte.
 */
import { finding } from './registry.js';
import { isObj, type RuleFinding } from './types.js';

/** Free-text members by document kind, as pointer shapes with `*` for an array index. */
const FREE_TEXT: Record<'handover' | 'receipt' | 'withdrawal', RegExp> = {
  handover:
    /^\/(notes|youth\/wishes|clientPlan\/goals\/\d+\/text|services\/\d+\/description|meeting\/agenda\/\d+)$/,
  receipt: /^$/,
  withdrawal: /^\/reason$/,
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const ANY_CONTROL = /[\u0000-\u001f\u0080-\u009f]/;

/** The first control character that `text` may not hold, or undefined. */
function offending(text: string, freeText: boolean): string | undefined {
  if (!ANY_CONTROL.test(text)) return undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!(c < 0x20 || (c >= 0x80 && c <= 0x9f))) continue;
    if (freeText && (c === 0x09 || c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) === 0x0a))) continue;
    return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return undefined;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: C1 characters are the point
const C1 = /[\u0080-\u009f]/;

/** No escape that could decode to a control character, and no raw C1 character. */
const cannotHoldControl = (text: string): boolean => !/\\[bfnrtu]/.test(text) && !C1.test(text);

const escapeToken = (k: string): string => k.replace(/~/g, '~0').replace(/\//g, '~1');

interface Place {
  key: string;
  up: Place | undefined;
}

/** The RFC 6901 pointer of a place, built only for a finding (a deep file has long paths). */
const pointerOf = (at: Place | undefined): string => {
  const keys: string[] = [];
  for (let p = at; p; p = p.up) keys.push(escapeToken(p.key));
  return keys.length === 0 ? '' : `/${keys.reverse().join('/')}`;
};

/** One finding per offending string, at its pointer; member names are checked too. */
export function controlCharacterRule(
  doc: unknown,
  kind: keyof typeof FREE_TEXT = 'handover',
  sourceText?: string,
  mayHoldControl?: boolean,
): RuleFinding[] {
  if (mayHoldControl === false || (sourceText !== undefined && cannotHoldControl(sourceText))) return [];
  const out: RuleFinding[] = [];
  const free = FREE_TEXT[kind];
  // An explicit stack: a deeply nested hostile file must not overflow the call stack.
  const stack: { v: unknown; at: Place | undefined; depth: number }[] = [{ v: doc, at: undefined, depth: 0 }];
  // A parsed file is a tree; a value built in code may share or even contain itself.
  const seen = new WeakSet<object>();
  while (stack.length > 0 && out.length < 100) {
    const { v, at, depth } = stack.pop()!;
    if (typeof v === 'object' && v !== null) {
      if (seen.has(v)) continue;
      seen.add(v);
    }
    if (typeof v === 'string') {
      // Clean strings cost one test; the pointer is built only for a string that has a control
      // character. Free-text members are shallow: a deep path is never one of them.
      if (ANY_CONTROL.test(v)) {
        const c = offending(v, depth <= 4 && free.test(pointerOf(at)));
        if (c) out.push(finding('CONTROL_CHARACTER', pointerOf(at), { code: c }));
      }
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--)
        stack.push({ v: v[i], at: { key: String(i), up: at }, depth: depth + 1 });
    } else if (isObj(v)) {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i]!;
        const place = { key: k, up: at };
        const c = offending(k, false);
        if (c) out.push(finding('CONTROL_CHARACTER', pointerOf(place), { code: c }));
        stack.push({ v: v[k], at: place, depth: depth + 1 });
      }
    }
  }
  return out.sort((a, b) => (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0));
}
