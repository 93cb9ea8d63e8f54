import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locate, MAX_DEPTH, parseJson, parseJsonText } from '../../src/io/json-source.js';

const bytes = (s: string) => Buffer.from(s, 'utf8');

describe('parseJson', () => {
  it('parses a plain document', () => {
    const r = parseJson(bytes('{"a": [1, {"b": "c"}]}'));
    expect(r.ok && r.value).toEqual({ a: [1, { b: 'c' }] });
  });

  it('rejects bytes that are not UTF-8', () => {
    const r = parseJson(Uint8Array.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problem.reason).toBe('not-utf8');
  });

  it('accepts and ignores a byte order mark', () => {
    const r = parseJson(Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes('{"a":1}')]));
    expect(r.ok && r.value).toEqual({ a: 1 });
  });

  it.each(['', '   \n'])('an empty file is a problem of its own (%j)', (s) => {
    const r = parseJsonText(s);
    expect(!r.ok && r.problem.reason).toBe('empty');
  });

  it('gives the line and column of a syntax error', () => {
    const r = parseJsonText('{\n  "a": 1,\n  "b" 2\n}');
    expect(!r.ok && r.problem).toMatchObject({ reason: 'syntax', line: 3, column: 7 });
  });

  it('finds a duplicate key, with its pointer and position', () => {
    const r = parseJsonText('{\n "youth": {\n  "name": 1,\n  "name": 2\n }\n}');
    expect(!r.ok && r.problem).toMatchObject({
      reason: 'duplicate-key',
      pointer: '/youth/name',
      line: 4,
      column: 3,
    });
  });

  it('finds duplicates written with different escapes of the same key', () => {
    const r = parseJsonText('{"id": 1, "\\u0069d": 2}');
    expect(!r.ok && r.problem.reason).toBe('duplicate-key');
  });

  it('finds a duplicate whose colon has white space before it, in a text without it elsewhere', () => {
    for (const text of ['{"a":1,"a" :2}', '{"a" :1,"a":2}', '{"a"\n:1,"b":{"c":1,"c"\t:2}}']) {
      const r = parseJsonText(text);
      expect(!r.ok && r.problem.reason, text).toBe('duplicate-key');
    }
    expect(parseJsonText('{"a" : 1, "b": {"c" :2}}').ok).toBe(true);
  });

  it('does not take a key-like string value for a key', () => {
    const r = parseJsonText('{"a": "a", "b": ["a", "a"], "c": {"a": "\\"a\\""}}');
    expect(r.ok).toBe(true);
  });

  it('keeps __proto__ as data, without touching any prototype', () => {
    const r = parseJsonText('{"__proto__": {"polluted": true}}');
    expect(r.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses hostile nesting without overflowing the stack', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const r = parseJsonText(deep);
    expect(!r.ok && r.problem).toMatchObject({ reason: 'too-deep' });
    const justDeepEnough = `${'['.repeat(MAX_DEPTH)}${']'.repeat(MAX_DEPTH)}`;
    expect(parseJsonText(justDeepEnough).ok).toBe(true);
  });
});

/**
 * Issue 21 item 6: a valid file is checked by one pass over its bytes, and the positional scan
 * runs only when that pass disagrees with the parsed value. Duplicates must still be found,
 * with their place, however deep and however the key is escaped.
 */
describe('duplicate keys through the fast check', () => {
  it('finds a duplicate nested deep, with its pointer, line and column', () => {
    const depth = 40;
    let text = '{"k": [1, "a", {"x": ""}], ';
    for (let i = 0; i < depth; i++) text += `"level${i}": {\n`;
    text += '"name": "A", "other": 1,\n  "name": "B"';
    for (let i = 0; i < depth; i++) text += '}';
    text += '}';
    const r = parseJson(bytes(text));
    const pointer = `${Array.from({ length: depth }, (_, i) => `/level${i}`).join('')}/name`;
    expect(!r.ok && r.problem).toMatchObject({
      reason: 'duplicate-key',
      pointer,
      line: depth + 2,
      column: 3,
    });
  });

  it('finds "a" and "\\u0061" as one key written twice, and names the second', () => {
    const r = parseJson(bytes('{\n  "sender": {"a": 1,\n    "\\u0061": 2}\n}'));
    expect(!r.ok && r.problem).toMatchObject({
      reason: 'duplicate-key',
      pointer: '/sender/a',
      line: 3,
      column: 5,
    });
    const r2 = parseJson(bytes('{"\\u00e4iti": 1, "äiti": 2}'));
    expect(!r2.ok && r2.problem).toMatchObject({
      reason: 'duplicate-key',
      pointer: '/äiti',
      line: 1,
      column: 18,
    });
  });

  it('does not count a colon, brace or escaped quote inside a string', () => {
    const r = parseJson(bytes('{"t": "10:00 {x} [y] \\" : ", "u": ":", "v": {"w": "\\\\"}}'));
    expect(r.ok).toBe(true);
  });

  it('says whether a string may hold a control character: an escape that may decode to one, or a C1', () => {
    const may = (s: string) => {
      const r = parseJson(bytes(s));
      return r.ok && r.mayHoldControl;
    };
    expect(may('{"a": "plain äö"}')).toBe(false);
    expect(may('{"a": "quote \\" slash \\/ back \\\\"}')).toBe(false);
    expect(may('{"a": "\\u001b"}')).toBe(true);
    expect(may('{"a": "\\n"}')).toBe(true);
    expect(may('{"a": "\u009b"}')).toBe(true);
  });

  it("is not fooled by JSON.parse misreading escaped member names (Node 24's V8)", () => {
    // As an attacker writes it: an object with the members "a" and one backslash primes V8's
    // JSON parser; the next object's escaped "a" then came back as a backslash, so the file
    // was accepted with its duplicate "a" hidden (and another reader sees other data).
    const hidden = '{"x": {"a": 0, "\\\\": 1}, "y": {"a": 0, "\\u0061": 1}}';
    const r = parseJson(bytes(hidden));
    expect(!r.ok && r.problem).toMatchObject({
      reason: 'duplicate-key',
      pointer: '/y/a',
      line: 1,
      column: 40,
    });
    expect(parseJsonText(hidden).ok).toBe(false);
    // A member renamed: "\\u0062" is "b", never a backslash.
    const renamed = parseJson(bytes('{"x": {"a": 0, "\\\\": 1}, "y": {"a": 0, "\\u0062": 1}}'));
    expect(renamed.ok && renamed.value).toEqual({ x: { a: 0, '\\': 1 }, y: { a: 0, b: 1 } });
    // Across the files of one batch (one thread): the second file alone, after the first.
    expect(parseJson(bytes('{"a": 0, "\\\\": 1}')).ok).toBe(true);
    const second = parseJson(bytes('{"a": 0, "\\u0061": 1}'));
    expect(!second.ok && second.problem.reason).toBe('duplicate-key');
    // __proto__ written with an escape stays data, as JSON.parse keeps it.
    const proto = parseJson(bytes('{"\\u005f_proto__": {"polluted": true}}'));
    expect(proto.ok && Object.keys(proto.value as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('agrees with the positional scan on any document, duplicates and escapes included', () => {
    // Keys from a small alphabet so that duplicates are common; each written plainly or escaped.
    const key = fc.constantFrom('a', 'b', 'ä', ':', '"', '\\', '{');
    const write = (k: string, escaped: boolean) =>
      escaped
        ? `"${[...k].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"`
        : JSON.stringify(k);
    const value: fc.Arbitrary<string> = fc.letrec((tie) => ({
      leaf: fc.oneof(fc.constant('1'), fc.constant('"x:y"'), fc.constant('"\\u001b"'), fc.constant('null')),
      obj: fc
        .array(fc.tuple(key, fc.boolean(), tie('node')), { maxLength: 4 })
        .map((ms) => `{${ms.map(([k, e, v]) => `${write(k, e)}:${v}`).join(',')}}`),
      arr: fc.array(tie('node'), { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`),
      node: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('obj'), tie('arr')),
    })).obj;
    fc.assert(
      fc.property(value, (text) => {
        const fast = parseJson(bytes(text));
        const slow = parseJsonText(text);
        expect(fast.ok).toBe(slow.ok);
        if (!fast.ok && !slow.ok) expect(fast.problem).toEqual(slow.problem);
        if (fast.ok && slow.ok) {
          expect(fast.mayHoldControl).toBe(slow.mayHoldControl);
          expect(fast.value).toEqual(slow.value);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('locate', () => {
  const text = '{\n  "sender": {\n    "organization": {"name": "A"}\n  },\n  "list": [10, {"x~/y": true}]\n}';

  it('gives the position of the value each pointer names', () => {
    const pos = locate(text, ['/sender', '/sender/organization/name', '/list/1/x~0~1y', '']);
    expect(pos.get('/sender')).toEqual({ line: 2, column: 13 });
    expect(pos.get('/sender/organization/name')).toEqual({ line: 3, column: 30 });
    expect(pos.get('/list/1/x~0~1y')).toEqual({ line: 5, column: 25 });
    expect(pos.get('')).toEqual({ line: 1, column: 1 });
  });

  it('falls back to the nearest parent for a member that is missing', () => {
    const pos = locate(text, ['/sender/contact']);
    expect(pos.get('/sender/contact')).toEqual({ line: 2, column: 13 });
  });
});

describe('parseJson on large input', () => {
  it('handles a 5 MiB string full of escapes without a regex overflow', () => {
    const big = `{"notes": "${'a\\"b\\\\c'.repeat(700_000)}", "x": 1}`;
    const r = parseJsonText(big);
    expect(r.ok).toBe(true);
    const dup = `{"notes": "${'a\\"b'.repeat(700_000)}", "notes": 1}`;
    expect(!parseJsonText(dup).ok && (parseJsonText(dup) as any).problem.reason).toBe('duplicate-key');
  });
});
