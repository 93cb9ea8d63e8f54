/** A receipt or a withdrawal arrives: it answers a handover in our register, or is refused. */

import { RULES } from '../../domain/rules/registry.js';
import { ruleMessage } from '../../i18n/findings.js';
import type { Lang } from '../../i18n/index.js';
import { documentFileName, receiptFileName } from '../../io/names.js';
import { logEvent } from '../../register/disclosures.js';
import type { HandoverStatus } from '../../register/index.js';
import type { RegisterRows } from '../../register/repository.js';
import type { Receipt, Withdrawal } from '../../schema/types.js';
import { decideReceipt, decideWithdrawal } from './decide.js';
import { finding, orgOf } from './steps.js';
import type { Ctx, ImportFileResult, ImportFinding } from './types.js';

/** A finding of the rule catalogue (SIGNER_NOT_SENDER, RECEIPT_STALE) with its severity. */
export function ruleFinding(
  rule: 'SIGNER_NOT_SENDER' | 'RECEIPT_STALE',
  pointer: string,
  lang: Lang,
  params: Record<string, string>,
): ImportFinding {
  const severity = RULES[rule].severity;
  return { rule, severity, pointer, message: ruleMessage({ rule, severity, pointer, params }, lang) };
}

/**
 * What a receipt's or withdrawal's decision makes of this file's result; true when the answer
 * is to be recorded (applied, or kept as stale with its warning and the status left alone).
 */
function settle(
  res: ImportFileResult,
  errors: ImportFinding[],
  decision: { action: 'reject' } | { action: 'duplicate' | 'stale' | 'apply'; status: HandoverStatus },
  staleFinding: () => ImportFinding,
): boolean {
  res.findings.unshift(...errors);
  if (decision.action === 'reject') {
    res.outcome = 'rejected';
    return false;
  }
  res.status = decision.status;
  if (decision.action === 'duplicate') {
    res.outcome = 'duplicate';
    return false;
  }
  res.outcome = 'accepted';
  if (decision.action === 'stale') res.findings.push(staleFinding());
  return true;
}

/**
 * Runs an answer's decision and its record in one transaction under the handover's lock: two
 * workers importing answers about one handover at once decide one after the other, each on
 * what the other committed. A retried attempt starts from the findings the file had before.
 */
async function decideUnderLock(
  ctx: Ctx,
  res: ImportFileResult,
  errors: ImportFinding[],
  handoverId: string,
  fn: (tx: RegisterRows) => Promise<void>,
): Promise<void> {
  const findings = res.findings.slice();
  const before = errors.length;
  await ctx.reg.transaction(
    (tx) => {
      res.findings = findings.slice();
      errors.length = before;
      return fn(tx);
    },
    { lock: [handoverId] },
  );
}

export async function importReceipt(
  res: ImportFileResult,
  doc: Receipt,
  errors: ImportFinding[],
  ctx: Ctx,
): Promise<void> {
  const { lang } = ctx.opts;
  res.handoverId = doc.handoverId;
  const receiver = orgOf(doc.receiver);
  res.answer = { outcome: doc.outcome, reasons: doc.reasons ?? [], receiver: receiver.name };
  if (doc.receiver?.contact) res.answer.contact = doc.receiver.contact;
  await decideUnderLock(ctx, res, errors, doc.handoverId, async (tx) => {
    const sent = errors.length === 0 ? await tx.getHandover(doc.handoverId, 'sent') : undefined;
    const current = sent?.receiptId ? await tx.getReceipt(sent.receiptId) : undefined;
    const known = errors.length === 0 && (await tx.getReceipt(doc.id)) !== undefined;
    const decision = decideReceipt({
      errors,
      outcome: doc.outcome,
      receiverBusinessId: receiver.businessId,
      handoverSha256: doc.handoverSha256,
      receivedAt: doc.receivedAt,
      ...(sent ? { sent } : {}),
      ...(current ? { currentAt: current.receivedAt } : {}),
      known,
    });
    if (decision.action === 'reject') {
      if (decision.rule === 'RECEIPT_UNKNOWN_HANDOVER')
        errors.push(finding(decision.rule, '/handoverId', lang, { id: doc.handoverId }));
      else if (decision.rule === 'SIGNER_NOT_SENDER' && sent)
        errors.push(
          ruleFinding(decision.rule, '/receiver/organization/businessId', lang, {
            reason: 'register',
            speaksFor: receiver.businessId,
            recorded: sent.recipientBusinessId,
          }),
        );
      else if (decision.rule === 'RECEIPT_HASH_MISMATCH')
        errors.push(finding(decision.rule, '/handoverSha256', lang));
    }
    const go = settle(res, errors, decision, () =>
      ruleFinding('RECEIPT_STALE', '/receivedAt', lang, { current: current?.receivedAt ?? '' }),
    );
    if (!go || decision.action === 'reject') return;
    const newStatus = decision.status;
    const stale = decision.action === 'stale';
    if (ctx.opts.dryRun) return;
    await tx.putReceipt({
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
    // The receipt is about the youth of the handover it answers (SPEC §12): logged under them.
    const youth = await tx.youthOfDocument(doc.handoverId);
    await logEvent(tx, {
      type: 'use',
      action: 'receipt',
      purpose: sent?.type ?? 'aftercare',
      youth: youth ?? null,
      receiverName: receiver.name,
      receiverBusinessId: receiver.businessId,
      documentId: doc.handoverId,
      sha256: res.sha256 ?? null,
      at: ctx.now(),
    });
    // A stale answer is kept for the record; the status stays with the newer one.
    if (stale) return;
    await tx.updateHandover(
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

export async function importWithdrawal(
  res: ImportFileResult,
  doc: Withdrawal,
  errors: ImportFinding[],
  ctx: Ctx,
): Promise<void> {
  const { lang } = ctx.opts;
  res.handoverId = doc.handoverId;
  const sender = orgOf(doc.sender);
  res.from = { organization: sender.name, businessId: sender.businessId };
  await decideUnderLock(ctx, res, errors, doc.handoverId, async (tx) => {
    const received = errors.length === 0 ? await tx.getHandover(doc.handoverId, 'received') : undefined;
    const current = received ? await tx.withdrawalFor(doc.handoverId, 'received') : undefined;
    const known = errors.length === 0 && (await tx.getWithdrawal(doc.id)) !== undefined;
    const decision = decideWithdrawal({
      errors,
      senderBusinessId: sender.businessId,
      withdrawnAt: doc.withdrawnAt,
      ...(received ? { received } : {}),
      ...(current ? { currentAt: current.withdrawnAt } : {}),
      known,
    });
    if (decision.action === 'reject' && decision.rule === 'WITHDRAWAL_UNKNOWN_HANDOVER')
      errors.push(finding(decision.rule, '/handoverId', lang, { id: doc.handoverId }));
    else if (decision.action === 'reject' && decision.rule === 'SIGNER_NOT_SENDER' && received)
      errors.push(
        ruleFinding(decision.rule, '/sender/organization/businessId', lang, {
          reason: 'register',
          speaksFor: sender.businessId,
          recorded: received.senderBusinessId,
        }),
      );
    const go = settle(res, errors, decision, () =>
      ruleFinding('RECEIPT_STALE', '/withdrawnAt', lang, {
        current: current?.withdrawnAt ?? received?.createdAt ?? '',
      }),
    );
    if (!go) return;
    const stale = decision.action === 'stale';
    if (ctx.opts.dryRun) return;
    await tx.putWithdrawal({
      id: doc.id,
      direction: 'received',
      handoverId: doc.handoverId,
      withdrawnAt: doc.withdrawnAt,
      senderBusinessId: sender.businessId,
      sha256: res.sha256 ?? null,
      fileName: documentFileName(new Date(doc.withdrawnAt), doc.handoverId, 'withdrawal'),
    });
    // A withdrawal is about the youth of the handover it withdraws (SPEC §12).
    await logEvent(tx, {
      type: 'use',
      action: 'withdrawal',
      purpose: received?.type || 'aftercare',
      youth: (await tx.youthOfDocument(doc.handoverId)) ?? null,
      receiverName: sender.name,
      receiverBusinessId: sender.businessId,
      documentId: doc.handoverId,
      sha256: res.sha256 ?? null,
      at: ctx.now(),
    });
    if (!stale) await tx.updateHandover(doc.handoverId, 'received', { status: 'withdrawn' }, ctx.now());
  });
}
