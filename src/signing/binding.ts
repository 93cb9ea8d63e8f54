/**
 * Who a certificate speaks for (SPEC §7): the business ID in its subject's
 * organizationIdentifier (OID 2.5.4.97), "NTRFI-<business ID>" as ETSI EN 319 412-1 writes a
 * national trade-register identifier, and as `keys init` writes it.
 */
import type { X509Certificate } from 'node:crypto';

const NTRFI = /^NTRFI-(\d{7}-\d)$/i;

/**
 * The business ID the certificate names, or undefined when it names none, names it in
 * another scheme, or names more than one: a certificate that could speak for two
 * organisations speaks for neither. Node builds the legacy subject object from the name's
 * entries themselves, so a crafted CN cannot forge an organizationIdentifier.
 */
export function certificateBusinessId(cert: X509Certificate): string | undefined {
  const raw = (cert.toLegacyObject().subject as Record<string, unknown> | undefined)?.organizationIdentifier;
  const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
  const ids = new Set(values.map((v) => NTRFI.exec(v.trim())?.[1]));
  if (ids.size !== 1) return undefined;
  const [id] = ids;
  return id;
}
