/**
 * Hostile inputs for `validate` (and anything else that reads a handover file), as fast-check
 * arbitraries of raw bytes. Plain JavaScript so that the vitest suite and scripts/fuzz.mjs
 * (which runs against the built dist/) share them. Every input is invented; the seeds are the
 * repository's valid rule fixtures.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '..', 'fixtures');

/** Valid documents to start from: every `*.valid.json` rule fixture and the schema fixtures. */
export function seeds() {
  const out = [];
  for (const dir of ['rules', 'schema']) {
    let names = [];
    try {
      names = readdirSync(join(fixtures, dir));
    } catch {
      continue;
    }
    for (const n of names.filter((f) => f.endsWith('.json') && !f.includes('invalid')).sort()) {
      try {
        out.push(JSON.parse(readFileSync(join(fixtures, dir, n), 'utf8')));
      } catch {
        // A fixture that is not JSON is no seed.
      }
    }
  }
  if (out.length === 0) out.push({ schemaVersion: '1.0', id: '3f6c2a1e-8b4d-4c2f-9a7e-5d1b0c9e8f21' });
  return out;
}

const enc = (s) => new Uint8Array(Buffer.from(String(s), 'utf8'));
const cat = (...parts) => new Uint8Array(Buffer.concat(parts.map((p) => Buffer.from(p))));

/** All paths (arrays of keys/indices) to values inside a JSON value. */
function paths(v, prefix = [], out = []) {
  out.push(prefix);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) paths(v[i], [...prefix, i], out);
  } else if (v && typeof v === 'object') for (const k of Object.keys(v)) paths(v[k], [...prefix, k], out);
  return out;
}

function setAt(root, path, fn) {
  if (path.length === 0) return fn(root);
  const copy = structuredClone(root);
  let cur = copy;
  for (const k of path.slice(0, -1)) cur = cur[k];
  const last = path[path.length - 1];
  const next = fn(cur[last]);
  if (next === DELETE) {
    if (Array.isArray(cur)) cur.splice(last, 1);
    else delete cur[last];
  } else cur[last] = next;
  return copy;
}
const DELETE = Symbol('delete');

const nastyStrings = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  '\u202e‮evil',
  '\ud800',
  'a'.repeat(5000),
  '<script>alert(1)</script>',
  '=cmd|"/c calc"!A0',
  '../../etc/passwd',
  '010190-999A',
  '131052-308T',
  '9999-99-99',
  '2026-02-30',
  '2026-11-20T25:00:00+02:00',
  'NaN',
  '1e999',
  '%s%n%x',
  // A log4shell-style lookup string: data, never interpolated.
  ['$', '{jndi:ldap://x}'].join(''),
  '🙂'.repeat(100),
);

const nastyValues = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  nastyStrings,
  fc.constantFrom(null, true, false, 0, -0, -1, 1e308, Number.MAX_SAFE_INTEGER + 2, 0.1, [], {}),
);

const protoKeys = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
);

/** One valid seed, serialised as a worker's editor would. */
const seedText = (s) => JSON.stringify(s, null, 2);

export function arbitraries(seedDocs = seeds()) {
  const seed = fc.constantFrom(...seedDocs);
  const seedWithPath = seed.chain((s) => fc.constantFrom(...paths(s)).map((p) => ({ s, p })));

  const randomBytes = fc.uint8Array({ maxLength: 2048 }).map((b) => ({ kind: 'random-bytes', bytes: b }));

  const truncated = seed.chain((s) => {
    const t = seedText(s);
    return fc
      .integer({ min: 0, max: t.length - 1 })
      .map((n) => ({ kind: 'truncated', bytes: enc(t.slice(0, n)) }));
  });

  const mutated = seedWithPath.chain(({ s, p }) =>
    fc
      .oneof(
        nastyValues.map((v) => () => v),
        fc.constant(() => DELETE),
      )
      .map((f) => ({ kind: 'mutated', bytes: enc(JSON.stringify(setAt(s, p, f)) ?? '') })),
  );

  const unknownKey = seed.chain((s) =>
    fc
      .tuple(
        fc.oneof(protoKeys, fc.string({ maxLength: 12 })),
        nastyValues,
        fc.double({ min: 0, max: 1, noNaN: true }),
      )
      .map(([k, v, where]) => {
        // Insert the key textually: JSON.stringify would drop or transform "__proto__".
        const text = JSON.stringify(s);
        const opens = [...text.matchAll(/\{/g)].map((m) => m.index);
        const pos = opens[Math.min(opens.length - 1, Math.floor(where * opens.length))] ?? 0;
        const inject = `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'},`;
        return {
          kind: 'proto-key',
          key: k,
          bytes: enc(`${text.slice(0, pos + 1)}${inject}${text.slice(pos + 1)}`),
        };
      }),
  );

  const duplicateKey = seed.chain((s) =>
    fc.constantFrom('id', 'type', 'schemaVersion', 'language', 'createdAt').map((k) => {
      const text = seedText(s);
      return { kind: 'duplicate-key', bytes: enc(text.replace('{', `{\n  ${JSON.stringify(k)}: "dup",`)) };
    }),
  );

  const deep = fc
    .tuple(fc.integer({ min: 50, max: 200_000 }), fc.constantFrom('[', '{"a":'), fc.boolean())
    .map(([n, open, closed]) => {
      const close = open === '[' ? ']' : '}';
      const inner = open === '[' ? '' : '1';
      return { kind: 'deep-nesting', bytes: enc(open.repeat(n) + inner + (closed ? close.repeat(n) : '')) };
    });

  const deepInDoc = seed.chain((s) =>
    fc.integer({ min: 65, max: 5000 }).map((n) => {
      const text = JSON.stringify({ ...s, notes: undefined });
      return {
        kind: 'deep-in-document',
        bytes: enc(`${text.slice(0, -1)},"notes":${'['.repeat(n)}${']'.repeat(n)}}`),
      };
    }),
  );

  const huge = seed.chain((s) =>
    fc.constantFrom(4001, 100_000, 5 * 1024 * 1024 + 1).map((n) => ({
      kind: 'huge-string',
      bytes: enc(JSON.stringify({ ...s, notes: 'ä'.repeat(n) })),
    })),
  );

  const badUtf8 = seed.chain((s) =>
    fc
      .tuple(
        fc.constantFrom(
          [0xff],
          [0xc3, 0x28],
          [0xed, 0xa0, 0x80],
          [0xf4, 0x90, 0x80, 0x80],
          [0xc0, 0xaf],
          [0xe2, 0x82],
        ),
        fc.double({ min: 0, max: 1, noNaN: true }),
      )
      .map(([bad, where]) => {
        const t = Buffer.from(seedText(s), 'utf8');
        const at = Math.floor(where * t.length);
        return { kind: 'invalid-utf8', bytes: cat(t.subarray(0, at), Buffer.from(bad), t.subarray(at)) };
      }),
  );

  const bom = seed.chain((s) =>
    fc
      .constantFrom([0xef, 0xbb, 0xbf], [0xfe, 0xff], [0xff, 0xfe], [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf])
      .map((b) => ({
        kind: 'bom',
        bytes: cat(Buffer.from(b), Buffer.from(seedText(s), b[0] === 0xef ? 'utf8' : 'utf16le')),
      })),
  );

  const weirdJson = fc
    .constantFrom(
      '',
      ' ',
      'null',
      '[]',
      '"string"',
      '1e400',
      '{"schemaVersion":"1.0"}',
      '{"kind":"receipt"}',
      '{"kind":"withdrawal","id":null}',
      '{"kind":{"__proto__":{"polluted":1}}}',
      '{"__proto__":{"polluted":true}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      '{"a":1}{"b":2}',
      "{'single':'quotes'}",
      '{"a":1,}',
      '{"a":NaN}',
      '{"a":"\\ud800"}',
      '{"a":"\\u0000"}',
      '\u0000',
    )
    .map((s) => ({ kind: 'weird-json', bytes: enc(s) }));

  return {
    randomBytes,
    truncated,
    mutated,
    unknownKey,
    duplicateKey,
    deep,
    deepInDoc,
    huge,
    badUtf8,
    bom,
    weirdJson,
    /** Everything, the cheap kinds more often than the expensive ones. */
    any: fc.oneof(
      { arbitrary: randomBytes, weight: 3 },
      { arbitrary: truncated, weight: 3 },
      { arbitrary: mutated, weight: 6 },
      { arbitrary: unknownKey, weight: 3 },
      { arbitrary: duplicateKey, weight: 1 },
      { arbitrary: deep, weight: 1 },
      { arbitrary: deepInDoc, weight: 1 },
      { arbitrary: huge, weight: 1 },
      { arbitrary: badUtf8, weight: 2 },
      { arbitrary: bom, weight: 1 },
      { arbitrary: weirdJson, weight: 2 },
    ),
  };
}

/** A stack trace or an internal error showing through a message. */
export const looksLikeStack = (s) =>
  /\n\s+at .+:\d+|\bat Object\.|TypeError|RangeError|ReferenceError|Maximum call stack/.test(s);
