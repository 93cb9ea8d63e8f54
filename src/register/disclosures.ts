/**
 * The log of use and disclosure (act 703/2023 10 §, SPEC §12): what each event records, and
 * how the youth is keyed. The register holds no identity code: an event carries HMAC-SHA-256
 * of the normalised identity code (or, without one, of the birth date and name) under a secret
 * of the organisation, with that secret's id, so that a rotated secret still finds old events.
 * An unkeyed hash would not do: identity codes are few enough to try them all.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Handover } from '../schema/types.js';
import { osUser } from './audit-types.js';
import type { LogEventRow, Register, RegisterRows, YouthRef } from './repository.js';

export type { LogEventRow, YouthRef } from './repository.js';

/** A new secret for the youth key: 256 random bits, named by a random id. */
export const newSecret = (): { id: string; secret: Buffer } => ({
  id: `yk-${randomBytes(6).toString('hex')}`,
  secret: randomBytes(32),
});

/** An identity code as keyed: without spaces, upper case (the check character and century sign). */
export const normaliseCode = (code: string): string => code.replace(/\s+/g, '').toUpperCase();

/** Whether a document's youth member (of a file not yet trusted to be valid) can be keyed. */
export function keyableYouth(y: unknown): y is Handover['youth'] {
  if (typeof y !== 'object' || y === null) return false;
  const o = y as Partial<Handover['youth']>;
  return (
    typeof o.personalIdentityCode === 'string' ||
    (typeof o.birthDate === 'string' &&
      typeof o.name?.given === 'string' &&
      typeof o.name?.family === 'string')
  );
}

/** What is keyed for a youth: the identity code when the file has one, else birth date and name. */
export function youthMaterial(youth: Handover['youth']): string {
  if (youth.personalIdentityCode) return `hetu:${normaliseCode(youth.personalIdentityCode)}`;
  const n = (s: string) => s.normalize('NFC').trim().toLowerCase();
  return `name:${youth.birthDate}:${n(youth.name.family)}:${n(youth.name.given)}`;
}

const hmac = (secret: Buffer, material: string): string =>
  createHmac('sha256', secret).update(material, 'utf8').digest('hex');

/** The youth's key under the organisation's current secret (made on first use). */
export async function youthRef(reg: Register, youth: Handover['youth']): Promise<YouthRef> {
  const [current] = await reg.youthSecrets(true);
  if (!current) throw new Error('no youth secret');
  return { keyId: current.id, key: hmac(current.secret, youthMaterial(youth)) };
}

/** The key of an identity code under the organisation's current secret (made on first use). */
export async function youthRefForCode(reg: Register, code: string): Promise<YouthRef> {
  const [current] = await reg.youthSecrets(true);
  if (!current) throw new Error('no youth secret');
  return { keyId: current.id, key: hmac(current.secret, `hetu:${normaliseCode(code)}`) };
}

/** Every key the youth may have been logged under: each code they have had, under each secret. */
export async function youthRefsForCodes(reg: Register, codes: readonly string[]): Promise<YouthRef[]> {
  const secrets = await reg.youthSecrets(false);
  return secrets.flatMap((s) =>
    codes.map((c) => ({ keyId: s.id, key: hmac(s.secret, `hetu:${normaliseCode(c)}`) })),
  );
}

export type LogEventInput = Omit<
  LogEventRow,
  | 'id'
  | 'at'
  | 'worker'
  | 'receiverName'
  | 'receiverBusinessId'
  | 'categories'
  | 'basis'
  | 'documentId'
  | 'sha256'
> &
  Partial<
    Pick<
      LogEventRow,
      'receiverName' | 'receiverBusinessId' | 'categories' | 'basis' | 'documentId' | 'sha256'
    >
  > & {
    at?: Date;
  };

/** Records one event; the worker is the OS user who acted, as in the audit chain. */
export async function logEvent(rows: RegisterRows, e: LogEventInput): Promise<LogEventRow> {
  const row: LogEventRow = {
    id: randomUUID(),
    at: (e.at ?? new Date()).toISOString(),
    type: e.type,
    action: e.action,
    worker: osUser(),
    purpose: e.purpose,
    youth: e.youth,
    receiverName: e.receiverName ?? null,
    receiverBusinessId: e.receiverBusinessId ?? null,
    categories: e.categories ?? [],
    basis: e.basis ?? null,
    documentId: e.documentId ?? null,
    sha256: e.sha256 ?? null,
  };
  await rows.putEvent(row);
  return row;
}

/** The basis of a handover's disclosure: consent, or the statutory provision it names. */
export const basisOf = (doc: Handover): string | null =>
  doc.consent === undefined
    ? null
    : doc.consent.basis === 'consent'
      ? 'consent'
      : (doc.consent.statutoryReference ?? 'statutory');

/** A handover sent to its recipient: a disclosure of the categories its consent scope names. */
export function sentEvent(doc: Handover, sha256: string, youth: YouthRef | null, at?: Date): LogEventInput {
  return {
    type: 'disclosure',
    action: 'sent',
    purpose: doc.type,
    youth,
    receiverName: doc.recipient.organization.name,
    receiverBusinessId: doc.recipient.organization.businessId,
    categories: [...(doc.consent?.scope ?? [])],
    basis: basisOf(doc),
    documentId: doc.id,
    sha256,
    ...(at ? { at } : {}),
  };
}

/** Logs a use of a handover file (a letter or copy made, `show`) under the youth it is about. */
export async function logUse(
  reg: Register,
  doc: Handover,
  action: 'letter' | 'youth-copy' | 'show',
  sha256: string,
): Promise<void> {
  const youth = await youthRef(reg, doc.youth);
  await reg.transaction(async (tx) => {
    await logEvent(tx, { type: 'use', action, purpose: doc.type, youth, documentId: doc.id, sha256 });
  });
}
