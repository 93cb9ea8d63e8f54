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
