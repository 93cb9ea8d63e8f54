/** `handover trust`: partner certificates whose signatures we accept. */
import { readFileSync } from 'node:fs';
import { EXIT, HandoverError } from '../errors.js';
import { appendAudit } from '../register/audit.js';
import { validAt } from '../signing/certs.js';
import { addTrusted, loadTrustStore, removeTrusted, type TrustEntry } from '../signing/trust.js';

/** What `trust` commands return: the entry without the parsed certificate object. */
export interface TrustInfo {
  name: string;
  subject: string;
  fingerprint256: string;
  notBefore: string;
  notAfter: string;
  expired: boolean;
}

const info = (e: TrustEntry, now: Date): TrustInfo => ({
  name: e.name,
  subject: e.subject,
  fingerprint256: e.fingerprint256,
  notBefore: e.notBefore,
  notAfter: e.notAfter,
  expired: !validAt(e.cert, now),
});

export function trustAdd(opts: { file: string; name?: string; now?: Date }): TrustInfo & { added: boolean } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(opts.file);
  } catch (e) {
    throw new HandoverError('PATH_NOT_FOUND', EXIT.usage, { vars: { file: opts.file }, cause: e });
  }
  const text = bytes.toString('latin1').includes('-----BEGIN CERTIFICATE-----')
    ? bytes.toString('utf8')
    : `-----BEGIN CERTIFICATE-----\n${bytes.toString('base64')}\n-----END CERTIFICATE-----\n`;
  const { entry, added } = addTrusted(text, opts.name);
  appendAudit(
    {
      event: 'trust',
      outcome: 'ok',
      detail: `${added ? 'add' : 'already'}:${entry.name}`,
      sha256: entry.fingerprint256.replace(/:/g, '').toLowerCase(),
    },
    opts.now,
  );
  return { ...info(entry, opts.now ?? new Date()), added };
}

export function trustList(opts: { now?: Date } = {}): TrustInfo[] {
  const now = opts.now ?? new Date();
  return loadTrustStore().map((e) => info(e, now));
}

export function trustRemove(opts: { nameOrFingerprint: string; now?: Date }): TrustInfo {
  const e = removeTrusted(opts.nameOrFingerprint);
  appendAudit(
    {
      event: 'trust',
      outcome: 'ok',
      detail: `remove:${e.name}`,
      sha256: e.fingerprint256.replace(/:/g, '').toLowerCase(),
    },
    opts.now,
  );
  return info(e, opts.now ?? new Date());
}
