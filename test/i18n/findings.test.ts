import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/domain/rules/index.js';
import { ruleMessage } from '../../src/i18n/findings.js';
import { ROOT } from '../helpers/cli.js';

const catalogue = (lang: string): Record<string, string> =>
  JSON.parse(readFileSync(join(ROOT, 'templates', 'messages', lang, 'rules.json'), 'utf8'));

describe('rule messages', () => {
  it('have the same keys in fi, sv and en, and one message per code', () => {
    const en = Object.keys(catalogue('en')).sort();
    expect(Object.keys(catalogue('fi')).sort()).toEqual(en);
    expect(Object.keys(catalogue('sv')).sort()).toEqual(en);
    for (const code of Object.keys(RULES)) expect(en).toContain(code);
  });

  it('choose the variant by reason and write dates d.m.yyyy in Finnish and Swedish', () => {
    const f = {
      rule: 'ENTITLEMENT_AGE_LIMIT',
      severity: 'error' as const,
      pointer: '/entitlement/endsOn',
      params: { lastDay: '2027-02-27', reason: 'age' },
    };
    expect(ruleMessage(f, 'fi')).toContain('27.2.2027');
    expect(ruleMessage(f, 'sv')).toContain('27.2.2027');
    expect(ruleMessage(f, 'en')).toContain('2027-02-27');
    expect(ruleMessage(f, 'en')).toContain('age limit');
    expect(ruleMessage({ ...f, params: { ...f.params, reason: 'five-years' } }, 'en')).toContain('5 years');
  });

  it('falls back to the general message for an unknown reason', () => {
    const f = {
      rule: 'HETU_INVALID',
      severity: 'error' as const,
      pointer: '/x',
      params: { reason: 'other' },
    };
    expect(ruleMessage(f, 'en')).toBe(catalogue('en').HETU_INVALID);
  });

  it('never leaves a placeholder unfilled for the params a rule gives', () => {
    for (const lang of ['fi', 'sv', 'en'] as const) {
      const c = catalogue(lang);
      for (const [key, text] of Object.entries(c)) {
        const vars = [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        for (const v of vars)
          expect(
            [
              'code',
              'reduction',
              'start',
              'lastDay',
              'endsOn',
              'birthDate',
              'type',
              'months',
              'category',
              'payer',
              'id',
              'citation',
              // import's own codes: the organisation a handover is addressed to, an input format.
              'businessId',
              'format',
              // signatures: who signed, whom they speak for, what the register recorded.
              'signer',
              'fingerprint',
              'speaksFor',
              'recorded',
              'current',
              // a cover letter's own PDF signature: what was wrong with it.
              'detail',
            ],
            `${lang} ${key}`,
          ).toContain(v);
      }
    }
  });
});

describe('schema messages in the worker language (issue 25)', () => {
  it('names JSON types and formats in Swedish and Finnish, not in ajv English', async () => {
    const { validateDocument } = await import('../../src/documents/validate.js');
    const bytes = JSON.stringify({ schemaVersion: '1.0', id: 5, createdAt: 'x' });
    const sv = validateDocument(bytes, { lang: 'sv' }).findings.map((f) => f.message);
    expect(sv).toContain('Måste vara text [type].');
    expect(sv).toContain('Har inte formen datum och tid med tidszon [format].');
    const fi = validateDocument(bytes, { lang: 'fi' }).findings.map((f) => f.message);
    expect(fi).toContain('Pitää olla tekstiä [type].');
    expect(fi.join('\n')).not.toMatch(/\bstring\b|date-time/);
  });
});

describe('findings in the order of the file (issue 25)', () => {
  it('are sorted by line and column, schema and rules together', async () => {
    const { validateDocument } = await import('../../src/documents/validate.js');
    const { readFileSync } = await import('node:fs');
    const doc = JSON.parse(
      readFileSync(join(ROOT, 'templates', 'examples', 'aftercare.handover.json'), 'utf8'),
    ) as Record<string, unknown>;
    // A schema error late in the file and a rule finding early in it.
    (doc as { notes?: unknown }).notes = 5;
    (doc.sender as { organization: { businessId: string } }).organization.businessId = '1234567-8';
    const found = validateDocument(JSON.stringify(doc, null, 2), { lang: 'en' }).findings;
    const lines = found.map((f) => f.line ?? Number.POSITIVE_INFINITY);
    expect(found.length).toBeGreaterThan(1);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });
});
