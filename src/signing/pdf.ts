/**
 * PAdES baseline signature of a PDF: an invisible signature field with a placeholder
 * (subFilter ETSI.CAdES.detached), then the CMS of PadesSigner written into the hole. The
 * PDF must already carry everything else (attachment, metadata): what is added after the
 * signature would not be covered by it.
 */

import { EXIT, HandoverError } from '../errors.js';
import type { SigningIdentity } from '../keystore/types.js';
import { PadesSigner } from './pdf-signer.js';

export interface PdfSignOptions {
  /** Claimed signing time (/M); now when absent. */
  signingTime?: Date;
  reason?: string;
  location?: string;
  /** Contact shown by viewers: the organisation's e-mail. */
  contactInfo?: string;
}

/** Room for the CMS: the chain, a 4096-bit signature and the attributes, hex-encoded by signpdf. */
function placeholderLength(id: SigningIdentity): number {
  const certs = id.chain.reduce((n, c) => n + c.raw.length, 0);
  return Math.max(8192, certs + 4096);
}

export async function signPdf(
  pdf: Uint8Array,
  id: SigningIdentity,
  opts: PdfSignOptions = {},
): Promise<Uint8Array> {
  if (id.privateKey.asymmetricKeyType !== 'rsa') {
    throw new HandoverError('PDF_KEY_NOT_RSA', EXIT.environment, { key: 'letter.PDF_KEY_NOT_RSA' });
  }
  const [lib, { pdflibAddPlaceholder }, { SUBFILTER_ETSI_CADES_DETACHED }, { SignPdf }] = await Promise.all([
    import('pdf-lib'),
    import('@signpdf/placeholder-pdf-lib'),
    import('@signpdf/utils'),
    import('@signpdf/signpdf'),
  ]);
  const doc = await lib.PDFDocument.load(pdf, { updateMetadata: false });
  const leaf = id.chain[0];
  const name =
    leaf?.subject
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
    signatureLength: placeholderLength(id),
    appName: 'handover',
  });
  const withPlaceholder = await doc.save({ useObjectStreams: false });
  const signer = new PadesSigner(id);
  const out = await new SignPdf().sign(Buffer.from(withPlaceholder), signer, opts.signingTime);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
