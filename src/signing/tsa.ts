/**
 * RFC 3161 timestamps for the JWS (SPEC §7, as JAdES sigTst): the messageImprint is SHA-256
 * over the ASCII bytes of the JWS signature segment. A token from a TSA in the trust store
 * fixes the time at which the signer's chain must have been valid; the claimed sigT does not.
 */
import { createHash, verify as cryptoVerify, randomBytes, X509Certificate } from 'node:crypto';
import { EXIT, HandoverError } from '../core/errors.js';
import {
  bytesOf,
  children,
  DerError,
  encodeOid,
  encodeUint,
  oidOf,
  rawOf,
  readTlv,
  seq,
  type Tlv,
  timeOf,
  tlv,
} from '../io/der.js';
import type { Crl } from './crl.js';
import { evaluatePath } from './path.js';

const OID = {
  sha256: '2.16.840.1.101.3.4.2.1',
  signedData: '1.2.840.113549.1.7.2',
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
  const nonce = randomBytes(8);
  nonce[0] = (nonce[0] ?? 0) & 0x7f;
  const der = seq(
    encodeUint(Buffer.from([1])),
    seq(seq(encodeOid(OID.sha256), tlv(0x05)), tlv(0x04, imprintOf(signatureSegment))),
    encodeUint(nonce),
    tlv(0x01, Buffer.from([0xff])),
  );
  return { der, nonce };
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
    // TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken ContentInfo OPTIONAL }
    const [status, token] = children(body, readTlv(body, 0));
    const code = status ? children(body, status)[0] : undefined;
    const granted = code && code.end - code.body === 1 && (body[code.body] === 0 || body[code.body] === 1);
    if (!granted || !token) throw fail('refused');
    const tok = rawOf(body, token);
    if (imprintMismatch(tok, signatureSegment)) throw fail('imprint');
    return tok;
  } catch (e) {
    if (e instanceof HandoverError) throw e;
    throw fail('malformed', e);
  }
}

interface Parsed {
  genTime: Date;
  imprint: Buffer;
  hash: string;
  tstInfo: Buffer;
  certs: X509Certificate[];
  signedAttrs: Buffer;
  attrs: Tlv;
  digestHash: string;
  signature: Buffer;
  bytes: Buffer;
}

function parseToken(tok: Buffer): Parsed {
  const ci = children(tok, readTlv(tok, 0));
  if (!ci[0] || oidOf(tok, ci[0]) !== OID.signedData || !ci[1]) throw new DerError('content');
  const sd = children(tok, children(tok, ci[1])[0]!);
  const encap = sd[2];
  if (!encap) throw new DerError('encap');
  const [ctype, wrapped] = children(tok, encap);
  if (!ctype || oidOf(tok, ctype) !== OID.tstInfo || !wrapped) throw new DerError('tstinfo');
  const octet = children(tok, wrapped)[0]!;
  const tstInfo = bytesOf(tok, octet);
  const tf = children(tstInfo, readTlv(tstInfo, 0));
  const mi = children(tstInfo, tf[2]!);
  const alg = oidOf(tstInfo, children(tstInfo, mi[0]!)[0]!);
  const genTime = timeOf(tstInfo, tf[4]!);
  const certs: X509Certificate[] = [];
  let i = 3;
  if (sd[i]?.tag === 0xa0) {
    for (const c of children(tok, sd[i]!)) if (c.tag === 0x30) certs.push(new X509Certificate(rawOf(tok, c)));
    i++;
  }
  if (sd[i]?.tag === 0xa1) i++;
  const si = children(tok, children(tok, sd[i]!)[0]!);
  const digestAlg = oidOf(tok, children(tok, si[2]!)[0]!);
  const attrs = si[3]!;
  if (attrs.tag !== 0xa0) throw new DerError('signed attributes');
  // The signature covers the attributes as a SET (tag 0x31), not as the [0] they are stored in.
  const signedAttrs = rawOf(tok, attrs);
  signedAttrs[0] = 0x31;
  return {
    genTime,
    imprint: bytesOf(tstInfo, mi[1]!),
    hash: HASH[alg] ?? '',
    tstInfo: rawOf(tstInfo, readTlv(tstInfo, 0)),
    certs,
    signedAttrs,
    attrs,
    digestHash: HASH[digestAlg] ?? '',
    signature: bytesOf(tok, si[5]!),
    bytes: tok,
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
  let digestOk = false;
  try {
    for (const attr of children(p.bytes, p.attrs)) {
      const [type, values] = children(p.bytes, attr);
      if (type && values && oidOf(p.bytes, type) === OID.messageDigest) {
        const v = bytesOf(p.bytes, children(p.bytes, values)[0]!);
        digestOk = v.equals(createHash(p.digestHash).update(p.tstInfo).digest());
      }
    }
  } catch {
    return { status: 'invalid' };
  }
  if (!digestOk) return { status: 'invalid' };
  const signer = p.certs.find((c) => {
    try {
      return cryptoVerify(p.digestHash, p.signedAttrs, c.publicKey, p.signature);
    } catch {
      return false;
    }
  });
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
