/**
 * What `import` decides about one arriving document, as pure functions of what arrived and
 * what the register holds: no files, no keys, no clock. The effects (signing the receipt,
 * committing the row) follow in `index.ts`; the table of cases is in decide.test.ts.
 */
import type { HandoverStatus } from '../../register/index.js';

/** A finding's code and place: all a decision needs of it. */
export interface Problem {
  rule: string;
  pointer: string;
  /** An intact signature whose signer is not in the trust store: `trust add` would settle it. */
  awaitsTrust?: unknown;
}

export type HandoverDecision =
  /** No UUID to answer: no receipt can name it. */
  | { action: 'no-id' }
  /** An accepted handover with this id had other bytes: the id is bound to the first content. */
  | { action: 'conflict' }
  /** The same bytes again, accepted before or rejected for the same reasons: nothing changes. */
  | { action: 'duplicate' }
  /** Addressed to another organisation: we are not its receiver, so no receipt and no row (SPEC §8). */
  | { action: 'not-ours' }
  /**
   * Intact but signed by a signer not yet trusted: not the sender's fault, so no receipt;
   * registered as awaiting trust and decided on the next import after `trust add` (SPEC §3).
   */
  | { action: 'await-trust' }
  /** Judged (afresh): a signed receipt with this outcome. */
  | { action: 'receipt'; outcome: 'accepted' | 'rejected' };

export interface HandoverFacts {
  id: string | undefined;
  sha256: string;
  /** The register's row for this id as received, with the rules of our receipt when it was rejected. */
  previous?: { status: HandoverStatus; sha256: string; receiptRules?: string[] };
  /** The errors found so far: signature, schema and rules. */
  errors: Problem[];
  /** The business id the handover is addressed to, and ours. */
  addressedTo: string;
  ours: string;
}

const sameRules = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((r, i) => r === b[i]);

export function decideHandover(f: HandoverFacts): HandoverDecision {
  if (!f.id) return { action: 'no-id' };
  // A bad business id is already its own finding (and gets a rejected receipt): "not ours"
  // is for a well-formed id of another organisation.
  if (
    f.addressedTo !== '' &&
    f.addressedTo !== f.ours &&
    !f.errors.some((e) => e.pointer === '/recipient/organization/businessId')
  )
    return { action: 'not-ours' };
  const prev = f.previous;
  // Awaiting trust is no decision yet: the file is judged afresh, as after a rejection.
  if (prev && prev.status !== 'rejected' && prev.status !== 'awaiting-trust')
    return prev.sha256 === f.sha256 ? { action: 'duplicate' } : { action: 'conflict' };
  if (
    prev?.receiptRules &&
    prev.sha256 === f.sha256 &&
    f.errors.length > 0 &&
    sameRules(
      prev.receiptRules,
      f.errors.map((e) => e.rule),
    )
  )
    return { action: 'duplicate' };
  if (f.errors.some((e) => Boolean(e.awaitsTrust))) return { action: 'await-trust' };
  return { action: 'receipt', outcome: f.errors.length === 0 ? 'accepted' : 'rejected' };
}

/**
 * A correction speaks for the sender of the handover it replaces (SPEC §7): only that
 * organisation may supersede it. Nothing to check when we never received the one it names.
 */
export function supersedeProblem(
  senderBusinessId: string,
  superseded: { senderBusinessId: string } | undefined,
): (Problem & { recorded: string }) | undefined {
  if (!superseded || superseded.senderBusinessId === senderBusinessId) return undefined;
  return { rule: 'SIGNER_NOT_SENDER', pointer: '/supersedes', recorded: superseded.senderBusinessId };
}

/** Is an answer at `at` newer than the one that set the current status at `current`? */
const newer = (at: string, current: string | undefined): boolean => {
  if (current === undefined) return true;
  const a = Date.parse(at);
  const c = Date.parse(current);
  // An unreadable time of ours cannot order anything: the arriving answer is taken.
  return Number.isNaN(c) || (!Number.isNaN(a) && a > c);
};

/** Where a receipt's answer leaves our sent handover. */
const SENT_OPEN: HandoverStatus[] = ['sent', 'acknowledged', 'rejected'];

export type ReceiptDecision =
  | {
      action: 'reject';
      /** SIGNER_NOT_SENDER: the receipt speaks for another organisation than the recorded recipient. */
      rule?: 'RECEIPT_UNKNOWN_HANDOVER' | 'SIGNER_NOT_SENDER' | 'RECEIPT_HASH_MISMATCH';
    }
  | { action: 'duplicate'; status: HandoverStatus }
  /** Older than the answer that set the status: recorded, the status stays (RECEIPT_STALE). */
  | { action: 'stale'; status: HandoverStatus }
  | { action: 'apply'; status: HandoverStatus };

export interface ReceiptFacts {
  errors: Problem[];
  outcome: 'accepted' | 'rejected';
  receiverBusinessId: string;
  handoverSha256: string;
  /** This receipt's own time. */
  receivedAt: string;
  /** Our row of the handover as sent, when there is one. */
  sent?: { status: HandoverStatus; recipientBusinessId: string; sha256: string };
  /** receivedAt of the receipt that set the current status, when one did. */
  currentAt?: string;
  /** This receipt's id is in the register already. */
  known: boolean;
}

export function decideReceipt(f: ReceiptFacts): ReceiptDecision {
  if (f.errors.length > 0) return { action: 'reject' };
  const sent = f.sent;
  if (!sent) return { action: 'reject', rule: 'RECEIPT_UNKNOWN_HANDOVER' };
  // Only the recipient recorded when we sent it may answer: anyone else, whatever the
  // answer says (a "not addressed to us" included), could otherwise flip our status.
  if (sent.recipientBusinessId !== f.receiverBusinessId)
    return { action: 'reject', rule: 'SIGNER_NOT_SENDER' };
  if (sent.sha256 !== f.handoverSha256) return { action: 'reject', rule: 'RECEIPT_HASH_MISMATCH' };
  if (f.known) return { action: 'duplicate', status: sent.status };
  if (!newer(f.receivedAt, f.currentAt)) return { action: 'stale', status: sent.status };
  const status: HandoverStatus = SENT_OPEN.includes(sent.status)
    ? f.outcome === 'accepted'
      ? 'acknowledged'
      : 'rejected'
    : sent.status;
  return { action: 'apply', status };
}

export type WithdrawalDecision =
  | { action: 'reject'; rule?: 'WITHDRAWAL_UNKNOWN_HANDOVER' | 'SIGNER_NOT_SENDER' }
  | { action: 'duplicate'; status: HandoverStatus }
  | { action: 'stale'; status: HandoverStatus }
  | { action: 'apply'; status: 'withdrawn' };

export interface WithdrawalFacts {
  errors: Problem[];
  senderBusinessId: string;
  withdrawnAt: string;
  /** Our row of the handover as received, when there is one. */
  received?: { status: HandoverStatus; senderBusinessId: string; createdAt: string };
  /** withdrawnAt of the withdrawal already applied to it, when one was. */
  currentAt?: string;
  known: boolean;
}

export function decideWithdrawal(f: WithdrawalFacts): WithdrawalDecision {
  if (f.errors.length > 0) return { action: 'reject' };
  if (!f.received) return { action: 'reject', rule: 'WITHDRAWAL_UNKNOWN_HANDOVER' };
  // A withdrawal speaks for the sender recorded when the handover arrived, no one else.
  if (f.received.senderBusinessId !== f.senderBusinessId)
    return { action: 'reject', rule: 'SIGNER_NOT_SENDER' };
  if (f.known) return { action: 'duplicate', status: f.received.status };
  // Older than the withdrawal that set the status, or than the handover it withdraws: a replay.
  if (!newer(f.withdrawnAt, f.currentAt) || !newer(f.withdrawnAt, f.received.createdAt || undefined))
    return { action: 'stale', status: f.received.status };
  return { action: 'apply', status: 'withdrawn' };
}
