import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_KINDS, disclosedKinds, MEMBER_KINDS } from '../../src/domain/data-kinds.js';
import type { Handover } from '../../src/schema/types.js';
import { ROOT } from '../helpers/cli.js';

type Schema = { properties?: Record<string, Schema> };
const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'handover.schema.json'), 'utf8')) as Schema;

describe('the kinds of data a handover file carries', () => {
  it('classifies every member of the schema, so that a new member cannot go unnamed in the youth copy', () => {
    const members = (s: Schema, prefix: string, split: Set<string>): string[] =>
      Object.entries(s.properties ?? {}).flatMap(([k, v]) =>
        split.has(prefix + k) ? members(v, `${prefix + k}.`, split) : [prefix + k],
      );
    const all = members(schema, '', new Set(['youth', 'youth.contact', 'entitlement']));
    expect(all.length).toBeGreaterThan(40);
    for (const m of all) expect(MEMBER_KINDS[m], m).toBeDefined();
  });

  it('derives the kinds from the members present, not from the scope, and reports unknown members as other', () => {
    const doc = JSON.parse(
      readFileSync(join(ROOT, 'templates', 'examples', 'integration-support.handover.json'), 'utf8'),
    ) as Handover;
    const kinds = disclosedKinds(doc);
    for (const k of ['identityCode', 'phone', 'interpreter', 'wishes', 'education'] as const)
      expect(kinds).toContain(k);
    expect(kinds).not.toContain('notes');
    expect(kinds).not.toContain('other');
    expect(kinds).toEqual(DATA_KINDS.filter((k) => kinds.includes(k)));
    (doc as unknown as Record<string, unknown>).somethingNew = 'x';
    expect(disclosedKinds(doc)).toContain('other');
  });
});
