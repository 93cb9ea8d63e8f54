/** CONTROL_CHARACTER: where a control character is refused and where a line break is text. */
import { describe, expect, it } from 'vitest';
import { controlCharacterRule } from '../../../src/domain/rules/control.js';

const at = (doc: unknown, kind?: 'handover' | 'receipt' | 'withdrawal') =>
  controlCharacterRule(doc, kind).map((f) => [f.pointer, f.params?.code]);

describe('CONTROL_CHARACTER', () => {
  it('refuses ESC, BEL, NUL and C1 in any string, members names and array items included', () => {
    expect(
      at({
        sender: { organization: { name: 'A\u001b[2J' } },
        caseReference: 'x\u0007',
        youth: { name: { given: 'N\u0000' } },
        services: [{ code: 'c\u009b1m' }],
        'k\u001b': 'v',
      }),
    ).toEqual([
      ['/caseReference', 'U+0007'],
      ['/k\u001b', 'U+001B'],
      ['/sender/organization/name', 'U+001B'],
      ['/services/0/code', 'U+009B'],
      ['/youth/name/given', 'U+0000'],
    ]);
  });

  it('allows tab, LF and CR LF only in the free-text members', () => {
    const text = 'a\tb\r\nc\n';
    expect(
      at({
        notes: text,
        youth: { wishes: text },
        clientPlan: { goals: [{ text }] },
        services: [{ description: text }],
        meeting: { agenda: [text] },
      }),
    ).toEqual([]);
    expect(at({ notes: 'a\rb' })).toEqual([['/notes', 'U+000D']]);
    expect(at({ caseReference: 'a\nb' })).toEqual([['/caseReference', 'U+000A']]);
    expect(at({ reason: text }, 'withdrawal')).toEqual([]);
    expect(at({ reason: text }, 'receipt')).toEqual([['/reason', 'U+0009']]);
  });

  it('walks a deeply nested file without overflowing the stack', () => {
    let deep: unknown = 'x\u001b';
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(at({ a: deep })).toHaveLength(1);
  });
});
