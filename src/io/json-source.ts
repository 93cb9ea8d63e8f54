import { isUtf8 } from 'node:buffer';
/**
 * Reading a JSON document as a security reviewer expects: strict UTF-8, no duplicate keys
 * (two parsers could otherwise read two different documents from one signed file), bounded
 * nesting, and positions (line, column) for every JSON pointer a finding names.
 *
 * JSON.parse builds the value (native and fast) and one tight pass over the bytes counts the
 * members written and the nesting; only when they disagree with the parsed value does the
 * positional scan run (iterative, so that hostile nesting cannot overflow the stack) to name
 * the duplicate key or the too deep place. Positions of findings are found by that scan too,
 * and only for a file that has findings.
 */

export const MAX_DEPTH = 64;

export interface ParseProblem {
  /** A machine reason, also the i18n key suffix: not-utf8, empty, syntax, truncated, duplicate-key, too-deep. */
  reason: 'not-utf8' | 'empty' | 'syntax' | 'truncated' | 'duplicate-key' | 'too-deep';
  pointer: string;
  line: number | null;
  column: number | null;
  /** Extra values for the message (a key name is structure, not personal data). */
  params: Record<string, string | number>;
}

export type ParseResult =
  | {
      ok: true;
      value: unknown;
      text: string;
      /** False when no string can hold a control character (no escape, no C1): CONTROL_CHARACTER needs no walk. */
      mayHoldControl: boolean;
    }
  | { ok: false; problem: ParseProblem; text?: string };

/** Line and column (1-based) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

const escapePointer = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Reads a string literal starting at the quote at `i`; returns its end (after the closing quote). */
function skipString(text: string, i: number): number {
  let j = i + 1;
  for (;;) {
    const q = text.indexOf('"', j);
    if (q === -1) return text.length;
    // Count the backslashes before the quote: an odd number escapes it.
    let b = q - 1;
    while (text.charCodeAt(b) === 92) b--;
    if ((q - 1 - b) % 2 === 0) return q + 1;
    j = q + 1;
  }
}

interface Frame {
  isObject: boolean;
  keys: Set<string> | undefined;
  pointer: string;
  index: number;
}

/**
 * Walks syntactically valid JSON text. `onValue(pointer, offset)` is called for each value
 * when given; returns a problem for a duplicate key or too deep nesting.
 */
function scan(
  text: string,
  onValue?: (pointer: string, offset: number) => boolean,
): ParseProblem | undefined {
  const stack: Frame[] = [];
  let pendingKey: string | undefined;
  const n = text.length;
  let i = 0;
  const childPointer = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return '';
    if (top.isObject) return `${top.pointer}/${escapePointer(pendingKey ?? '')}`;
    return `${top.pointer}/${top.index}`;
  };
  const track = onValue !== undefined;
  let expectKey = false;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9 || c === 44 || c === 58) {
      i++;
      continue;
    }
    if (c === 34 && expectKey) {
      const end = skipString(text, i);
      const raw = text.slice(i + 1, end - 1);
      const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end)) as string) : raw;
      const top = stack[stack.length - 1]!;
      if (!top.keys) top.keys = new Set();
      if (top.keys.has(key)) {
        const pos = lineColumn(text, i);
        return {
          reason: 'duplicate-key',
          pointer: `${top.pointer}/${escapePointer(key)}`,
          line: pos.line,
          column: pos.column,
          params: { key: key.length > 80 ? `${key.slice(0, 80)}…` : key },
        };
      }
      top.keys.add(key);
      pendingKey = key;
      expectKey = false;
      i = end;
      continue;
    }
    if (c === 125 || c === 93) {
      // } or ]
      stack.pop();
      const top = stack[stack.length - 1];
      if (top && !top.isObject) top.index++;
      expectKey = top?.isObject ?? false;
      i++;
      continue;
    }
    // A value starts here.
    const pointer = track || c === 123 || c === 91 ? childPointer() : '';
    if (track && onValue(pointer, i)) return undefined;
    if (c === 123 || c === 91) {
      if (stack.length >= MAX_DEPTH) {
        const pos = lineColumn(text, i);
        return {
          reason: 'too-deep',
          pointer,
          line: pos.line,
          column: pos.column,
          params: { max: MAX_DEPTH },
        };
      }
      stack.push({ isObject: c === 123, keys: undefined, pointer, index: 0 });
      expectKey = c === 123;
      i++;
      continue;
    }
    // A scalar: string, number, true, false, null.
    if (c === 34) i = skipString(text, i);
    else {
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 44 || d === 125 || d === 93 || d === 32 || d === 10 || d === 13 || d === 9) break;
        i++;
      }
    }
    const top = stack[stack.length - 1];
    if (top) {
      if (top.isObject) expectKey = true;
      else top.index++;
    }
  }
  return undefined;
}

/**
 * What one pass over the bytes tells before any slower work: how many members the text writes
 * (a colon outside a string is always a name separator in JSON that parsed), how deep it
 * nests, and whether a string could hold a control character (a backslash escape, or a C1
 * character, which UTF-8 writes as C2 80–9F; a raw C0 character is not JSON at all).
 */
interface Facts {
  members: number;
  depth: number;
  mayHoldControl: boolean;
  /** A member name written with a backslash escape: JSON.parse's value is not trusted then. */
  escapedName: boolean;
}

function factsOf(b: Uint8Array): Facts {
  let members = 0;
  let depth = 0;
  let maxDepth = 0;
  let escapes = false;
  let c1 = false;
  let escapedName = false;
  let lastHadBackslash = false;
  const n = b.length;
  for (let i = 0; i < n; i++) {
    let c = b[i]!;
    if (c === 34) {
      lastHadBackslash = false;
      // A string: only a quote, a backslash or a C1 lead byte matter inside it.
      for (i++; i < n; i++) {
        c = b[i]!;
        if (c === 34) break;
        if (c === 92) {
          lastHadBackslash = true;
          // \" \\ and \/ stand for printable characters; any other escape may be a control.
          const e = b[i + 1];
          if (e !== 34 && e !== 92 && e !== 47) escapes = true;
          i++;
        } else if (c === 0xc2) {
          const d = b[i + 1]!;
          if (d >= 0x80 && d <= 0x9f) c1 = true;
        }
      }
    } else if (c === 58) {
      members++;
      if (lastHadBackslash) escapedName = true;
    } else if (c === 123 || c === 91) {
      if (++depth > maxDepth) maxDepth = depth;
    } else if (c === 125 || c === 93) depth--;
  }
  return { members, depth: maxDepth, mayHoldControl: escapes || c1, escapedName };
}

/**
 * Decodes and parses a file's bytes. A valid file costs JSON.parse and one pass over its bytes
 * (plus a count of the parsed members); only when the counts differ (a duplicate key, however
 * it is escaped) or the nesting is too deep does the positional scan run, to name the place.
 */
export function parseJson(bytes: Uint8Array): ParseResult {
  if (!isUtf8(bytes)) return notUtf8(bytes);
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Every problem is worded by the text reader, with its position.
    return parseJsonText(text);
  }
  const facts = factsOf(bytes);
  if (!facts.escapedName && facts.depth <= MAX_DEPTH && countKeys(value) === facts.members)
    return { ok: true, value, text, mayHoldControl: facts.mayHoldControl };
  const problem = scan(text);
  if (problem) return { ok: false, text, problem };
  return {
    ok: true,
    value: facts.escapedName ? buildValue(text) : value,
    text,
    mayHoldControl: facts.mayHoldControl,
  };
}

/**
 * The value of a JSON text that JSON.parse accepted and the scan found free of duplicates and
 * within MAX_DEPTH, with every member name read here. Node 24's JSON.parse (V8) can misread a
 * member name written with an escape once it has met an object whose member was one backslash:
 * after {"\\": 1}, the object {"\u0061": 0, "\u0061": 1} comes back as {"a": 0, "\\": 1}, a
 * duplicate hidden and a member renamed. Only names with a backslash come this way; strings and
 * numbers are still read by JSON.parse, one token at a time, which that fault does not touch.
 */
function buildValue(text: string): unknown {
  let i = 0;
  const space = () => {
    for (let c = text.charCodeAt(i); c === 32 || c === 10 || c === 13 || c === 9; c = text.charCodeAt(++i));
  };
  const token = (end: number): unknown => {
    const v = JSON.parse(text.slice(i, end)) as unknown;
    i = end;
    return v;
  };
  const value = (): unknown => {
    space();
    const c = text.charCodeAt(i);
    if (c === 123) {
      i++;
      const o: Record<string, unknown> = {};
      space();
      if (text.charCodeAt(i) === 125) {
        i++;
        return o;
      }
      for (;;) {
        space();
        const key = token(skipString(text, i)) as string;
        space();
        i++; // the colon
        // As JSON.parse does: an own data member, "__proto__" included, never a prototype.
        Object.defineProperty(o, key, {
          value: value(),
          writable: true,
          enumerable: true,
          configurable: true,
        });
        space();
        if (text.charCodeAt(i++) === 125) return o;
      }
    }
    if (c === 91) {
      i++;
      const a: unknown[] = [];
      space();
      if (text.charCodeAt(i) === 93) {
        i++;
        return a;
      }
      for (;;) {
        a.push(value());
        space();
        if (text.charCodeAt(i++) === 93) return a;
      }
    }
    if (c === 34) return token(skipString(text, i));
    let end = i;
    for (let d = text.charCodeAt(end); end < text.length; d = text.charCodeAt(++end))
      if (d === 44 || d === 125 || d === 93 || d === 32 || d === 10 || d === 13 || d === 9) break;
    return token(end);
  };
  return value();
}

function notUtf8(bytes: Uint8Array): ParseResult {
  // Where the first bad byte is, so that the person can see which letter broke it (a Latin-1 ä).
  const offset = firstBadByte(bytes);
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++)
    if (bytes[i] === 10) {
      line++;
      start = i + 1;
    }
  const byte = (bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, '0');
  return {
    ok: false,
    problem: {
      reason: 'not-utf8',
      pointer: '',
      line,
      column: offset - start + 1,
      params: { offset, byte },
    },
  };
}

/** Members in a parsed value whose nesting is known to be bounded. */
function countKeys(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  let n = 0;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x !== null && typeof x === 'object') n += countKeys(x);
    }
    return n;
  }
  for (const k in v) {
    n++;
    const x = (v as Record<string, unknown>)[k];
    if (x !== null && typeof x === 'object') n += countKeys(x);
  }
  return n;
}

const MAY_HOLD_CONTROL = /\\[bfnrtu]|[\u0080-\u009f]/;

export function parseJsonText(text: string): ParseResult {
  if (text.trim() === '') {
    return {
      ok: false,
      text,
      problem: { reason: 'empty', pointer: '', line: null, column: null, params: {} },
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const at = m ? Number(m[1]) : text.length;
    const pos = lineColumn(text, at);
    // An error at the very end (or "unexpected end") means the text stopped inside a value.
    const reason = at >= text.trimEnd().length ? 'truncated' : 'syntax';
    return {
      ok: false,
      text,
      problem: { reason, pointer: '', line: pos.line, column: pos.column, params: {} },
    };
  }
  const problem = scan(text);
  if (problem) return { ok: false, text, problem };
  // A backslash anywhere may be an escaped member name, which JSON.parse can misread (buildValue).
  return {
    ok: true,
    value: text.includes('\\') ? buildValue(text) : value,
    text,
    mayHoldControl: MAY_HOLD_CONTROL.test(text),
  };
}

/**
 * Positions of the given pointers (the value's first character). A pointer that is not in
 * the document (a missing required member) gets the position of its nearest present parent.
 */
export function locate(
  text: string,
  pointers: Iterable<string>,
): Map<string, { line: number; column: number }> {
  const wanted = new Set<string>();
  for (const p of pointers) {
    // The pointer and every ancestor, so that a missing member falls back to its parent.
    let q = p;
    for (;;) {
      wanted.add(q);
      if (q === '') break;
      q = q.slice(0, q.lastIndexOf('/'));
    }
  }
  const offsets = new Map<string, number>();
  let remaining = wanted.size;
  scan(text, (pointer, offset) => {
    if (wanted.has(pointer) && !offsets.has(pointer)) {
      offsets.set(pointer, offset);
      remaining--;
    }
    return remaining === 0;
  });
  const out = new Map<string, { line: number; column: number }>();
  // Offsets to line/column in one pass over the sorted offsets.
  const sorted = [...offsets.entries()].sort((a, b) => a[1] - b[1]);
  let line = 1;
  let lineStart = 0;
  let at = 0;
  for (const [pointer, offset] of sorted) {
    for (let k = text.indexOf('\n', at); k !== -1 && k < offset; k = text.indexOf('\n', k + 1)) {
      line++;
      lineStart = k + 1;
      at = k + 1;
    }
    out.set(pointer, { line, column: offset - lineStart + 1 });
  }
  for (const p of wanted) {
    if (out.has(p)) continue;
    let q = p;
    while (q !== '' && !out.has(q)) q = q.slice(0, q.lastIndexOf('/'));
    const pos = out.get(q);
    if (pos) out.set(p, pos);
  }
  return out;
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
function firstBadByte(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const n =
      c < 0x80
        ? 0
        : c >= 0xc2 && c <= 0xdf
          ? 1
          : c >= 0xe0 && c <= 0xef
            ? 2
            : c >= 0xf0 && c <= 0xf4
              ? 3
              : -1;
    if (n < 0) return i;
    // Overlong forms, surrogates and code points past U+10FFFF are refused at the second byte.
    const lo = (c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80) as number;
    const hi = (c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf) as number;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return b.length;
}
