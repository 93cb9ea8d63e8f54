/**
 * Reads one JSON document named on the command line, strictly: UTF-8, no duplicate keys, bounded
 * nesting (the same reader as `validate`), so that `sign`, `verify` and `show` never act on a
 * different reading of a file than a strict parser elsewhere would.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { EXIT, HandoverError } from '../core/errors.js';
import { parseJson } from './json-source.js';

export interface ReadDocumentErrors {
  /** i18n key for a file that exists but cannot be read (code FILE_UNREADABLE). */
  unreadable: string;
  /** Code and i18n key for a file that is not a strict JSON text. */
  invalidCode: string;
  invalid: string;
}

/** SPEC §10: every reader's limit unless --max-size says otherwise (5 MiB). */
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

/**
 * The one way a command reads a document file (SPEC §10): its size is checked on the open
 * descriptor before a byte is read, and never more than `maxBytes` is read (a file growing
 * meanwhile included). PATH_NOT_FOUND (exit 2), FILE_TOO_LARGE or the caller's unreadable
 * code (exit 1).
 */
export function readLimited(
  file: string,
  maxBytes: number = DEFAULT_MAX_BYTES,
  unreadable: { code?: string; key: string } = { key: 'errors.FILE_UNREADABLE' },
): Buffer {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const st = fstatSync(fd);
    if (st.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    if (st.size > maxBytes) throw tooLarge(st.size, maxBytes);
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (let r = 1; r > 0 && n < buf.length; n += r) r = readSync(fd, buf, n, buf.length - n, n);
    if (n > maxBytes) throw tooLarge(n, maxBytes);
    return buf.subarray(0, n);
  } catch (e) {
    if (e instanceof HandoverError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new HandoverError('PATH_NOT_FOUND', EXIT.usage, { vars: { file }, cause: e });
    throw new HandoverError(unreadable.code ?? 'FILE_UNREADABLE', EXIT.invalid, {
      key: unreadable.key,
      vars: { file },
      cause: e,
    });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const tooLarge = (size: number, max: number): HandoverError =>
  new HandoverError('FILE_TOO_LARGE', EXIT.invalid, { key: 'validate.FILE_TOO_LARGE', vars: { size, max } });

export function readDocumentFile(
  file: string,
  errors: ReadDocumentErrors,
  maxBytes: number = DEFAULT_MAX_BYTES,
): unknown {
  const bytes = readLimited(file, maxBytes, { key: errors.unreadable });
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
