/**
 * CONTROL_CHARACTER's shortcut: given the JSON text a document was parsed from, the rule skips
 * its walk when the text cannot hold a control character. Whatever the strings are, the
 * shortcut must find exactly what the walk finds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { controlCharacterRule } from '../../../src/domain/rules/control.js';

const anyChar = fc.oneof(
  fc.integer({ min: 0, max: 0x1f }),
  fc.integer({ min: 0x7f, max: 0xa0 }),
  fc.integer({ min: 0x20, max: 0x7e }),
  fc.constantFrom(0xe4, 0xf6, 0x5c, 0x22),
);
const text = fc.array(anyChar, { maxLength: 12 }).map((cs) => String.fromCharCode(...cs));

describe('controlCharacterRule with the source text', () => {
  it('finds what the walk finds, for any strings, in compact and indented JSON', () => {
    fc.assert(
      fc.property(text, text, text, (notes, name, key) => {
        const doc = { notes, sender: { organization: { name } }, [`k${key}`]: 'x' };
        const walked = controlCharacterRule(doc, 'handover');
        for (const source of [JSON.stringify(doc), JSON.stringify(doc, null, 2)])
          expect(controlCharacterRule(JSON.parse(source), 'handover', source)).toEqual(walked);
      }),
      { numRuns: 500 },
    );
  });

  it('skips the walk for a text without escapes or C1 characters', () => {
    // A tree that disagrees with its text shows that the text decided.
    const tree = { notes: 'a\u001bb' };
    expect(controlCharacterRule(tree, 'handover')).toHaveLength(1);
    expect(controlCharacterRule(tree, 'handover', '{"notes": "ab"}')).toEqual([]);
    expect(controlCharacterRule(tree, 'handover', '{"notes": "a\\u001bb"}')).toHaveLength(1);
  });
});
