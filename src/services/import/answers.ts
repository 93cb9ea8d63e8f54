/** A receipt or a withdrawal arrives: it answers a handover in our register, or is refused. */
import { documentFileName, receiptFileName } from '../../documents/names.js';
import type { Receipt, Withdrawal } from '../../schema/types.js';
import { decideReceipt, decideWithdrawal } from './decide.js';
import { finding, orgOf } from './steps.js';
import type { Ctx, ImportFileResult, ImportFinding } from './types.js';

export function importReceipt(res: ImportFileResult, doc: Receipt, errors: ImportFinding[], ctx: Ctx): void {
  const { lang } = ctx.opts;
  res.handoverId = doc.handoverId;
  const receiver = orgOf(doc.receiver);
  res.answer = { outcome: doc.outcome, reasons: doc.reasons ?? [], receiver: receiver.name };
  if (doc.receiver?.contact) res.answer.contact = doc.receiver.contact;
  const sent = errors.length === 0 ? ctx.reg.getHandover(doc.handoverId, 'sent') : undefined;
  const decision = decideReceipt({
    errors,
    outcome: doc.outcome,
    reasonRules: (doc.reasons ?? []).map((r) => r.rule),
    receiverBusinessId: receiver.businessId,
    handoverSha256: doc.handoverSha256,
    ...(sent ? { sent } : {}),
    known: errors.length === 0 && ctx.reg.getReceipt(doc.id) !== undefined,
  });
  if (decision.action === 'reject') {
    if (decision.rule === 'RECEIPT_UNKNOWN_HANDOVER')
      errors.push(finding(decision.rule, '/handoverId', lang, { id: doc.handoverId }));
    else if (decision.rule === 'RECEIPT_WRONG_RECEIVER')
      errors.push(finding(decision.rule, '/receiver/organization/businessId', lang));
    else if (decision.rule === 'RECEIPT_HASH_MISMATCH')
      errors.push(finding(decision.rule, '/handoverSha256', lang));
  }
  res.findings.unshift(...errors);
  if (decision.action === 'reject') {
    res.outcome = 'rejected';
    return;
  }
  res.status = decision.status;
  if (decision.action === 'duplicate') {
    res.outcome = 'duplicate';
    return;
  }
  res.outcome = 'accepted';
  const newStatus = decision.status;
  if (ctx.opts.dryRun) return;
  ctx.reg.transaction(() => {
    ctx.reg.putReceipt({
      id: doc.id,
      direction: 'received',
      handoverId: doc.handoverId,
      handoverSha256: doc.handoverSha256,
      receivedAt: doc.receivedAt,
      outcome: doc.outcome,
      reasons: (doc.reasons ?? []).map((r) => ({
        rule: r.rule,
        ...(r.pointer !== undefined ? { pointer: r.pointer } : {}),
      })),
      receiverBusinessId: receiver.businessId,
      sha256: res.sha256 ?? null,
      fileName: receiptFileName(new Date(doc.receivedAt), doc.id),
    });
    ctx.reg.updateHandover(
      doc.handoverId,
      'sent',
      {
        status: newStatus,
        receiptId: doc.id,
        rejectionCodes: [...new Set((doc.reasons ?? []).map((r) => r.rule))],
      },
      ctx.now(),
    );
  });
}

export function importWithdrawal(
  res: ImportFileResult,
  doc: Withdrawal,
  errors: ImportFinding[],
  ctx: Ctx,
): void {
  const { lang } = ctx.opts;
  res.handoverId = doc.handoverId;
  const sender = orgOf(doc.sender);
  res.from = { organization: sender.name, businessId: sender.businessId };
  const received = errors.length === 0 ? ctx.reg.getHandover(doc.handoverId, 'received') : undefined;
  const decision = decideWithdrawal({
    errors,
    senderBusinessId: sender.businessId,
    ...(received ? { received } : {}),
    known: errors.length === 0 && ctx.reg.getWithdrawal(doc.id) !== undefined,
  });
  if (decision.action === 'reject' && decision.rule === 'WITHDRAWAL_UNKNOWN_HANDOVER')
    errors.push(finding(decision.rule, '/handoverId', lang, { id: doc.handoverId }));
  else if (decision.action === 'reject' && decision.rule === 'WITHDRAWAL_WRONG_SENDER')
    errors.push(finding(decision.rule, '/sender/organization/businessId', lang));
  res.findings.unshift(...errors);
  if (decision.action === 'reject') {
    res.outcome = 'rejected';
    return;
  }
  res.status = decision.status;
  if (decision.action === 'duplicate') {
    res.outcome = 'duplicate';
    return;
  }
  res.outcome = 'accepted';
  if (ctx.opts.dryRun) return;
  ctx.reg.transaction(() => {
    ctx.reg.putWithdrawal({
      id: doc.id,
      direction: 'received',
      handoverId: doc.handoverId,
      withdrawnAt: doc.withdrawnAt,
      senderBusinessId: sender.businessId,
      sha256: res.sha256 ?? null,
      fileName: documentFileName(new Date(doc.withdrawnAt), doc.handoverId, 'withdrawal'),
    });
    ctx.reg.updateHandover(doc.handoverId, 'received', { status: 'withdrawn' }, ctx.now());
  });
}
