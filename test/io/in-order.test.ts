import { describe, expect, it } from 'vitest';
import { InOrder } from '../../src/io/in-order.js';

describe('InOrder', () => {
  it('hands results on in input order, whatever order they finish in', () => {
    const out: string[] = [];
    const q = new InOrder<string>((v) => out.push(v));
    q.put(2, 'c');
    q.put(1, 'b');
    expect(out).toEqual([]);
    q.put(0, 'a');
    expect(out).toEqual(['a', 'b', 'c']);
    q.put(4, 'e');
    expect(q.emitted).toBe(3);
    q.put(3, 'd');
    expect(out).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(q.emitted).toBe(5);
  });
});
