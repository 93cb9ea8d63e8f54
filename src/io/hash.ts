/** The one SHA-256 of the project: of file bytes, of a canonical text, of a certificate's DER. */
import { createHash } from 'node:crypto';

export const sha256Hex = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');
