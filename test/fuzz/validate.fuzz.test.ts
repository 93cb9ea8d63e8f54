/**
 * Hostile input through `validate`: a few hundred generated files through validateDocument and
 * the command. Never a throw, never a stack, only known rule codes, exit codes per SPEC §3.
 * `npm run fuzz` runs the same generators for 10,000+ inputs against the built CLI.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import Validate from '../../src/commands/validate.js';
import { RULES } from '../../src/domain/rules/registry.js';
import { validateDocument } from '../../src/services/validate/index.js';
import { runCommand, tempDir } from '../helpers/cli.js';
import { arbitraries, looksLikeStack, seeds } from './generators.mjs';

const KNOWN = new Set(Object.keys(RULES));
const FINDING_KEYS = ['column', 'line', 'message', 'pointer', 'rule', 'severity'];
const gen = arbitraries(seeds());

interface Finding {
  rule: string;
  severity: string;
  pointer: string;
  line: number | null;
  column: number | null;
  message: string;
}

function checkFindings(findings: Finding[]): void {
  for (const f of findings) {
    expect(Object.keys(f).sort()).toEqual(FINDING_KEYS);
    expect(KNOWN.has(f.rule), f.rule).toBe(true);
    expect(['error', 'warning']).toContain(f.severity);
    expect(typeof f.pointer).toBe('string');
    expect(f.message.length).toBeGreaterThan(0);
    // An untranslated key ("validate.X") or an internal error showing through is a defect.
    expect(f.message).not.toMatch(/^(validate|rules|errors)\.[A-Z_]+/);
    expect(looksLikeStack(f.message), f.message).toBe(false);
  }
}

const EXPECTED_RULE: Record<string, string> = {
  truncated: 'JSON_PARSE',
  'invalid-utf8': 'JSON_PARSE',
  'duplicate-key': 'JSON_PARSE',
  'deep-in-document': 'JSON_PARSE',
};

describe('validateDocument on hostile input', () => {
  it('the stack detector used below recognises a real stack trace', () => {
    expect(looksLikeStack(new TypeError('x').stack ?? '')).toBe(true);
    expect(looksLikeStack('Henkilötunnus on virheellinen: tarkistusmerkki ei täsmää.')).toBe(false);
  });

  it('never throws, reports only known rules, and is invalid exactly when it has an error', () => {
    fc.assert(
      fc.property(gen.any, (input: { kind: string; bytes: Uint8Array; key?: string }) => {
        const r = validateDocument(input.bytes, { lang: 'fi' });
        checkFindings(r.findings as Finding[]);
        expect(r.valid).toBe(!r.findings.some((f) => f.severity === 'error'));
        const must = EXPECTED_RULE[input.kind];
        if (must) expect(r.findings.map((f) => f.rule)).toContain(must);
        if (input.kind === 'huge-string' && input.bytes.length > 5 * 1024 * 1024) {
          expect(r.findings.map((f) => f.rule)).toEqual(['FILE_TOO_LARGE']);
        }
        if (
          input.kind === 'proto-key' &&
          ['__proto__', 'constructor', 'prototype'].includes(input.key ?? '')
        ) {
          expect(r.valid).toBe(false);
        }
      }),
      { numRuns: 400 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
  });

  it('rejects nesting far beyond the limit without overflowing the stack', () => {
    for (const n of [100, 10_000, 1_000_000]) {
      const r = validateDocument(`${'['.repeat(n)}${']'.repeat(n)}`, { lang: 'en' });
      expect(r.valid).toBe(false);
      expect(r.findings[0]?.rule).toBe('JSON_PARSE');
    }
  });

  it('keeps every seed valid (the generators start from documents that pass)', () => {
    for (const s of seeds()) {
      const r = validateDocument(JSON.stringify(s), { lang: 'en' });
      expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    }
  });
});

describe('validate command on hostile files', () => {
  it('exits 0 or 1 with a JSON report and no stack, whatever the file holds', async () => {
    const dir = tempDir('handover-fuzz-');
    let n = 0;
    await fc.assert(
      fc.asyncProperty(gen.any, async (input: { kind: string; bytes: Uint8Array }) => {
        const file = join(dir, `input-${n++}.json`);
        writeFileSync(file, input.bytes);
        const r = await runCommand(Validate, [file, '--json'], { HANDOVER_HOME: dir, HANDOVER_LANG: 'sv' });
        expect([0, 1]).toContain(r.exitCode);
        expect(looksLikeStack(r.stderr), r.stderr).toBe(false);
        const out = JSON.parse(r.stdout);
        expect(out.summary.files).toBe(1);
        expect(r.exitCode).toBe(out.summary.invalid > 0 ? 1 : 0);
        for (const f of out.files) checkFindings(f.findings);
      }),
      { numRuns: 80 },
    );
  });

  it('reports a folder given as a file as FILE_UNREADABLE or walks it, never crashing', async () => {
    const dir = tempDir('handover-fuzz-dir-');
    writeFileSync(join(dir, 'bad.json'), Buffer.from([0xff, 0xfe, 0x00]));
    const r = await runCommand(Validate, [dir, '--json'], { HANDOVER_HOME: dir });
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout).files[0].findings[0].rule).toBe('JSON_PARSE');
  });
});
