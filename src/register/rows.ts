/** The rows of the register as the program sees them, and how SQLite's rows become them. */

export type Direction = 'sent' | 'received';
export const HANDOVER_STATUSES = [
  'sent',
  'acknowledged',
  'rejected',
  'received',
  'accepted',
  'withdrawn',
  'superseded',
  // Received with an intact signature by a signer not yet trusted: registered, no receipt,
  // decided on the next import after `trust add` (SPEC §3, §8).
  'awaiting-trust',
] as const;
export type HandoverStatus = (typeof HANDOVER_STATUSES)[number];
export const isHandoverStatus = (v: unknown): v is HandoverStatus =>
  typeof v === 'string' && (HANDOVER_STATUSES as readonly string[]).includes(v);

export interface Reason {
  rule: string;
  pointer?: string;
}

export interface HandoverRow {
  id: string;
  direction: Direction;
  type: string;
  senderBusinessId: string;
  senderName: string;
  recipientBusinessId: string;
  recipientName: string;
  createdAt: string;
  /** sentAt for a sent handover, receivedAt for a received one. */
  eventAt: string;
  sha256: string;
  status: HandoverStatus;
  supersedes: string | null;
  supersededBy: string | null;
  /** The receipt we issued (received) or got back (sent). */
  receiptId: string | null;
  /** Rule codes of a rejection, ours (received) or the recipient's (sent). */
  rejectionCodes: string[];
  /** Name of the file, never carrying personal data (`<yyyymmdd>-<id8>.handover.json`). */
  fileName: string | null;
  updatedAt: string;
  /** A sent handover's replyBy (YYYY-MM-DD), when its file names one. */
  replyBy?: string;
}

export interface ReceiptRow {
  id: string;
  /** issued: we wrote it for a handover we received; received: it came back for one we sent. */
  direction: 'issued' | 'received';
  handoverId: string;
  handoverSha256: string;
  receivedAt: string;
  outcome: 'accepted' | 'rejected';
  reasons: Reason[];
  receiverBusinessId: string;
  sha256: string | null;
  fileName: string | null;
  recordedAt: string;
}

export interface WithdrawalRow {
  id: string;
  /** issued: we withdrew a handover we sent; received: the sender withdrew one we received. */
  direction: 'issued' | 'received';
  handoverId: string;
  withdrawnAt: string;
  senderBusinessId: string;
  sha256: string | null;
  fileName: string | null;
  recordedAt: string;
}

export type Row = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v : String(v ?? ''));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const jsonArray = <T>(v: unknown): T[] => {
  try {
    const a = JSON.parse(str(v)) as unknown;
    return Array.isArray(a) ? (a as T[]) : [];
  } catch {
    return [];
  }
};

export function toHandover(r: Row): HandoverRow {
  return {
    id: str(r.id),
    direction: str(r.direction) as Direction,
    type: str(r.type),
    senderBusinessId: str(r.sender_business_id),
    senderName: str(r.sender_name),
    recipientBusinessId: str(r.recipient_business_id),
    recipientName: str(r.recipient_name),
    createdAt: str(r.created_at),
    eventAt: str(r.event_at),
    sha256: str(r.sha256),
    status: str(r.status) as HandoverStatus,
    supersedes: strOrNull(r.supersedes),
    supersededBy: strOrNull(r.superseded_by),
    receiptId: strOrNull(r.receipt_id),
    rejectionCodes: jsonArray<string>(r.rejection_codes),
    fileName: strOrNull(r.file_name),
    updatedAt: str(r.updated_at),
    ...(typeof r.reply_by === 'string' ? { replyBy: r.reply_by } : {}),
  };
}

export function toReceipt(r: Row): ReceiptRow {
  return {
    id: str(r.id),
    direction: str(r.direction) as ReceiptRow['direction'],
    handoverId: str(r.handover_id),
    handoverSha256: str(r.handover_sha256),
    receivedAt: str(r.received_at),
    outcome: str(r.outcome) as ReceiptRow['outcome'],
    reasons: jsonArray<Reason>(r.reasons),
    receiverBusinessId: str(r.receiver_business_id),
    sha256: strOrNull(r.sha256),
    fileName: strOrNull(r.file_name),
    recordedAt: str(r.recorded_at),
  };
}

export function toWithdrawal(r: Row): WithdrawalRow {
  return {
    id: str(r.id),
    direction: str(r.direction) as WithdrawalRow['direction'],
    handoverId: str(r.handover_id),
    withdrawnAt: str(r.withdrawn_at),
    senderBusinessId: str(r.sender_business_id),
    sha256: strOrNull(r.sha256),
    fileName: strOrNull(r.file_name),
    recordedAt: str(r.recorded_at),
  };
}
