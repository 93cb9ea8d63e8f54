/**
 * Reads one JSON document named on the command line, strictly: UTF-8, no duplicate keys, bounded
 * nesting (the same reader as `validate`), so that `sign`, `verify` and `show` never act on a
 * different reading of a file than a strict parser elsewhere would.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
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

/** What reading one file of a batch gave: its bytes, its size past the limit, or an errno code. */
export type BatchRead = { bytes: Buffer } | { tooLarge: number } | { unreadable: string };

/** Most documents fit here; a larger one grows the buffer up to the limit. */
const FIRST_READ = 256 * 1024;
let batchBuffer: Buffer | undefined;

/**
 * Reads files one after another for a batch job (validate's workers): open, one read into a
 * buffer that is reused from file to file, close. A read that comes back short of the buffer
 * has met the end of a regular file, so most files cost three system calls; only a file that
 * fills the buffer or reads as empty is asked its type and size (a device that never ends is
 * refused, a FIFO or device is not a file). Never more than `maxBytes` + 1 bytes are read.
 * Non-blocking, so that a FIFO named as input cannot hang the batch waiting for a writer.
 * The bytes are valid until the next call.
 */
export function readForBatch(file: string, maxBytes: number): BatchRead {
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    const cap = maxBytes + 1;
    if (!batchBuffer || batchBuffer.length < Math.min(cap, FIRST_READ))
      batchBuffer = Buffer.allocUnsafeSlow(Math.min(cap, FIRST_READ));
    let buf = batchBuffer;
    let n = readSync(fd, buf, 0, Math.min(buf.length, cap), null);
    if (n === 0 || n === buf.length) {
      const st = fstatSync(fd);
      if (!st.isFile()) return { unreadable: 'EINVAL' };
      if (st.size > maxBytes) return { tooLarge: st.size };
      if (n > 0) {
        // A large file within the limit: grow once to its size (plus one, to see it grow).
        if (buf.length < Math.min(cap, st.size + 1)) {
          const bigger = Buffer.allocUnsafeSlow(Math.min(cap, st.size + 1));
          buf.copy(bigger, 0, 0, n);
          batchBuffer = buf = bigger;
        }
        for (let r = 1; r > 0 && n < Math.min(buf.length, cap); n += r)
          r = readSync(fd, buf, n, Math.min(buf.length, cap) - n, null);
        if (n > maxBytes) return { tooLarge: n };
      }
    }
    return { bytes: buf.subarray(0, n) };
  } catch (e) {
    return { unreadable: (e as NodeJS.ErrnoException).code ?? 'EIO' };
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
