/**
 * `handover open`: decrypts a .p7m with our key, then verifies the signed document inside.
 * CBC has no integrity of its own, so the signature is the integrity check: the decrypted
 * file is written only when it verifies (or, asked explicitly, when it carries no signature).
 */

import { statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { EXIT, HandoverError, isHandoverError } from '../core/errors.js';
import { verifyPdfBytes } from '../documents/pdf.js';
import { decryptBytes } from '../documents/unwrap.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { sha256Hex } from '../io/hash.js';
import { parseJson } from '../io/json-source.js';
import { sniffContainer } from '../io/names.js';
import { readLimited } from '../io/read-document.js';
import type { PinSource } from '../keystore/types.js';
import { appendAudit } from '../register/index.js';
import type { DecryptionIdentity } from '../signing/cms.js';
import { verifyDocument } from '../signing/jws.js';

export interface OpenOptions {
  file: string;
  /** Size limit of the input in bytes (--max-size); default 5 MiB. */
  maxBytes?: number;
  /** Output file or folder; default: the input without `.p7m`, beside it. */
  out?: string;
  /** Key alias in the key store; default: the configured one. */
  alias?: string;
  /** Asks for a token's PIN when HANDOVER_PKCS11_PIN is not set (a terminal prompt); none: exit 4. */
  pin?: PinSource;
  force?: boolean;
  /** Write a file that carries no signature (e.g. a calendar invitation), integrity unchecked. */
  allowUnsigned?: boolean;
  /** For tests: the identity to decrypt with, instead of the key store. */
  identity?: DecryptionIdentity;
  now?: Date;
}

export type InnerKind = 'handover' | 'receipt' | 'withdrawal' | 'pdf' | 'other';

export interface OpenResult {
  input: string;
  output: string;
  kind: InnerKind;
  sha256: string;
  bytes: number;
  /** Whether the signature inside was checked and valid; false only with allowUnsigned. */
  verified: boolean;
  signer?: { subject: string; fingerprint256: string };
  signedAt?: string;
}

interface Inner {
  kind: InnerKind;
  handoverId?: string;
  status: 'valid' | 'unsigned' | 'failed';
  code?: string;
  signer?: { subject: string; fingerprint256: string };
  signedAt?: string;
}

async function verifyInner(
  plain: Uint8Array,
  name: string,
  now: Date | undefined,
  maxBytes: number | undefined,
): Promise<Inner> {
  const head = Buffer.from(plain.subarray(0, 5)).toString('latin1');
  if (sniffContainer(plain) === 'pdf') return verifyInnerPdf(plain, now, maxBytes);
  // What the name or the first byte promises must hold: a damaged ciphertext garbles the
  // plaintext, and "unsigned" would then invite --allow-unsigned for a corrupted file.
  if (/\.pdf$/i.test(name)) return { kind: 'pdf', status: 'failed', code: 'PDF_UNREADABLE' };
  const jsonExpected = /\.json$/i.test(name) || /^(\u00EF\u00BB\u00BF)?\s*[{[]/.test(head);
  const parsed = parseJson(plain);
  if (
    !parsed.ok ||
    parsed.value === null ||
    typeof parsed.value !== 'object' ||
    Array.isArray(parsed.value)
  ) {
    return jsonExpected
      ? { kind: 'other', status: 'failed', code: 'JSON_PARSE' }
      : { kind: 'other', status: 'unsigned' };
  }
  const doc = parsed.value as { kind?: unknown; id?: unknown; signature?: unknown };
  const kind: InnerKind =
    doc.kind === 'receipt' ? 'receipt' : doc.kind === 'withdrawal' ? 'withdrawal' : 'handover';
  const handoverId = typeof doc.id === 'string' && /^[0-9a-f-]{36}$/i.test(doc.id) ? doc.id : undefined;
  const v = await verifyDocument(doc, now ? { now } : {});
  if (v.status === 'missing') return { kind, handoverId, status: 'unsigned', code: v.code };
  const signer = v.signer
    ? { subject: v.signer.subject, fingerprint256: v.signer.fingerprint256 }
    : undefined;
  if (v.status === 'valid') return { kind, handoverId, status: 'valid', signer, signedAt: v.signedAt };
  return { kind, handoverId, status: 'failed', code: v.code ?? 'SIGNATURE_INVALID', signer };
}

async function verifyInnerPdf(
  plain: Uint8Array,
  now: Date | undefined,
  maxBytes: number | undefined,
): Promise<Inner> {
  // The same caps as a PDF read from disk: the attachment and the object streams (SPEC §10).
  const r = await verifyPdfBytes(plain, {
    ...(now ? { now } : {}),
    ...(maxBytes !== undefined ? { maxBytes } : {}),
  });
  const signer = r.signer
    ? { subject: r.signer.subject, fingerprint256: r.signer.fingerprint256 }
    : undefined;
  if (r.status === 'valid') return { kind: 'pdf', status: 'valid', signer, signedAt: r.signedAt };
  if (r.code === 'SIGNATURE_MISSING') return { kind: 'pdf', status: 'unsigned' };
  return { kind: 'pdf', status: 'failed', code: r.code ?? 'SIGNATURE_INVALID', signer };
}

function outputPath(file: string, out: string | undefined): string {
  const name = basename(file).replace(/\.p7m$/i, '');
  const stem = name === basename(file) ? `${name}.decrypted` : name;
  if (out === undefined) return resolve(join(dirname(file), stem));
  if (out.endsWith('/') || out.endsWith('\\')) return resolve(join(out, stem));
  try {
    if (statSync(out).isDirectory()) return resolve(join(out, stem));
  } catch {
    // Not there yet: a file name.
  }
  return resolve(out);
}

export async function open(opts: OpenOptions): Promise<OpenResult> {
  const bytes: Uint8Array = readLimited(opts.file, opts.maxBytes, {
    code: 'INPUT_UNREADABLE',
    key: 'seal.INPUT_UNREADABLE',
  });
  const fail = async (e: unknown, handoverId?: string): Promise<never> => {
    const code = isHandoverError(e) ? e.code : 'INTERNAL';
    await appendAudit({ event: 'open', outcome: 'failed', handoverId, detail: code });
    throw e;
  };

  let plain: Uint8Array;
  try {
    plain = await decryptBytes(bytes, opts.identity, opts.alias, opts.pin);
  } catch (e) {
    // A missing key store is the environment, not the file: no audit line about the file.
    if (isHandoverError(e) && e.exit === EXIT.environment) throw e;
    return fail(e);
  }
  let inner: Inner;
  try {
    inner = await verifyInner(plain, basename(opts.file).replace(/\.p7m$/i, ''), opts.now, opts.maxBytes);
  } catch (e) {
    // A PDF refused before its signature could be judged (a decompression bomb, too many
    // attachments): that file's failure, audited as such.
    return fail(e);
  }
  if (inner.status === 'failed') {
    await fail(
      new HandoverError('INNER_NOT_VERIFIED', EXIT.invalid, {
        key: 'seal.INNER_NOT_VERIFIED',
        vars: { kind: inner.kind, code: inner.code ?? 'SIGNATURE_INVALID' },
      }),
      inner.handoverId,
    );
  }
  if (inner.status === 'unsigned' && !opts.allowUnsigned) {
    await fail(
      new HandoverError('INNER_UNSIGNED', EXIT.invalid, { key: 'seal.INNER_UNSIGNED' }),
      inner.handoverId,
    );
  }
  const output = outputPath(opts.file, opts.out);
  writeFileAtomic(output, plain, { force: opts.force, mkdir: true });
  const digest = sha256Hex(plain);
  await appendAudit({
    event: 'open',
    outcome: 'ok',
    handoverId: inner.handoverId,
    sha256: digest,
    detail: inner.status === 'valid' ? inner.kind : `${inner.kind}:unsigned`,
  });
  return {
    input: opts.file,
    output,
    kind: inner.kind,
    sha256: digest,
    bytes: plain.length,
    verified: inner.status === 'valid',
    ...(inner.signer ? { signer: inner.signer } : {}),
    ...(inner.signedAt ? { signedAt: inner.signedAt } : {}),
  };
}
