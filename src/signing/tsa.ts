/**
 * RFC 3161 timestamps for the JWS (SPEC §7, as JAdES sigTst): the messageImprint is SHA-256
 * over the ASCII bytes of the JWS signature segment. A token from a TSA in the trust store
 * fixes the time at which the signer's chain must have been valid; the claimed sigT does not.
 */
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { EXIT, HandoverError } from '../core/errors.js';
import { Asn1Error, asn1, fromDer, hexBytes, parseAs, toArrayBuffer } from '../io/asn1.js';
import type { Crl } from './crl.js';
import { evaluatePath } from './path.js';
import { type SignatureSpec, signatureSpec, verifyWith } from './x509.js';

const OID = {
  sha256: '2.16.840.1.101.3.4.2.1',
  signedData: '1.2.840.113549.1.7.2',
  rsassaPss: '1.2.840.113549.1.1.10',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
};
const HASH: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** What is stamped: the JWS signature segment as ASCII text, or a CMS signature value as bytes. */
export type Stamped = string | Uint8Array;
export const imprintOf = (data: Stamped): Buffer =>
  createHash('sha256')
    .update(typeof data === 'string' ? Buffer.from(data, 'ascii') : data)
    .digest();

/** A TimeStampReq for SHA-256 over the segment, with a nonce and the TSA's certificate asked for. */
export function timestampRequest(signatureSegment: Stamped): { der: Buffer; nonce: Buffer } {
  const { pkijs, asn1js } = asn1();
  const nonce = randomBytes(8);
  nonce[0] = (nonce[0] ?? 0) & 0x7f;
  const req = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({
        algorithmId: OID.sha256,
        algorithmParams: new asn1js.Null(),
      }),
      hashedMessage: new asn1js.OctetString({ valueHex: toArrayBuffer(imprintOf(signatureSegment)) }),
    }),
    nonce: new asn1js.Integer({ valueHex: toArrayBuffer(nonce) }),
    certReq: true,
  });
  return { der: Buffer.from(req.toSchema().toBER()), nonce };
}

/** Asks the TSA at `url`; exit 4 naming it when it cannot be reached or answers no token. */
export async function requestTimestamp(
  url: string,
  signatureSegment: Stamped,
  timeoutMs = 10_000,
): Promise<Buffer> {
  const fail = (reason: string, cause?: unknown) =>
    new HandoverError('TSA_UNAVAILABLE', EXIT.environment, {
      key: 'signing.TSA_UNAVAILABLE',
      vars: { url, reason },
      cause,
    });
  const { der } = timestampRequest(signatureSegment);
  let body: Buffer | undefined;
  const signal = AbortSignal.timeout(timeoutMs);
  // A query is safe to send again: one retry covers a kept-alive connection that the server
  // closed just as we reused it (seen against a local TSA), never a timeout.
  for (let attempt = 1; body === undefined; attempt++) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/timestamp-query' },
        body: der,
        signal,
      });
      if (!res.ok) throw fail(`HTTP ${res.status}`);
      body = Buffer.from(await res.arrayBuffer());
    } catch (e) {
      if (e instanceof HandoverError) throw e;
      const timeout = e instanceof Error && (e.name === 'TimeoutError' || signal.aborted);
      if (timeout || attempt >= 2) throw fail(timeout ? 'timeout' : 'network', e);
    }
  }
  try {
    const tok = grantedToken(body);
    if (!tok) throw fail('refused');
    if (imprintMismatch(tok, signatureSegment)) throw fail('imprint');
    return tok;
  } catch (e) {
    if (e instanceof HandoverError) throw e;
    throw fail('malformed', e);
  }
}

/** The token of a TimeStampResp whose status is granted (0) or grantedWithMods (1), as the TSA encoded it. */
function grantedToken(body: Buffer): Buffer | undefined {
  const { pkijs, asn1js } = asn1();
  const top = fromDer(body);
  // Named by the schema, so that the token keeps the bytes the TSA wrote (its signature covers
  // them), not pkijs's re-encoding.
  const named = asn1js.compareSchema(
    top,
    top,
    pkijs.TimeStampResp.schema({
      names: { timeStampToken: { names: { blockName: 'token', optional: true } } },
    }),
  );
  if (!named.verified) throw new Asn1Error('TimeStampResp');
  const resp = new pkijs.TimeStampResp({ schema: top });
  if (resp.status.status !== 0 && resp.status.status !== 1) return undefined;
  const token = (named.result as Record<string, { valueBeforeDecodeView: Uint8Array } | undefined>).token;
  return token ? Buffer.from(token.valueBeforeDecodeView) : undefined;
}

interface Parsed {
  genTime: Date;
  imprint: Buffer;
  hash: string;
  /** The TSTInfo as signed (the eContent octets). */
  tstInfo: Buffer;
  certs: X509Certificate[];
  /** The signed attributes as a SET (the signature covers them so, not as the [0] they are stored in). */
  signedAttrs: Buffer;
  /** The messageDigest attribute's value, when there is one. */
  messageDigest: Buffer | undefined;
  digestHash: string;
  signatureSpec: SignatureSpec | undefined;
  signature: Buffer;
}

function parseToken(tok: Buffer): Parsed {
  const { pkijs, asn1js } = asn1();
  const ci = parseAs(tok, (schema) => new pkijs.ContentInfo({ schema }));
  if (ci.contentType !== OID.signedData) throw new Asn1Error('content');
  const sd = new pkijs.SignedData({ schema: ci.content });
  const encap = sd.encapContentInfo;
  if (encap.eContentType !== OID.tstInfo || !encap.eContent) throw new Asn1Error('tstinfo');
  const tstInfo = Buffer.from(encap.eContent.getValue());
  const tst = parseAs(tstInfo, (schema) => new pkijs.TSTInfo({ schema }));
  const si = sd.signerInfos[0];
  if (!si?.signedAttrs || si.signedAttrs.encodedValue.byteLength === 0)
    throw new Asn1Error('signed attributes');
  const digest = si.signedAttrs.attributes.find((a) => a.type === OID.messageDigest)?.values[0];
  const digestHash = HASH[si.digestAlgorithm.algorithmId] ?? '';
  // A SignerInfo names either the key's algorithm (rsaEncryption, ecPublicKey: the digest says
  // the hash) or a full signature algorithm, as RSASSA-PSS with its parameters must.
  const sigAlg = si.signatureAlgorithm;
  const spec: SignatureSpec | undefined =
    sigAlg.algorithmId === OID.rsassaPss
      ? signatureSpec(sigAlg)
      : digestHash
        ? { hash: digestHash }
        : undefined;
  return {
    genTime: tst.genTime,
    imprint: hexBytes(tst.messageImprint.hashedMessage),
    hash: HASH[tst.messageImprint.hashAlgorithm.algorithmId] ?? '',
    tstInfo,
    certs: (sd.certificates ?? []).flatMap((c) =>
      c instanceof pkijs.Certificate ? [new X509Certificate(Buffer.from(c.toSchema().toBER()))] : [],
    ),
    signedAttrs: Buffer.from(si.signedAttrs.encodedValue),
    messageDigest: digest instanceof asn1js.OctetString ? hexBytes(digest) : undefined,
    digestHash,
    signatureSpec: spec,
    signature: hexBytes(si.signature),
  };
}

function imprintMismatch(tok: Buffer, segment: Stamped): boolean {
  const p = parseToken(tok);
  return p.hash !== 'sha256' || !p.imprint.equals(imprintOf(segment));
}

export type TimestampCheck =
  | { status: 'trusted'; genTime: Date }
  /** Intact, but its TSA is not in the trust store: it proves no time. */
  | { status: 'untrusted'; genTime: Date }
  | { status: 'invalid' };

/**
 * Checks a token against the JWS signature segment: the imprint, the messageDigest of the
 * signed attributes, the TSA's signature, and the TSA certificate (timeStamping) chaining to
 * the trust store at the token's own time.
 */
export function checkTimestamp(
  b64: string,
  signatureSegment: Stamped,
  trust: { anchors: X509Certificate[]; crls: readonly Crl[] },
  now: Date,
): TimestampCheck {
  let p: Parsed;
  try {
    p = parseToken(Buffer.from(b64, 'base64'));
  } catch {
    return { status: 'invalid' };
  }
  if (p.hash !== 'sha256' || !p.imprint.equals(imprintOf(signatureSegment)) || !p.digestHash)
    return { status: 'invalid' };
  const spec = p.signatureSpec;
  if (!spec || !p.messageDigest?.equals(createHash(p.digestHash).update(p.tstInfo).digest()))
    return { status: 'invalid' };
  const signer = p.certs.find((c) => verifyWith(spec, p.signedAttrs, c.publicKey, p.signature));
  if (!signer) return { status: 'invalid' };
  if (p.genTime.getTime() > now.getTime() + 5 * 60_000) return { status: 'invalid' };
  const eku = signer.keyUsage ?? [];
  const path = evaluatePath([signer, ...p.certs.filter((c) => c !== signer)], trust.anchors, {
    at: [p.genTime],
    crls: trust.crls,
    now,
  });
  return path.trusted && eku.includes(OID.timeStamping)
    ? { status: 'trusted', genTime: p.genTime }
    : { status: 'untrusted', genTime: p.genTime };
}
