/**
 * A document as it arrives (SPEC §6, §9): plain JSON, a cover-letter PDF with the handover
 * attached, or a sealed `.p7m` of either. `import` and `open` both take the JSON out of its
 * wrapping here.
 */

import { sniffContainer } from '../io/names.js';
import { loadSigningIdentity, type PinSource } from '../keystore/index.js';
import type { SigningIdentity } from '../keystore/types.js';
import { type DecryptionIdentity, decryptP7m } from '../signing/cms.js';
import { type PdfVerifyResult, readLetter, type VerifyPdfOptions } from './pdf.js';

/** Decrypts a `.p7m` with our key: the given identity, else the key store's (by alias). */
export async function decryptBytes(
  bytes: Uint8Array,
  identity?: DecryptionIdentity | SigningIdentity,
  alias?: string,
  pin?: PinSource,
): Promise<Uint8Array> {
  return decryptP7m(bytes, identity ?? (await loadSigningIdentity(alias, undefined, { pin })));
}

export interface Arrival {
  /** The JSON bytes inside; 'no-attachment' for a PDF that carries no handover. */
  json: Uint8Array | 'no-attachment';
  /** For a cover letter (sealed or not): the verdict on its own PDF signature. */
  letter?: PdfVerifyResult;
}

/**
 * The JSON document inside an arriving file, and for a cover letter the checks of `verify` on
 * its PDF signature (SPEC §10: a letter is imported only when the sender signed it, and the
 * handover is the one of the signed revision). The key is asked for only when a sealed file
 * needs it; a sealed letter is unwrapped twice.
 */
export async function unwrapArrival(
  file: string,
  bytes: Uint8Array,
  key: () => Promise<DecryptionIdentity | SigningIdentity>,
  opts: VerifyPdfOptions,
): Promise<Arrival> {
  const letter = async (pdf: Uint8Array): Promise<Arrival> => {
    const r = await readLetter(pdf, opts);
    return { json: r.handover ?? 'no-attachment', letter: r.check };
  };
  switch (sniffContainer(bytes, file)) {
    case 'pdf':
      return letter(bytes);
    case 'p7m': {
      const plain = await decryptBytes(bytes, await key());
      return sniffContainer(plain) === 'pdf' ? letter(plain) : { json: plain };
    }
    default:
      return { json: bytes };
  }
}
