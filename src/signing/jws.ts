/**
 * The embedded signature of SPEC §7: a JWS over the RFC 8785 (JCS) canonical form of the
 * document without its `signature` member, kept as "<protected>..<signature>". The protected
 * header carries alg, typ "handover+jws", x5c and the signing time sigT (listed in crit).
 */
import { X509Certificate } from 'node:crypto';
import type { SigningIdentity } from '../keystore/types.js';
import { type CertInfo, certInfo } from './certs.js';
import { evaluateTrust, loadTrustStore, type TrustReason } from './trust.js';

export const JWS_TYP = 'handover+jws';
export const ALLOWED_ALGS = ['PS256', 'RS256', 'ES256'] as const;
export type JwsAlg = (typeof ALLOWED_ALGS)[number];
/** A signing time this far ahead of our clock is a lie or a broken clock, not a signature. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export interface ProtectedHeader {
  alg: string;
  typ: string;
  x5c: string[];
  sigT: string;
  crit: string[];
}

/** The signed bytes: the canonical form of the document without `signature`. */
export async function canonicalPayload(doc: object): Promise<string> {
  const { default: canonicalize } = await import('canonicalize');
  const { signature: _omit, ...rest } = doc as Record<string, unknown>;
  const c = canonicalize(rest);
  if (c === undefined) throw new TypeError('document cannot be canonicalized');
  return c;
}

const b64u = (b: Uint8Array | string): string => Buffer.from(b).toString('base64url');

export async function signDocument<T extends object>(
  doc: T,
  id: SigningIdentity,
  opts: { alg?: JwsAlg; now?: Date } = {},
): Promise<T & { signature: { jws: string } }> {
  const { FlattenedSign } = await import('jose');
  const keyType = id.privateKey.asymmetricKeyType;
  const alg: JwsAlg = opts.alg ?? (keyType === 'ec' ? 'ES256' : 'PS256');
  // RFC 3339 UTC to the second: the claimed signing time, signed with the rest of the header.
  const sigT = (opts.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const header: ProtectedHeader = {
    alg,
    typ: JWS_TYP,
    x5c: id.chain.map((c) => c.raw.toString('base64')),
    sigT,
    crit: ['sigT'],
  };
  const payload = new TextEncoder().encode(await canonicalPayload(doc));
  const jws = await new FlattenedSign(payload)
    .setProtectedHeader({ ...header })
    .sign(id.privateKey, { crit: { sigT: true } });
  const { signature: _old, ...rest } = doc as Record<string, unknown>;
  return { ...rest, signature: { jws: `${jws.protected}..${jws.signature}` } } as T & {
    signature: { jws: string };
  };
}

export type VerifyStatus = 'valid' | 'invalid' | 'untrusted' | 'missing';
export type SignatureCode = 'SIGNATURE_MISSING' | 'SIGNATURE_INVALID' | 'SIGNATURE_UNTRUSTED';
/** Machine reasons: the status says what, the reason says why. */
export type VerifyReason =
  | 'malformed'
  | 'header'
  | 'alg-not-allowed'
  | 'crit'
  | 'sigT'
  | 'x5c'
  | 'bad-signature'
  | TrustReason;

export interface SignerInfo {
  subject: string;
  fingerprint256: string;
  notBefore: string;
  notAfter: string;
}

export interface VerifyResult {
  status: VerifyStatus;
  code?: SignatureCode;
  reason?: VerifyReason;
  signer?: SignerInfo;
  signedAt?: string;
  alg?: string;
}

const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const invalid = (reason: VerifyReason, extra: Partial<VerifyResult> = {}): VerifyResult => ({
  status: 'invalid',
  code: 'SIGNATURE_INVALID',
  reason,
  ...extra,
});
const signerOf = (c: X509Certificate): SignerInfo => {
  const i: CertInfo = certInfo(c);
  return {
    subject: i.subject,
    fingerprint256: i.fingerprint256,
    notBefore: i.notBefore,
    notAfter: i.notAfter,
  };
};

function parseHeader(b64: string): ProtectedHeader | undefined {
  try {
    const h = JSON.parse(Buffer.from(b64, 'base64url').toString('utf8')) as unknown;
    return h && typeof h === 'object' && !Array.isArray(h) ? (h as ProtectedHeader) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies the embedded signature: format, allow-listed algorithm, crit, the signature over the
 * canonical form with the key of x5c[0], then trust at sigT. `trustAnchors` defaults to the
 * trust store under HANDOVER_HOME.
 */
export async function verifyDocument(
  doc: unknown,
  opts: { now?: Date; trustAnchors?: X509Certificate[] } = {},
): Promise<VerifyResult> {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return invalid('malformed');
  const sig = (doc as { signature?: unknown }).signature;
  if (sig === undefined) return { status: 'missing', code: 'SIGNATURE_MISSING' };
  const jws = (sig as { jws?: unknown } | null)?.jws;
  if (typeof jws !== 'string') return invalid('malformed');
  const parts = jws.split('.');
  const B64U = /^[A-Za-z0-9_-]+$/;
  if (parts.length !== 3 || parts[1] !== '' || !B64U.test(parts[0] ?? '')) return invalid('malformed');
  const [prot, , signature] = parts as [string, string, string];
  const h = parseHeader(prot);
  if (!h) return invalid('header');
  // The algorithm is judged before anything else, so that alg "none" (with its empty
  // signature) and HMAC are named for what they are.
  if (!(ALLOWED_ALGS as readonly string[]).includes(h.alg))
    return invalid('alg-not-allowed', { alg: String(h.alg) });
  if (!B64U.test(signature)) return invalid('malformed', { alg: h.alg });
  if (h.typ !== JWS_TYP) return invalid('header', { alg: h.alg });
  if (!Array.isArray(h.crit) || h.crit.length !== 1 || h.crit[0] !== 'sigT')
    return invalid('crit', { alg: h.alg });
  if (typeof h.sigT !== 'string' || !RFC3339_UTC.test(h.sigT) || Number.isNaN(Date.parse(h.sigT))) {
    return invalid('sigT', { alg: h.alg });
  }
  const signedAt = new Date(h.sigT);
  const now = opts.now ?? new Date();
  if (signedAt.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS)
    return invalid('sigT', { alg: h.alg, signedAt: h.sigT });
  if (!Array.isArray(h.x5c) || h.x5c.length === 0 || h.x5c.length > 10) return invalid('x5c', { alg: h.alg });
  let chain: X509Certificate[];
  try {
    chain = h.x5c.map((c) => {
      if (typeof c !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(c)) throw new Error('x5c');
      return new X509Certificate(Buffer.from(c, 'base64'));
    });
  } catch {
    return invalid('x5c', { alg: h.alg });
  }
  const leaf = chain[0]!;
  const signer = signerOf(leaf);
  const base = { alg: h.alg, signer, signedAt: h.sigT };

  let payload: string;
  try {
    payload = await canonicalPayload(doc);
  } catch {
    return invalid('malformed', base);
  }
  const { flattenedVerify } = await import('jose');
  try {
    await flattenedVerify({ protected: prot, payload: b64u(payload), signature }, leaf.publicKey, {
      algorithms: [...ALLOWED_ALGS],
      crit: { sigT: true },
    });
  } catch {
    return invalid('bad-signature', base);
  }

  const anchors = opts.trustAnchors ?? loadTrustStore().map((e) => e.cert);
  const decision = evaluateTrust(chain, anchors, signedAt);
  if (!decision.trusted)
    return { status: 'untrusted', code: 'SIGNATURE_UNTRUSTED', reason: decision.reason, ...base };
  return { status: 'valid', ...base };
}
