/**
 * Cryptographic check of a PDF signature: the byte ranges cover the whole file except the
 * /Contents hole, the CMS SignedData verifies over those bytes (messageDigest and the RSA or
 * ECDSA signature), and the ESS signing-certificate-v2 attribute, when present, names the
 * certificate that signed. Trust is decided by the caller from the returned chain.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { loadPkijs, OID } from './pdf-signer.js';

export type PdfSignatureReason =
  | 'no-signature'
  | 'byte-range'
  | 'later-revision'
  | 'cms'
  | 'digest'
  | 'signature'
  | 'signing-certificate';

export interface PdfSignatureCheck {
  ok: boolean;
  reason?: PdfSignatureReason;
  subFilter?: string;
  /** The signer's certificate first, then the other certificates the CMS carries. */
  chain?: X509Certificate[];
  /** PAdES B-T: the signature-time-stamp token and the signature value it must cover. */
  timestamp?: { token: Buffer; signatureValue: Buffer };
  /** The claimed signing time (/M of the signature dictionary), ISO 8601. */
  signedAt?: string;
  /**
   * With 'later-revision': the length of the signed revision, which the byte ranges cover
   * whole; what follows was added after signing.
   */
  signedLength?: number;
}

const toArrayBuffer = (b: Uint8Array): ArrayBuffer =>
  b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/** D:YYYYMMDDHHmmSS+HH'mm' (or Z) → ISO 8601. */
function parsePdfDate(s: string): string | undefined {
  const m = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:(Z)|([+-])(\d{2})'?(\d{2})?'?)?/.exec(s);
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', se = '00', z, sign, oh, om = '00'] = m;
  const offset = z || !sign ? 'Z' : `${sign}${oh}:${om}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${se}${offset}`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Ends a revision: the signed ranges of a signature end at one, or at the end of the file. */
const endsRevision = (text: string, at: number): boolean =>
  at === text.length || /%%EOF\s*$/.test(text.slice(Math.max(0, at - 16), at));

/** Ranges [0 b c d] around a hex string, ending where a revision ends. */
function wellFormed(r: number[], text: string): boolean {
  const [a, b, c, d] = r;
  return (
    a === 0 &&
    b !== undefined &&
    c !== undefined &&
    d !== undefined &&
    b > 0 &&
    c > b + 1 &&
    c + d <= text.length &&
    text[b] === '<' &&
    text[c - 1] === '>' &&
    endsRevision(text, c + d)
  );
}

/**
 * The signature dictionary to judge: of the well-formed ones, the one over the earliest
 * revision. The sender signs the letter as written; a signature added in a later revision
 * (another organisation's, over a changed file) must not take its place, and what follows the
 * first signed revision is judged as a later revision. Undefined: no signature at all.
 */
function locate(text: string): { range: number[]; dict: string } | undefined {
  const found: { range: number[]; dict: string }[] = [];
  for (let at = text.indexOf('/ByteRange'); at >= 0; at = text.indexOf('/ByteRange', at + 1)) {
    const m = /^\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text.slice(at, at + 80));
    const start = text.lastIndexOf(' obj', at);
    const end = text.indexOf('endobj', at);
    found.push({
      range: m ? m.slice(1, 5).map(Number) : [],
      dict: text.slice(start < 0 ? at : start, end < 0 ? undefined : end),
    });
  }
  if (found.length === 0) return undefined;
  const good = found.filter((f) => wellFormed(f.range, text));
  if (good.length === 0) return found.at(-1);
  return good.reduce((x, y) => (y.range[2]! + y.range[3]! < x.range[2]! + x.range[3]! ? y : x));
}

export async function checkPdfSignature(bytes: Uint8Array): Promise<PdfSignatureCheck> {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const found = locate(text);
  if (!found) return { ok: false, reason: 'no-signature' };
  const [a, b, c, d] = found.range;
  const subFilter = /\/SubFilter\s*\/([A-Za-z0-9.#]+)/.exec(found.dict)?.[1];
  const mDate = /\/M\s*\((D:[^)]+)\)/.exec(found.dict)?.[1];
  const signedAt = mDate ? parsePdfDate(mDate) : undefined;
  const base = { ...(subFilter ? { subFilter } : {}), ...(signedAt ? { signedAt } : {}) };
  // The signed ranges must be the whole file but for the hex string that holds the CMS.
  if (
    !wellFormed(found.range, text) ||
    a === undefined ||
    b === undefined ||
    c === undefined ||
    d === undefined
  )
    return { ok: false, reason: 'byte-range', ...base };
  // An incremental update after the signed revision (a shadow attack: new page text, another
  // attachment, another signature) is not covered by the signature. Refused whatever it adds,
  // so that the letter judged is the one signed; the caller may read the signed revision.
  if (c + d < bytes.length) return { ok: false, reason: 'later-revision', signedLength: c + d, ...base };
  const hex = text.slice(b + 1, c - 1);
  if (!/^[0-9a-fA-F]*$/.test(hex)) return { ok: false, reason: 'byte-range', ...base };

  const { pkijs, asn1 } = await loadPkijs();
  const der = Buffer.from(hex.replace(/(00)+$/, ''), 'hex');
  let signed: InstanceType<typeof pkijs.SignedData>;
  try {
    // fromBER reads one element and ignores the zero padding after it.
    const parsed = asn1.fromBER(toArrayBuffer(Buffer.from(hex, 'hex')));
    if (parsed.offset === -1 || der.length === 0) return { ok: false, reason: 'cms', ...base };
    const info = new pkijs.ContentInfo({ schema: parsed.result });
    if (info.contentType !== OID.signedData) return { ok: false, reason: 'cms', ...base };
    signed = new pkijs.SignedData({ schema: info.content });
  } catch {
    return { ok: false, reason: 'cms', ...base };
  }
  const data = Buffer.concat([bytes.subarray(0, b), bytes.subarray(c, c + d)]);
  const signerInfo = signed.signerInfos[0];
  if (!signerInfo?.signedAttrs) return { ok: false, reason: 'cms', ...base };

  const attr = (oid: string) => signerInfo.signedAttrs?.attributes.find((x) => x.type === oid)?.values[0];
  const digestAttr = attr(OID.messageDigest) as InstanceType<typeof asn1.OctetString> | undefined;
  const digestAlg = signerInfo.digestAlgorithm.algorithmId;
  const algName: Record<string, string> = {
    '2.16.840.1.101.3.4.2.1': 'sha256',
    '2.16.840.1.101.3.4.2.2': 'sha384',
    '2.16.840.1.101.3.4.2.3': 'sha512',
  };
  const alg = algName[digestAlg];
  if (!digestAttr || !alg) return { ok: false, reason: 'digest', ...base };
  const want = createHash(alg).update(data).digest();
  if (Buffer.compare(Buffer.from(digestAttr.valueBlock.valueHexView), want) !== 0) {
    return { ok: false, reason: 'digest', ...base };
  }

  let signerCertDer: Uint8Array | undefined;
  try {
    const r = await signed.verify({
      signer: 0,
      data: toArrayBuffer(data),
      extendedMode: true,
      checkChain: false,
    });
    if (!r.signatureVerified || !r.signerCertificate) return { ok: false, reason: 'signature', ...base };
    signerCertDer = new Uint8Array(r.signerCertificate.toSchema().toBER(false));
  } catch {
    return { ok: false, reason: 'signature', ...base };
  }

  const ess = attr(OID.signingCertificateV2) as InstanceType<typeof asn1.Sequence> | undefined;
  if (ess) {
    // SigningCertificateV2 → certs → first ESSCertIDv2 → certHash (after an optional AlgorithmIdentifier).
    const first = (ess.valueBlock.value[0] as InstanceType<typeof asn1.Sequence> | undefined)?.valueBlock
      .value[0] as InstanceType<typeof asn1.Sequence> | undefined;
    const hash = first?.valueBlock.value.find((v) => v instanceof asn1.OctetString) as
      | InstanceType<typeof asn1.OctetString>
      | undefined;
    const certHash = createHash('sha256').update(signerCertDer).digest();
    if (!hash || Buffer.compare(Buffer.from(hash.valueBlock.valueHexView), certHash) !== 0) {
      return { ok: false, reason: 'signing-certificate', ...base };
    }
  } else if (subFilter === 'ETSI.CAdES.detached') {
    // PAdES requires the attribute: without it the certificate could be swapped.
    return { ok: false, reason: 'signing-certificate', ...base };
  }

  const leaf = new X509Certificate(signerCertDer);
  const others = (signed.certificates ?? [])
    .filter((x): x is InstanceType<typeof pkijs.Certificate> => x instanceof pkijs.Certificate)
    .map((x) => new X509Certificate(new Uint8Array(x.toSchema().toBER(false))))
    .filter((x) => x.fingerprint256 !== leaf.fingerprint256);
  const tsAttr = signerInfo.unsignedAttrs?.attributes.find((x) => x.type === '1.2.840.113549.1.9.16.2.14');
  const tsValue = tsAttr?.values[0] as { toBER(sizeOnly?: boolean): ArrayBuffer } | undefined;
  const timestamp = tsValue
    ? {
        token: Buffer.from(tsValue.toBER(false)),
        signatureValue: Buffer.from(signerInfo.signature.valueBlock.valueHexView),
      }
    : undefined;
  return { ok: true, chain: [leaf, ...others], ...base, ...(timestamp ? { timestamp } : {}) };
}
