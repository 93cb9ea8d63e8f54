import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HandoverError } from '../../src/core/errors.js';
import { readDocumentFile } from '../../src/io/read-document.js';
import { tempDir } from '../helpers/cli.js';

const keys = {
  unreadable: 'signing.FILE_UNREADABLE',
  invalidCode: 'NOT_A_DOCUMENT',
  invalid: 'signing.NOT_A_DOCUMENT',
};
const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return e instanceof HandoverError ? `${e.code}/${e.exit}` : 'other';
  }
  return undefined;
};

describe('readDocumentFile', () => {
  it('reads strictly: a duplicate key is refused, so sign never signs one reading of two', () => {
    const f = join(tempDir(), 'dup.json');
    writeFileSync(f, '{"id": "a", "id": "b"}');
    expect(codeOf(() => readDocumentFile(f, keys))).toBe('NOT_A_DOCUMENT/1');
  });

  it('maps a missing file to exit 2 and a folder to FILE_UNREADABLE', () => {
    const dir = tempDir();
    expect(codeOf(() => readDocumentFile(join(dir, 'none.json'), keys))).toBe('PATH_NOT_FOUND/2');
    expect(codeOf(() => readDocumentFile(dir, keys))).toBe('FILE_UNREADABLE/1');
  });

  it('returns the parsed value of a good file', () => {
    const f = join(tempDir(), 'ok.json');
    writeFileSync(f, '\uFEFF{"a": [1, 2]}');
    expect(readDocumentFile(f, keys)).toEqual({ a: [1, 2] });
  });
});
