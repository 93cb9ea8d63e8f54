/**
 * The embedded signature of SPEC §7: a JWS over the RFC 8785 (JCS) canonical form of the
 * document without its `signature` member, kept as "<protected>..<signature>". The protected
 * header carries alg, typ "handover+jws", x5c and the signing time sigT (listed in crit).
 */
import { X509Certificate } from 'node:crypto';
import { EXIT, HandoverError } from '../core/errors.js';
import type { SigningIdentity, SignMechanism } from '../keystore/types.js';
import { certificateBusinessId, signerBusinessId, speakerOf } from './binding.js';
import { type CertInfo, certInfo } from './certs.js';
import { evaluatePath } from './path.js';
import { loadTrust, type TrustContext, type TrustReason } from './trust.js';
import { checkTimestamp, requestTimestamp } from './tsa.js';

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

const MECHANISM: Record<JwsAlg, SignMechanism> = {
  PS256: 'rsa-pss-sha256',
  RS256: 'rsa-pkcs1-sha256',
  ES256: 'ecdsa-sha256',
};

export async function signDocument<T extends object>(
  doc: T,
  id: SigningIdentity,
  opts: { alg?: JwsAlg; now?: Date; timestamp?: { url: string; timeoutMs?: number } } = {},
): Promise<T & { signature: { jws: string; timestamp?: string } }> {
  const keyType = id.key.type;
  const alg: JwsAlg = opts.alg ?? (keyType === 'ec' ? 'ES256' : 'PS256');
  if ((alg === 'ES256') !== (keyType === 'ec'))
    throw new TypeError(`${alg} cannot be made with an ${keyType.toUpperCase()} key`);
  // What jose refused before signing moved here: RSA keys shorter than 2048 bits.
  if (keyType === 'rsa' && (id.key.publicKey.asymmetricKeyDetails?.modulusLength ?? 0) < 2048)
    throw new TypeError(`${alg} requires an RSA key of 2048 bits or more`);
  // RFC 3339 UTC to the second: the claimed signing time, signed with the rest of the header.
  const sigT = (opts.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const header: ProtectedHeader = {
    alg,
    typ: JWS_TYP,
    x5c: id.chain.map((c) => c.raw.toString('base64')),
    sigT,
    crit: ['sigT'],
  };
  // We never produce a signature that the other side must refuse: the certificate's own
  // organisation must be the one the document speaks for (SPEC §7, "who speaks for whom").
  const leaf = id.chain[0];
  const own = leaf ? certificateBusinessId(leaf) : undefined;
  const speaks = speakerOf(doc);
  if (own !== undefined && own !== speaks)
    throw new HandoverError('SIGNER_NOT_SENDER', EXIT.invalid, {
      key: 'signing.SIGNER_NOT_SENDER_OWN',
      vars: { signer: own, speaksFor: speaks || '–' },
    });
  // RFC 7515 by hand, since a key in a token is no key jose can sign with: the signing input
  // is BASE64URL(UTF8(header)) "." BASE64URL(payload), as jose's FlattenedSign builds it.
  const prot = b64u(JSON.stringify(header));
  const input = new TextEncoder().encode(`${prot}.${b64u(await canonicalPayload(doc))}`);
  const jws = { protected: prot, signature: b64u(await id.key.sign(MECHANISM[alg], input)) };
  const { signature: _old, ...rest } = doc as Record<string, unknown>;
  // RFC 3161 over the signature segment (JAdES sigTst): the time a TSA vouches for.
  const token = opts.timestamp
    ? (await requestTimestamp(opts.timestamp.url, jws.signature, opts.timestamp.timeoutMs)).toString('base64')
    : undefined;
  return {
    ...rest,
    signature: { jws: `${jws.protected}..${jws.signature}`, ...(token ? { timestamp: token } : {}) },
  } as T & { signature: { jws: string; timestamp?: string } };
}

export type VerifyStatus = 'valid' | 'invalid' | 'untrusted' | 'missing';
export type SignatureCode =
  | 'SIGNATURE_MISSING'
  | 'SIGNATURE_INVALID'
  | 'SIGNATURE_UNTRUSTED'
  | 'SIGNER_NOT_SENDER'
  | 'SIGNATURE_REVOKED';
/** Machine reasons: the status says what, the reason says why. */
export type VerifyReason =
  | 'malformed'
  | 'header'
  | 'alg-not-allowed'
  | 'crit'
  | 'sigT'
  | 'x5c'
  | 'bad-signature'
  | 'before-document'
  | 'signer-not-sender'
  | 'timestamp'
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
  /** The time a trusted TSA vouches for (signature.timestamp), which then fixes the validation time. */
  timestampedAt?: string;
  /** The business ID the signer speaks for (certificate or trust-store binding), when known. */
  signerBusinessId?: string;
  /** The business ID the document speaks for. */
  speaksFor?: string;
  /** Valid, but no current CRL for a CA that publishes one (REVOCATION_UNKNOWN, a warning). */
  warnings?: 'REVOCATION_UNKNOWN'[];
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

/** The document's own date: a signature claimed before it is backdated. */
function documentDate(doc: object): Date | undefined {
  const d = doc as Record<string, unknown>;
  const v =
    d.kind === 'receipt'
      ? d.receivedAt
      : d.kind === 'withdrawal'
        ? d.withdrawnAt
        : d.kind === 'directory'
          ? d.issuedAt
          : d.createdAt;
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  // sigT is kept to the second: the document's time is compared at the same grain.
  return Number.isNaN(t) ? undefined : new Date(Math.floor(t / 1000) * 1000);
}

export interface VerifyOptions {
  now?: Date;
  /** The trust store as read once by the caller; read from HANDOVER_HOME when absent. */
  trust?: TrustContext;
  /** Anchors alone (no bindings, no CRLs): tests and callers that trust nothing else. */
  trustAnchors?: X509Certificate[];
}

/**
 * Verifies the embedded signature: format, allow-listed algorithm, crit, the signature over the
 * canonical form with the key of x5c[0]; then who speaks for whom, the time (sigT not before
 * the document's date, the chain valid now and at sigT), the path to an anchor and revocation.
 */
export async function verifyDocument(doc: unknown, opts: VerifyOptions = {}): Promise<VerifyResult> {
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

  const trust: TrustContext =
    opts.trust ??
    (opts.trustAnchors ? { anchors: opts.trustAnchors, bindings: new Map(), crls: [] } : loadTrust());
  const speaksFor = speakerOf(doc);
  const bound = signerBusinessId(leaf, trust.bindings);
  const who = { ...(bound ? { signerBusinessId: bound } : {}), speaksFor };
  const notSender = (): VerifyResult => ({
    status: 'invalid',
    code: 'SIGNER_NOT_SENDER',
    reason: 'signer-not-sender',
    ...base,
    ...who,
  });
  // A certificate that names its organisation is judged at once: trusting it would not help.
  if (certificateBusinessId(leaf) !== undefined && bound !== speaksFor) return notSender();
  const token = (sig as { timestamp?: unknown }).timestamp;
  let stamped: Date | undefined;
  if (token !== undefined) {
    const ts =
      typeof token === 'string'
        ? checkTimestamp(token, signature, trust, now)
        : { status: 'invalid' as const };
    if (ts.status === 'invalid') return invalid('timestamp', { ...base, ...who });
    // A TSA we do not trust proves no time: the claim is judged as if there were no token.
    if (ts.status === 'trusted') stamped = ts.genTime;
  }
  const docDate = documentDate(doc);
  if (docDate && (stamped ?? signedAt).getTime() < docDate.getTime())
    return invalid('before-document', { ...base, ...who });
  const decision = evaluatePath(chain, trust.anchors, {
    at: stamped ? [stamped] : [now, signedAt],
    crls: trust.crls,
    now,
    ...(stamped ? { revokedBefore: stamped } : {}),
  });
  if (!decision.trusted) {
    if (decision.reason === 'revoked')
      return { status: 'invalid', code: 'SIGNATURE_REVOKED', reason: 'revoked', ...base, ...who };
    if (decision.reason === 'key-usage' || decision.reason === 'path-length')
      return invalid(decision.reason, { ...base, ...who });
    return { status: 'untrusted', code: 'SIGNATURE_UNTRUSTED', reason: decision.reason, ...base, ...who };
  }
  trust.notePoints?.(decision.crlUrls);
  if (bound !== speaksFor) return notSender();
  return {
    status: 'valid',
    ...base,
    ...who,
    ...(stamped ? { timestampedAt: stamped.toISOString() } : {}),
    ...(decision.revocationUnknown ? { warnings: ['REVOCATION_UNKNOWN' as const] } : {}),
  };
}
