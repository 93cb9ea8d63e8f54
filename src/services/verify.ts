/**
 * `handover verify`: the signature of a handover file, receipt or withdrawal notice against the
 * trust store; a cover-letter PDF goes to the PDF verifier of the letter module.
 */

import type { X509Certificate } from 'node:crypto';
import { extname } from 'node:path';
import type { PdfVerifyResult } from '../documents/pdf.js';
import { verifyPdfBytes } from '../documents/pdf.js';
import { readJsonObject } from '../documents/read.js';
import { type Lang, t } from '../i18n/index.js';
import { sha256Hex } from '../io/hash.js';
import { sniffContainer } from '../io/names.js';
import { readLimited } from '../io/read-document.js';
import { loadChain, resolveAlias } from '../keystore/index.js';
import { appendAudit } from '../register/index.js';
import { validateSchema } from '../schema/validator.js';
import {
  type SignatureCode,
  type SignerInfo,
  type VerifyReason,
  type VerifyStatus,
  verifyDocument,
} from '../signing/jws.js';
import { loadTrust, type TrustContext } from '../signing/trust.js';

export interface VerifyFileResult {
  file: string;
  /** What was verified: a JSON document by its `kind`, or a PDF. */
  kind: 'handover' | 'receipt' | 'withdrawal' | 'pdf';
  /** Exit 0 only when true: the signature is valid and its signer is trusted. */
  ok: boolean;
  status: VerifyStatus;
  code?: SignatureCode;
  /** A VerifyReason for JSON; for a PDF also the PDF verifier's own reasons. */
  reason?: VerifyReason | (string & {});
  signer?: SignerInfo;
  signedAt?: string;
  alg?: string;
  id?: string;
  /** SHA-256 of the file as read. */
  sha256: string;
  /** The PDF verifier's own result: the PDF signature and the attached handover's. */
  pdf?: PdfVerifyResult;
  /** Signed with our own key (which we trust for our own files without a trust-store entry). */
  ownKey?: boolean;
  signerBusinessId?: string;
  speaksFor?: string;
  warnings?: 'REVOCATION_UNKNOWN'[];
}

export interface VerifyOptions {
  file: string;
  /** Size limit of the input in bytes (--max-size); default 5 MiB. */
  maxBytes?: number;
  now?: Date;
  trustAnchors?: X509Certificate[];
}

const auditOutcome = (s: VerifyStatus) =>
  s === 'valid' ? 'valid' : s === 'untrusted' ? 'untrusted' : 'invalid';

/** Our own signing certificate, if there is one: read from HANDOVER_HOME, no key store opened. */
function ownCertificate(): X509Certificate | undefined {
  try {
    return loadChain(resolveAlias())[0];
  } catch {
    return undefined;
  }
}

/**
 * The trust store, with our own certificate as one more anchor: a file we signed ourselves is
 * ours, and the binding still holds it to our business ID.
 */
function trustWithOwn(own: X509Certificate | undefined): TrustContext {
  const t = loadTrust();
  return own ? { ...t, anchors: [...t.anchors, own] } : t;
}

export async function verifyFile(opts: VerifyOptions): Promise<VerifyFileResult> {
  const bytes = readLimited(opts.file, opts.maxBytes, { key: 'signing.FILE_UNREADABLE' });
  const own = opts.trustAnchors ? undefined : ownCertificate();
  const isOwn = (fp: string | undefined) => own !== undefined && fp === own.fingerprint256;
  const hash = sha256Hex(bytes);
  if (extname(opts.file).toLowerCase() === '.pdf' || sniffContainer(bytes) === 'pdf') {
    // Lazily: pdf-lib and pkijs load only when a PDF is verified.
    const pdf = await verifyPdfBytes(bytes, {
      ...(opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {}),
      ...(opts.trustAnchors ? { trustAnchors: opts.trustAnchors } : { trust: trustWithOwn(own) }),
    });
    await appendAudit(
      { event: 'verify', outcome: auditOutcome(pdf.status), sha256: hash, detail: pdf.code ?? 'pdf' },
      opts.now,
    );
    return {
      file: opts.file,
      kind: 'pdf',
      ok: pdf.status === 'valid',
      status: pdf.status,
      ...(pdf.code ? { code: pdf.code } : {}),
      ...(pdf.reason ? { reason: pdf.reason } : {}),
      ...(pdf.signer ? { signer: pdf.signer } : {}),
      ...(pdf.signedAt ? { signedAt: pdf.signedAt } : {}),
      ...(isOwn(pdf.signer?.fingerprint256) ? { ownKey: true } : {}),
      sha256: hash,
      pdf,
    };
  }
  const doc = readJsonObject(opts.file, opts.maxBytes);
  const kind = doc.kind === 'receipt' || doc.kind === 'withdrawal' ? doc.kind : 'handover';
  let v = await verifyDocument(doc, {
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.trustAnchors ? { trustAnchors: opts.trustAnchors } : { trust: trustWithOwn(own) }),
  });
  // The same strict reading of `signature` as validate and import (issue 16.9): a member
  // the schema does not know makes the signature malformed, whatever the JWS says.
  const shape = validateSchema(kind, doc).filter((i) => i.pointer.startsWith('/signature'));
  if (shape.length > 0 && v.status !== 'missing')
    v = { status: 'invalid', code: 'SIGNATURE_INVALID', reason: 'malformed' };
  const id = typeof doc.id === 'string' ? doc.id : undefined;
  await appendAudit(
    {
      event: 'verify',
      outcome: auditOutcome(v.status),
      ...(id ? { handoverId: id } : {}),
      sha256: hash,
      detail: v.code ?? kind,
    },
    opts.now,
  );
  return {
    file: opts.file,
    kind,
    ok: v.status === 'valid',
    ...v,
    ...(isOwn(v.signer?.fingerprint256) ? { ownKey: true } : {}),
    ...(id ? { id } : {}),
    sha256: hash,
  };
}

/** The localised explanation of a result's reason. */
export function reasonText(r: { reason?: string }, lang: Lang): string {
  if (!r.reason) return '';
  const key = `signing.reason_${r.reason}`;
  const text = t(key, lang);
  // A reason of the PDF verifier that has no text of ours is shown as its code.
  return text === key ? r.reason : text;
}
