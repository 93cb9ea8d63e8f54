/**
 * PAdES baseline signature of a PDF: an invisible signature field with a placeholder
 * (subFilter ETSI.CAdES.detached), then the CMS of PadesSigner written into the hole. The
 * PDF must already carry everything else (attachment, metadata): what is added after the
 * signature would not be covered by it.
 */

import type { PDFDocument } from 'pdf-lib';
import { EXIT, HandoverError } from '../core/errors.js';
import type { SigningIdentity } from '../keystore/types.js';
import { PadesSigner } from './pdf-signer.js';

export interface PdfSignOptions {
  /** Claimed signing time (/M); now when absent. */
  signingTime?: Date;
  reason?: string;
  location?: string;
  /** Contact shown by viewers: the organisation's e-mail. */
  contactInfo?: string;
  /** An RFC 3161 TSA: its token over the signature value makes the signature PAdES B-T. */
  timestamp?: { url: string; timeoutMs?: number };
}

/** Room for the CMS: the chain, a 4096-bit signature and the attributes, hex-encoded by signpdf. */
function placeholderLength(id: SigningIdentity, stamped = false): number {
  const certs = id.chain.reduce((n, c) => n + c.raw.length, 0);
  // A timestamp token carries the TSA's own certificate and signature.
  return Math.max(8192, certs + 4096) + (stamped ? 12_288 : 0);
}

function checkKey(id: SigningIdentity): void {
  if (id.key.type !== 'rsa') {
    throw new HandoverError('PDF_KEY_NOT_RSA', EXIT.environment, { key: 'letter.PDF_KEY_NOT_RSA' });
  }
}

/**
 * Adds the invisible signature field and the placeholder to a document that is about to be
 * saved. With `signPrepared` after the save, a freshly made PDF is written only once.
 */
export async function addSignaturePlaceholder(
  doc: PDFDocument,
  id: SigningIdentity,
  opts: PdfSignOptions = {},
): Promise<void> {
  checkKey(id);
  const [{ pdflibAddPlaceholder }, { SUBFILTER_ETSI_CADES_DETACHED }] = await Promise.all([
    import('@signpdf/placeholder-pdf-lib'),
    import('@signpdf/utils'),
  ]);
  const name =
    id.chain[0]?.subject
      .split('\n')
      .find((l) => l.startsWith('O='))
      ?.slice(2) ?? id.alias;
  pdflibAddPlaceholder({
    pdfDoc: doc,
    reason: opts.reason ?? '',
    contactInfo: opts.contactInfo ?? '',
    name,
    location: opts.location ?? '',
    signingTime: opts.signingTime ?? new Date(),
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    signatureLength: placeholderLength(id, opts.timestamp !== undefined),
    appName: 'handover',
  });
}

/** Signs a saved PDF that carries the placeholder of `addSignaturePlaceholder`. */
export async function signPrepared(
  pdf: Uint8Array,
  id: SigningIdentity,
  opts: Pick<PdfSignOptions, 'signingTime' | 'timestamp'> = {},
): Promise<Uint8Array> {
  checkKey(id);
  const { SignPdf } = await import('@signpdf/signpdf');
  const out = await new SignPdf().sign(
    Buffer.from(pdf),
    new PadesSigner(id, opts.timestamp),
    opts.signingTime,
  );
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Signs any PDF: loads it, adds the placeholder, saves and signs. */
export async function signPdf(
  pdf: Uint8Array,
  id: SigningIdentity,
  opts: PdfSignOptions = {},
): Promise<Uint8Array> {
  checkKey(id);
  const lib = await import('pdf-lib');
  const doc = await lib.PDFDocument.load(pdf, { updateMetadata: false });
  await addSignaturePlaceholder(doc, id, opts);
  return signPrepared(await doc.save({ useObjectStreams: false }), id, opts);
}
