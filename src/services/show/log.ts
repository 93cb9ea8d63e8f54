/**
 * `show` of a handover is a use of the youth's data (SPEC §12): logged under the youth the file
 * is about. A file that names no youth it could be keyed by (a receipt, a draft without a name)
 * logs nothing.
 */
import { readFileSync } from 'node:fs';
import { sha256Hex } from '../../io/hash.js';
import { keyableYouth } from '../../register/disclosures.js';
import { logDocumentUse } from '../../register/index.js';
import type { Handover } from '../../schema/types.js';

export async function logShown(file: string): Promise<void> {
  let bytes: Buffer;
  let doc: Partial<Handover>;
  try {
    bytes = readFileSync(file);
    doc = JSON.parse(bytes.toString('utf8')) as Partial<Handover>;
  } catch {
    return;
  }
  const keyable = keyableYouth(doc.youth);
  if (!keyable || typeof doc.id !== 'string') return;
  await logDocumentUse(doc as Handover, ['show'], sha256Hex(bytes));
}
