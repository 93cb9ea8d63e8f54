/** `handover sign`: sign a handover file (or receipt, withdrawal) made by another system. */

import type { X509Certificate } from 'node:crypto';
import { type Config, loadConfig } from '../config/store.js';
import { EXIT, HandoverError } from '../core/errors.js';
import { readJsonObject } from '../documents/read.js';
import { timestampFor } from '../documents/timestamp.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { sha256Hex } from '../io/hash.js';
import { loadSigningIdentity, type PinSource } from '../keystore/index.js';
import type { KeyStoreKind } from '../keystore/types.js';
import { appendAudit } from '../register/index.js';
import { certificateBusinessId, speakerOf } from '../signing/binding.js';
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
  /** Asks for a token's PIN when HANDOVER_PKCS11_PIN is not set (a terminal prompt); none: exit 4. */
  pin?: PinSource;
  alg?: JwsAlg;
  now?: Date;
  /** false: no RFC 3161 timestamp even when timestamp.url is configured (--no-timestamp). */
  timestamp?: boolean;
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
  /** An RFC 3161 token from this TSA is embedded. */
  timestampedBy?: string;
}

export const defaultSignedPath = (file: string): string => `${file.replace(/\.json$/i, '')}.signed.json`;

/**
 * A certificate that names no business ID speaks, for us, for our configured organisation:
 * a document that speaks for another would be refused by its receiver (SIGNER_NOT_SENDER).
 * A certificate that names one is held to it by signDocument itself.
 */
function refuseOtherSpeaker(doc: object, leaf: X509Certificate | undefined, config: Config): void {
  const ours = config.organization?.businessId;
  const speaks = speakerOf(doc);
  if (!leaf || certificateBusinessId(leaf) !== undefined || !ours || speaks === ours) return;
  throw new HandoverError('SIGNER_NOT_SENDER', EXIT.invalid, {
    key: 'signing.SIGNER_NOT_SENDER_OWN',
    vars: { signer: ours, speaksFor: speaks || '–' },
  });
}

export async function signFile(opts: SignOptions): Promise<SignResult> {
  const doc = readJsonObject(opts.file, opts.maxBytes);
  const id = await loadSigningIdentity(opts.alias, opts.store, { pin: opts.pin });
  const now = opts.now ?? new Date();
  // One read of the config for the whole signing: who we are and where timestamps come from.
  const config = loadConfig();
  refuseOtherSpeaker(doc, id.chain[0], config);
  const stamp = opts.timestamp === false ? undefined : timestampFor(doc, config.timestamp?.url);
  const signed = await signDocument(doc, id, {
    ...(opts.alg ? { alg: opts.alg } : {}),
    now,
    ...(stamp ? { timestamp: stamp } : {}),
  });
  const output = opts.inPlace ? opts.file : (opts.out ?? defaultSignedPath(opts.file));
  const text = `${JSON.stringify(signed, null, 2)}\n`;
  writeFileAtomic(output, text, { force: opts.inPlace || opts.force });
  const sha256 = sha256Hex(text);
  const docId = typeof doc.id === 'string' ? doc.id : undefined;
  await appendAudit(
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
    ...(stamp ? { timestampedBy: stamp.url } : {}),
  };
}
