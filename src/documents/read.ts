/** A document file read whole and strictly: the same reading for `sign`, `verify` and `show`. */
import { EXIT, HandoverError } from '../core/errors.js';
import { readDocumentFile } from '../io/read-document.js';

/** Reads a JSON object from a file; typed errors for a missing file or a non-document. */
export function readJsonObject(file: string, maxBytes?: number): Record<string, unknown> {
  const doc = readDocumentFile(
    file,
    {
      unreadable: 'signing.FILE_UNREADABLE',
      invalidCode: 'NOT_A_DOCUMENT',
      invalid: 'signing.NOT_A_DOCUMENT',
    },
    maxBytes,
  );
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new HandoverError('NOT_A_DOCUMENT', EXIT.invalid, {
      key: 'signing.NOT_A_DOCUMENT',
      vars: { file },
    });
  }
  return doc as Record<string, unknown>;
}
