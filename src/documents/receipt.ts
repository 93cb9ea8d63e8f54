/**
 * Receipts and withdrawal notices as documents (SPEC §8): their file names, their unsigned
 * form, and the check of a responsible worker given on the command line. Signing and writing
 * are left to the services that own the transaction around them.
 */
import { randomUUID } from 'node:crypto';
import { EXIT, HandoverError } from '../core/errors.js';
import type { Reason } from '../register/index.js';
import type { AnyReceipt, AnyWithdrawal, Party, Person, SchemaVersion } from '../schema/types.js';
import { NEWEST_VERSION, validateSchema, versionOf } from '../schema/validator.js';

/** The schema caps reasons; a file with more errors than that is rejected for its first ones. */
export const MAX_REASONS = 500;

/**
 * The version a receipt or withdrawal is written in: that of the handover it answers (SPEC
 * §5.1), so that its sender can read it; the newest for a handover of a version we do not read.
 */
export const answerVersion = (handover: unknown): SchemaVersion => versionOf(handover) ?? NEWEST_VERSION;

/** A Party as a version has it: billing is a 1.1 member, never written into a 1.0 document. */
function partyIn(version: SchemaVersion, p: Party): Party {
  if (version !== '1.0' || p.billing === undefined) return p;
  const { billing: _, ...rest } = p;
  return rest;
}

/** The own Party with the responsible worker (when named) as its contact. */
export function receiverParty(own: Party, responsible?: Person): Party {
  return responsible ? { ...own, contact: responsible } : own;
}

/**
 * A responsible worker from flags: the Person shape of the schema (a name and an e-mail or a
 * phone). Checked before any file is touched, so that a typo fails the run with exit 2.
 */
export function checkResponsible(p: { name?: string; email?: string; phone?: string }): Person | undefined {
  if (p.name === undefined && p.email === undefined && p.phone === undefined) return undefined;
  const person: Person = { name: (p.name ?? '').trim() };
  if (p.email !== undefined) person.email = p.email.trim();
  if (p.phone !== undefined) person.phone = p.phone.trim();
  const probe = {
    kind: 'receipt',
    schemaVersion: NEWEST_VERSION,
    id: randomUUID(),
    handoverId: randomUUID(),
    handoverSha256: '0'.repeat(64),
    receivedAt: new Date().toISOString(),
    receiver: { organization: { name: 'x', businessId: 'x' }, contact: person },
    outcome: 'accepted',
  };
  const issues = validateSchema('receipt', probe).filter((i) => i.pointer.startsWith('/receiver/contact'));
  if (issues.length > 0) {
    throw new HandoverError('RESPONSIBLE_INVALID', EXIT.usage, {
      key: 'import.RESPONSIBLE_INVALID',
      details: issues.map((i) => ({
        pointer: i.pointer.replace('/receiver/contact', ''),
        message: i.keyword,
      })),
    });
  }
  return person;
}

export function buildReceipt(input: {
  id?: string;
  handoverId: string;
  handoverSha256: string;
  receivedAt: Date | string;
  receiver: Party;
  reasons: Reason[];
  /** The version of the handover answered (answerVersion). */
  schemaVersion: SchemaVersion;
}): AnyReceipt {
  const r: AnyReceipt = {
    kind: 'receipt',
    schemaVersion: input.schemaVersion,
    id: input.id ?? randomUUID(),
    handoverId: input.handoverId,
    handoverSha256: input.handoverSha256,
    receivedAt: typeof input.receivedAt === 'string' ? input.receivedAt : input.receivedAt.toISOString(),
    receiver: partyIn(input.schemaVersion, input.receiver),
    outcome: input.reasons.length > 0 ? 'rejected' : 'accepted',
  };
  if (input.reasons.length > 0) r.reasons = input.reasons.slice(0, MAX_REASONS);
  return r;
}

export function buildWithdrawal(input: {
  id?: string;
  handoverId: string;
  reason: string;
  withdrawnAt: Date | string;
  sender: Party;
  /** The version of the handover withdrawn (answerVersion). */
  schemaVersion: SchemaVersion;
}): AnyWithdrawal {
  return {
    kind: 'withdrawal',
    schemaVersion: input.schemaVersion,
    id: input.id ?? randomUUID(),
    handoverId: input.handoverId,
    reason: input.reason.trim(),
    withdrawnAt: typeof input.withdrawnAt === 'string' ? input.withdrawnAt : input.withdrawnAt.toISOString(),
    sender: partyIn(input.schemaVersion, input.sender),
  };
}

/** Serialised as the files are written: two-space JSON and a final newline. */
export const documentText = (doc: object): string => `${JSON.stringify(doc, null, 2)}\n`;
