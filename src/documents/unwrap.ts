/**
 * A document as it arrives (SPEC §6, §9): plain JSON, a cover-letter PDF with the handover
 * attached, or a sealed `.p7m`. `import` and `open` both take the JSON out of its wrapping here.
 */

import { sniffContainer } from '../io/names.js';
import { loadSigningIdentity, type PinSource } from '../keystore/index.js';
import type { SigningIdentity } from '../keystore/types.js';
import { type DecryptionIdentity, decryptP7m } from '../signing/cms.js';
import { extractAttachedHandover } from './pdf.js';

/** Decrypts a `.p7m` with our key: the given identity, else the key store's (by alias). */
export async function decryptBytes(
  bytes: Uint8Array,
  identity?: DecryptionIdentity | SigningIdentity,
  alias?: string,
  pin?: PinSource,
): Promise<Uint8Array> {
  return decryptP7m(bytes, identity ?? (await loadSigningIdentity(alias, undefined, { pin })));
}

/**
 * The JSON bytes inside an arriving file; 'no-attachment' for a PDF that carries no handover.
 * The key is asked for only when a sealed file needs it.
 */
export async function unwrapArrival(
  file: string,
  bytes: Uint8Array,
  key: () => Promise<DecryptionIdentity | SigningIdentity>,
  maxBytes?: number,
): Promise<Uint8Array | 'no-attachment'> {
  switch (sniffContainer(bytes, file)) {
    case 'pdf':
      return (
        (await extractAttachedHandover(bytes, maxBytes !== undefined ? { maxBytes } : {})) ?? 'no-attachment'
      );
    case 'p7m':
      return decryptBytes(bytes, await key());
    default:
      return bytes;
  }
}
