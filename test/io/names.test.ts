import { describe, expect, it } from 'vitest';
import { documentFileName, fileStem, handoverStem, sniffContainer } from '../../src/io/names.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('file names', () => {
  it('carry the Helsinki date and the first 8 hex of the id, never personal data', () => {
    // 23:30 UTC on 1 March is already 2 March in Helsinki.
    const at = new Date('2026-03-01T23:30:00Z');
    expect(fileStem('6F1C3A52-0000-4000-8000-000000000001', at)).toBe('20260302-6f1c3a52');
    expect(documentFileName(at, '6f1c3a52-0000-4000-8000-000000000001', 'receipt')).toBe(
      '20260302-6f1c3a52.receipt.json',
    );
    expect(
      handoverStem({ id: 'abcdef12-0000-4000-8000-000000000001', createdAt: '2026-06-30T23:59:00+03:00' }),
    ).toBe('20260630-abcdef12');
  });
});

describe('sniffContainer', () => {
  it('tells JSON, a PDF and a sealed file apart', () => {
    expect(sniffContainer(bytes('{"notes": "%PDF-1.7 in a note"}'))).toBe('json');
    expect(sniffContainer(bytes('\ufeff  [1]'))).toBe('json');
    expect(sniffContainer(bytes('%PDF-1.7\n...'))).toBe('pdf');
    expect(sniffContainer(bytes('junk before the header %PDF-1.7\n'))).toBe('pdf');
    expect(sniffContainer(Uint8Array.from([0x30, 0x82, 0x01, 0x00]))).toBe('p7m');
    expect(sniffContainer(bytes('-----BEGIN CMS-----'), 'x.handover.json.p7m')).toBe('p7m');
    expect(sniffContainer(bytes('plain text'))).toBe('json');
  });
});
