/**
 * Who speaks for whom (SPEC §7): the organisation a signer's certificate names, and the one a
 * document speaks for. A handover and a withdrawal speak for their sender, a receipt for its
 * receiver; the signature counts for the document only when the two are the same.
 */
import type { X509Certificate } from 'node:crypto';
import { certFacts } from './x509.js';

const NTRFI = /^NTRFI-(\d{7}-\d)$/;

/**
 * The business ID of organizationIdentifier "NTRFI-<business ID>" (ETSI EN 319 412-1) in the
 * certificate's subject; undefined when there is none, or when two values disagree (a
 * certificate that names two organisations speaks for neither).
 */
export function certificateBusinessId(cert: X509Certificate): string | undefined {
  let values: string[];
  try {
    values = certFacts(cert).organizationIdentifiers;
  } catch {
    return undefined;
  }
  const ids = new Set(values.flatMap((v) => NTRFI.exec(v)?.[1] ?? []));
  return ids.size === 1 ? [...ids][0] : undefined;
}

const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** The business ID the document speaks for: a receipt's receiver, a directory's issuer, else the sender. */
export function speakerOf(doc: unknown): string {
  const d = obj(doc);
  if (d.kind === 'directory') {
    const id = obj(d.issuer).businessId;
    return typeof id === 'string' ? id : '';
  }
  const party = d.kind === 'receipt' ? d.receiver : d.sender;
  const id = obj(obj(party).organization).businessId;
  return typeof id === 'string' ? id : '';
}

/**
 * The organisation the signer speaks for: the certificate's own organizationIdentifier, else a
 * binding made for exactly this certificate in the trust store. A binding of a CA is not
 * inherited: a trusted CA does not let its subjects speak for another organisation.
 */
export function signerBusinessId(
  leaf: X509Certificate,
  bindings: ReadonlyMap<string, string> | undefined,
): string | undefined {
  return certificateBusinessId(leaf) ?? bindings?.get(leaf.fingerprint256);
}
