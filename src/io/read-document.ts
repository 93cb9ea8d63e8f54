/**
 * Reads one JSON document named on the command line, strictly: UTF-8, no duplicate keys, bounded
 * nesting (the same reader as `validate`), so that `sign`, `verify` and `show` never act on a
 * different reading of a file than a strict parser elsewhere would.
 */
import { readFileSync, statSync } from 'node:fs';
import { EXIT, HandoverError } from '../errors.js';
import { parseJson } from '../schema/json-source.js';

export interface ReadDocumentErrors {
  /** i18n key for a file that exists but cannot be read (code FILE_UNREADABLE). */
  unreadable: string;
  /** Code and i18n key for a file that is not a strict JSON text. */
  invalidCode: string;
  invalid: string;
}

export function readDocumentFile(file: string, errors: ReadDocumentErrors): unknown {
  let bytes: Buffer;
  try {
    if (statSync(file).isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    bytes = readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new HandoverError('PATH_NOT_FOUND', EXIT.usage, { vars: { file }, cause: e });
    throw new HandoverError('FILE_UNREADABLE', EXIT.invalid, {
      key: errors.unreadable,
      vars: { file },
      cause: e,
    });
  }
  const parsed = parseJson(bytes);
  if (!parsed.ok)
    throw new HandoverError(errors.invalidCode, EXIT.invalid, {
      key: errors.invalid,
      vars: { file },
      details: [
        {
          rule: 'JSON_PARSE',
          pointer: parsed.problem.pointer,
          line: parsed.problem.line,
          column: parsed.problem.column,
        },
      ],
    });
  return parsed.value;
}
