/**
 * A cover-letter PDF as a receiving system checks it: the PDF signature (byte ranges, CMS,
 * ESS signing certificate), the signer against the trust store, and the handover file
 * attached inside, which must itself be a validly signed handover. Also the reader `import`
 * uses to take the handover file out of a cover letter.
 */

import type { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { EXIT, HandoverError } from '../core/errors.js';
import { sha256Hex } from '../io/hash.js';
import { parseJson } from '../io/json-source.js';
import { sniffContainer } from '../io/names.js';
import { type AttachedFile, attachedFiles } from '../letter/attachment.js';
import { certificateBusinessId, signerBusinessId, speakerOf } from '../signing/binding.js';
import { certInfo } from '../signing/certs.js';
import { type SignerInfo, type VerifyStatus, verifyDocument } from '../signing/jws.js';
import { evaluatePath } from '../signing/path.js';
import { checkPdfSignature, type PdfSignatureReason } from '../signing/pdf-verify.js';
import { loadTrust, type TrustContext, type TrustReason } from '../signing/trust.js';
import { checkTimestamp } from '../signing/tsa.js';

export interface PdfVerifyResult {
  status: 'valid' | 'invalid' | 'untrusted';
  code?:
    | 'SIGNATURE_INVALID'
    | 'SIGNATURE_UNTRUSTED'
    | 'SIGNATURE_MISSING'
    | 'SIGNER_NOT_SENDER'
    | 'SIGNATURE_REVOKED';
  /** Why, for machines: a PDF signature reason, a trust reason, or one about the attachment. */
  reason?:
    | PdfSignatureReason
    | TrustReason
    | 'attachment-signature'
    | 'attachment-unreadable'
    | 'signer-not-sender'
    | 'timestamp';
  subFilter?: string;
  signer?: SignerInfo;
  signedAt?: string;
  attachment?: {
    name: string;
    sha256: string;
    handoverId?: string;
    /** The attached handover's own signature. */
    signature: VerifyStatus;
    signer?: SignerInfo;
  };
}

const signerOf = (c: X509Certificate): SignerInfo => {
  const i = certInfo(c);
  return {
    subject: i.subject,
    fingerprint256: i.fingerprint256,
    notBefore: i.notBefore,
    notAfter: i.notAfter,
  };
};

/** Streams that inflate past the cap: said as such, never passed off as an unreadable PDF. */
const isBomb = (e: unknown): boolean => e instanceof HandoverError && e.code === 'PDF_STREAMS_TOO_LARGE';

const isPdf = (b: Uint8Array): boolean => sniffContainer(b) === 'pdf';

const isJsonAttachment = (f: AttachedFile): boolean =>
  f.name.endsWith('.json') || f.mimeType === 'application/json';

/**
 * The one handover attachment of a PDF (SPEC §10): more than one JSON attachment is refused
 * (which of them would the receipt answer?), and it is decoded with the size cap.
 */
function theHandoverAttachment(files: AttachedFile[]): AttachedFile | undefined {
  const json = files.filter(isJsonAttachment);
  if (json.length > 1)
    throw new HandoverError('PDF_ATTACHMENTS_MANY', EXIT.invalid, {
      key: 'letter.PDF_ATTACHMENTS_MANY',
      vars: { count: json.length },
    });
  return json[0];
}

/**
 * The attached handover file of a PDF, or undefined when there is none (or the PDF cannot be
 * parsed). Throws a HandoverError for an attachment refused: too large, several, unreadable.
 */
export async function extractAttachedHandover(
  pdfBytes: Uint8Array,
  opts: { maxBytes?: number } = {},
): Promise<Uint8Array | undefined> {
  if (!isPdf(pdfBytes)) return undefined;
  let files: AttachedFile[];
  try {
    files = await attachedFiles(pdfBytes, opts);
  } catch (e) {
    if (isBomb(e)) throw e;
    return undefined;
  }
  return theHandoverAttachment(files)?.read();
}

function readPdf(path: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new HandoverError('PATH_NOT_FOUND', EXIT.usage, { vars: { file: path }, cause: e });
    throw new HandoverError('PDF_UNREADABLE', EXIT.invalid, {
      key: 'letter.PDF_UNREADABLE',
      vars: { file: path },
      cause: e,
    });
  }
  if (!isPdf(bytes))
    throw new HandoverError('PDF_UNREADABLE', EXIT.invalid, {
      key: 'letter.PDF_UNREADABLE',
      vars: { file: path },
    });
  return bytes;
}

export interface VerifyPdfOptions {
  now?: Date;
  /** Cap of the attachment's inflated size (--max-size). */
  maxBytes?: number;
  /** Trusted certificates; the trust store under HANDOVER_HOME when absent. */
  trustAnchors?: X509Certificate[];
  /** The trust store as read once by the caller (anchors, bindings, CRLs). */
  trust?: TrustContext;
}

export async function verifyPdf(path: string, opts: VerifyPdfOptions = {}): Promise<PdfVerifyResult> {
  return verifyPdfBytes(readPdf(path), opts);
}

export async function verifyPdfBytes(
  bytes: Uint8Array,
  opts: VerifyPdfOptions = {},
): Promise<PdfVerifyResult> {
  return (await judgeLetter(bytes, opts)).result;
}

/** A cover letter as `import` takes it: the verdict on its PDF signature and the handover inside. */
export interface Letter {
  check: PdfVerifyResult;
  /**
   * The attached handover file of the signed revision: of the whole file when the signature
   * covers it, else of the revision the signature covers (so that a rejection answers the
   * handover the sender signed, not one swapped in later); undefined when there is none.
   */
  handover?: Uint8Array;
}

/**
 * The checks of `verify` (signature present, intact, by the sender of the handover inside,
 * trusted, no revision after it) and the handover file that a receipt answers.
 */
export async function readLetter(bytes: Uint8Array, opts: VerifyPdfOptions = {}): Promise<Letter> {
  const judged = await judgeLetter(bytes, opts);
  if (judged.handover !== undefined) return { check: judged.result, handover: judged.handover };
  // Refused before the attachment was read: take it from the signed revision, if any.
  const signed = judged.signedLength !== undefined ? bytes.subarray(0, judged.signedLength) : bytes;
  let handover: Uint8Array | undefined;
  try {
    handover = await extractAttachedHandover(
      signed,
      opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {},
    );
  } catch (e) {
    // A damaged attachment of a letter whose signature failed: the signature is what to say.
    // A refusal for size (too large, several, a bomb) is said as such.
    const damaged = e instanceof HandoverError && e.code === 'PDF_ATTACHMENT_UNREADABLE';
    if (!damaged || judged.result.status === 'valid') throw e;
  }
  return { check: judged.result, ...(handover ? { handover } : {}) };
}

async function judgeLetter(
  bytes: Uint8Array,
  opts: VerifyPdfOptions,
): Promise<{ result: PdfVerifyResult; handover?: Uint8Array; signedLength?: number }> {
  let handover: Uint8Array | undefined;
  const done = (result: PdfVerifyResult) => ({ result, ...(handover ? { handover } : {}) });
  const now = opts.now ?? new Date();
  const check = await checkPdfSignature(bytes);
  const meta = {
    ...(check.subFilter ? { subFilter: check.subFilter } : {}),
    ...(check.signedAt ? { signedAt: check.signedAt } : {}),
  };
  if (!check.ok || !check.chain?.[0]) {
    return {
      result:
        check.reason === 'no-signature'
          ? { status: 'invalid', code: 'SIGNATURE_MISSING', reason: 'no-signature', ...meta }
          : {
              status: 'invalid',
              code: 'SIGNATURE_INVALID',
              ...(check.reason ? { reason: check.reason } : {}),
              ...meta,
            },
      ...(check.signedLength !== undefined ? { signedLength: check.signedLength } : {}),
    };
  }
  const signer = signerOf(check.chain[0]);
  const trust: TrustContext =
    opts.trust ??
    (opts.trustAnchors ? { anchors: opts.trustAnchors, bindings: new Map(), crls: [] } : loadTrust());
  let speaksFor: string | undefined;

  let attachment: PdfVerifyResult['attachment'];
  const files = await attachedFiles(bytes, { maxBytes: opts.maxBytes }).catch((e: unknown) => {
    if (isBomb(e)) throw e;
    return undefined;
  });
  if (files === undefined)
    return done({
      status: 'invalid',
      code: 'SIGNATURE_INVALID',
      reason: 'attachment-unreadable',
      signer,
      ...meta,
    });
  const file = theHandoverAttachment(files);
  if (file) {
    let doc: unknown;
    let fileBytes: Uint8Array;
    try {
      fileBytes = file.read();
      handover = fileBytes;
    } catch (e) {
      // Too large or several: said as such; anything else is an unreadable attachment.
      if (e instanceof HandoverError && e.code === 'FILE_TOO_LARGE') throw e;
      return done({
        status: 'invalid',
        code: 'SIGNATURE_INVALID',
        reason: 'attachment-unreadable',
        signer,
        ...meta,
      });
    }
    try {
      // The same strict reading as validate and import: no duplicate keys, UTF-8 only.
      const parsed = parseJson(fileBytes);
      if (!parsed.ok) throw new Error(parsed.problem.reason);
      doc = parsed.value;
    } catch {
      return done({
        status: 'invalid',
        code: 'SIGNATURE_INVALID',
        reason: 'attachment-unreadable',
        signer,
        ...meta,
      });
    }
    const v = await verifyDocument(doc, { now, trust });
    speaksFor = speakerOf(doc);
    const id = (doc as { id?: unknown }).id;
    attachment = {
      name: file.name,
      sha256: sha256Hex(fileBytes),
      ...(typeof id === 'string' ? { handoverId: id } : {}),
      signature: v.status,
      ...(v.signer ? { signer: v.signer } : {}),
    };
    if (v.status === 'invalid' || v.status === 'missing') {
      const passOn = v.code === 'SIGNER_NOT_SENDER' || v.code === 'SIGNATURE_REVOKED';
      return done({
        status: 'invalid',
        code: passOn ? v.code : 'SIGNATURE_INVALID',
        reason: 'attachment-signature',
        signer,
        attachment,
        ...meta,
      });
    }
  }

  // The letter speaks for the handover it carries: its signer must be that handover's sender.
  // A certificate that names its organisation is judged at once, one without after the path.
  const leaf = check.chain[0];
  const notSender = (): PdfVerifyResult => ({
    status: 'invalid',
    code: 'SIGNER_NOT_SENDER',
    reason: 'signer-not-sender',
    signer,
    ...meta,
    ...(attachment ? { attachment } : {}),
  });
  const bound = signerBusinessId(leaf, trust.bindings);
  if (speaksFor !== undefined && certificateBusinessId(leaf) !== undefined && bound !== speaksFor)
    return done(notSender());
  // PAdES B-T: a token of a trusted TSA fixes the time, as for the JWS.
  let stamped: Date | undefined;
  if (check.timestamp) {
    const ts = checkTimestamp(
      check.timestamp.token.toString('base64'),
      check.timestamp.signatureValue,
      trust,
      now,
    );
    if (ts.status === 'invalid')
      return done({ status: 'invalid', code: 'SIGNATURE_INVALID', reason: 'timestamp', signer, ...meta });
    if (ts.status === 'trusted') stamped = ts.genTime;
  }
  const at = check.signedAt ? new Date(check.signedAt) : now;
  const path = evaluatePath(check.chain, trust.anchors, {
    at: stamped ? [stamped] : [now, new Date(Math.min(at.getTime(), now.getTime()))],
    crls: trust.crls,
    now,
    ...(stamped ? { revokedBefore: stamped } : {}),
  });
  if (!path.trusted) {
    const revoked = path.reason === 'revoked';
    return done({
      status: revoked ? 'invalid' : 'untrusted',
      code: revoked ? 'SIGNATURE_REVOKED' : 'SIGNATURE_UNTRUSTED',
      reason: path.reason,
      signer,
      ...meta,
      ...(attachment ? { attachment } : {}),
    });
  }
  trust.notePoints?.(path.crlUrls);
  if (speaksFor !== undefined && bound !== speaksFor) return done(notSender());
  if (attachment?.signature === 'untrusted') {
    return done({
      status: 'untrusted',
      code: 'SIGNATURE_UNTRUSTED',
      reason: 'attachment-signature',
      signer,
      ...meta,
      attachment,
    });
  }
  return done({ status: 'valid', signer, ...meta, ...(attachment ? { attachment } : {}) });
}
