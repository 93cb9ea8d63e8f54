/** `handover sign`: sign a handover file (or receipt, withdrawal) made by another system. */

import { EXIT, HandoverError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { sha256Hex } from '../io/hash.js';
import { readDocumentFile } from '../io/read-document.js';
import { loadSigningIdentity } from '../keystore/index.js';
import type { KeyStoreKind } from '../keystore/types.js';
import { appendAudit } from '../register/audit.js';
import { certInfo } from '../signing/certs.js';
import { type JwsAlg, signDocument } from '../signing/jws.js';

export interface SignOptions {
  file: string;
  /** Size limit of the input in bytes (--max-size); default 5 MiB. */
  maxBytes?: number;
  /** Output path; default `<file without .json>.signed.json` beside the input. */
  out?: string;
  /** Replace the input file itself (atomically). */
  inPlace?: boolean;
  force?: boolean;
  alias?: string;
  store?: KeyStoreKind;
  alg?: JwsAlg;
  now?: Date;
}

export interface SignResult {
  file: string;
  output: string;
  id?: string;
  alg: string;
  signedAt: string;
  signer: { subject: string; fingerprint256: string };
  /** SHA-256 of the written file. */
  sha256: string;
}

export const defaultSignedPath = (file: string): string => `${file.replace(/\.json$/i, '')}.signed.json`;

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

export async function signFile(opts: SignOptions): Promise<SignResult> {
  const doc = readJsonObject(opts.file, opts.maxBytes);
  const id = await loadSigningIdentity(opts.alias, opts.store);
  const now = opts.now ?? new Date();
  const signed = await signDocument(doc, id, { ...(opts.alg ? { alg: opts.alg } : {}), now });
  const output = opts.inPlace ? opts.file : (opts.out ?? defaultSignedPath(opts.file));
  const text = `${JSON.stringify(signed, null, 2)}\n`;
  writeFileAtomic(output, text, { force: opts.inPlace || opts.force });
  const sha256 = sha256Hex(text);
  const docId = typeof doc.id === 'string' ? doc.id : undefined;
  appendAudit(
    {
      event: 'sign',
      outcome: 'ok',
      ...(docId ? { handoverId: docId } : {}),
      sha256,
      detail: `alias:${id.alias}`,
    },
    now,
  );
  const header = JSON.parse(
    Buffer.from(signed.signature.jws.split('.')[0]!, 'base64url').toString('utf8'),
  ) as {
    alg: string;
    sigT: string;
  };
  const leaf = certInfo(id.chain[0]!);
  return {
    file: opts.file,
    output,
    ...(docId ? { id: docId } : {}),
    alg: header.alg,
    signedAt: header.sigT,
    signer: { subject: leaf.subject, fingerprint256: leaf.fingerprint256 },
    sha256,
  };
}
