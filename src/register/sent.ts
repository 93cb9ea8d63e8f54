/** Our own handovers as sent: the register rows that `new`, `withdraw` and the tests record. */

import { EXIT, HandoverError } from '../core/errors.js';
import { isDate } from '../domain/dates.js';
import type { Handover } from '../schema/types.js';
import { keyableYouth, logEvent, sentEvent, youthRef } from './disclosures.js';
import { type HandoverRow, openRegister } from './index.js';
import type { Register, RegisterRows, YouthRef } from './repository.js';

/**
 * Records a sent handover as a `sent` row in a transaction of its own (or inside `reg` when
 * a caller already holds one). A handover with `supersedes` marks the earlier one superseded.
 * Sending the same id again with the same bytes changes nothing; with other bytes it is
 * ID_CONFLICT (exit 1): an id names one document for both parties.
 */
export async function registerSent(
  doc: Handover,
  sha256: string,
  fileName: string,
  opts: { now?: Date; register?: Register } = {},
): Promise<void> {
  const reg = opts.register ?? (await openRegister());
  const now = opts.now ?? new Date();
  try {
    const youth = keyableYouth(doc.youth) ? await youthRef(reg, doc.youth) : null;
    await reg.transaction((tx) => recordSent(tx, doc, sha256, fileName, now, youth), { lock: [doc.id] });
  } finally {
    if (!opts.register) await reg.close();
  }
}

/** The body of registerSent, for callers already inside a transaction. */
export async function recordSent(
  reg: RegisterRows,
  doc: Handover,
  sha256: string,
  fileName: string,
  now: Date,
  /** The youth as the log of use and disclosure keys them (null: a file that names none): a first send is logged as a disclosure. */
  youth?: YouthRef | null,
): Promise<HandoverRow> {
  const existing = await reg.getHandover(doc.id, 'sent');
  if (existing) {
    if (existing.sha256 === sha256) return existing;
    throw new HandoverError('ID_CONFLICT', EXIT.invalid, {
      key: 'register.ID_CONFLICT',
      vars: { id: doc.id },
    });
  }
  const row: HandoverRow = {
    id: doc.id,
    direction: 'sent',
    type: doc.type,
    senderBusinessId: doc.sender.organization.businessId,
    senderName: doc.sender.organization.name,
    recipientBusinessId: doc.recipient.organization.businessId,
    recipientName: doc.recipient.organization.name,
    createdAt: doc.createdAt,
    eventAt: now.toISOString(),
    sha256,
    status: 'sent',
    supersedes: doc.supersedes ?? null,
    supersededBy: null,
    receiptId: null,
    rejectionCodes: [],
    fileName,
    updatedAt: now.toISOString(),
    ...(isDate(doc.replyBy) ? { replyBy: doc.replyBy } : {}),
  };
  await reg.putHandover(row);
  if (youth !== undefined) await logEvent(reg, sentEvent(doc, sha256, youth, now));
  if (doc.supersedes)
    await reg.updateHandover(doc.supersedes, 'sent', { status: 'superseded', supersededBy: doc.id }, now);
  return row;
}
