/** A handover arrives: decide, sign the receipt, commit the row, supersede (see commit.ts for the order of effects). */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { EXIT, HandoverError } from '../../core/errors.js';
import { answerVersion, buildReceipt, documentText, receiverParty } from '../../documents/receipt.js';
import { isUuid } from '../../domain/ids.js';
import { sha256Hex } from '../../io/hash.js';
import { documentFileName, receiptFileName } from '../../io/names.js';
import { keyableYouth, logEvent, youthRef } from '../../register/disclosures.js';
import type { HandoverRow, Reason } from '../../register/index.js';
import type { RegisterRows } from '../../register/repository.js';
import type { Person, SchemaVersion } from '../../schema/types.js';
import { ruleFinding } from './answers.js';
import { decideHandover, supersedeProblem } from './decide.js';
import { finding, obj, orgOf, short, signAnswer, writeReceipt } from './steps.js';
import type { Ctx, ImportFileResult, ImportFinding } from './types.js';

export async function importHandover(
  res: ImportFileResult,
  doc: unknown,
  errors: ImportFinding[],
  ctx: Ctx,
): Promise<void> {
  // A correction speaks for the sender recorded for the handover it replaces (SPEC §7): checked
  // once, before the judgement that a concurrent import may make us repeat.
  const d = obj(doc);
  const sender = orgOf(d.sender);
  const supersedes = isUuid(d.supersedes) ? d.supersedes.toLowerCase() : null;
  const replaced = supersedeProblem(
    sender.businessId,
    supersedes ? await ctx.reg.getHandover(supersedes, 'received') : undefined,
  );
  if (replaced)
    errors.push(
      ruleFinding('SIGNER_NOT_SENDER', replaced.pointer, ctx.opts.lang, {
        reason: 'register',
        speaksFor: sender.businessId,
        recorded: replaced.recorded,
      }),
    );
  const before = res.findings.slice();
  // Another process may register the same id between our look and our commit; the commit
  // then refuses (the decision is made again inside its transaction) and the file is judged
  // afresh on what that process committed: a conflict or a duplicate, never a second answer.
  for (let attempt = 0; attempt < 50; attempt++) {
    res.findings = before.slice();
    if (await judgeAndCommit(res, doc, errors, ctx)) return;
  }
  throw new HandoverError('REGISTER_BUSY', EXIT.environment, {
    key: 'register.REGISTER_UNAVAILABLE',
    vars: { file: ctx.reg.location, reason: 'busy' },
  });
}

/** What the register says about this handover id now, and the decision it leads to. */
async function judge(
  rows: RegisterRows,
  ctx: Ctx,
  id: string | undefined,
  sha: string,
  errors: ImportFinding[],
  addressed: string,
) {
  const prev = id ? await rows.getHandover(id, 'received') : undefined;
  const prevReceipt = prev?.receiptId ? await rows.getReceipt(prev.receiptId) : undefined;
  const decision = decideHandover({
    id,
    sha256: sha,
    ...(prev
      ? {
          previous: {
            status: prev.status,
            sha256: prev.sha256,
            ...(prevReceipt ? { receiptRules: prevReceipt.reasons.map((r) => r.rule) } : {}),
          },
        }
      : {}),
    errors,
    addressedTo: addressed,
    ours: ctx.own.organization.businessId,
  });
  // The facts the decision rests on: equal keys mean an equal decision.
  const key = JSON.stringify([decision, prev?.status, prev?.sha256, prev?.receiptId]);
  return { prev, prevReceipt, decision, key };
}

/** One judgement and its effects; false when the commit found the facts changed. */
async function judgeAndCommit(
  res: ImportFileResult,
  doc: unknown,
  errors: ImportFinding[],
  ctx: Ctx,
): Promise<boolean> {
  const { lang } = ctx.opts;
  const d = obj(doc);
  const id = isUuid(d.id) ? d.id.toLowerCase() : undefined;
  const sender = orgOf(d.sender);
  res.from = { organization: sender.name, businessId: sender.businessId };
  const contact = obj(d.sender).contact as Person | undefined;
  if (contact && typeof contact === 'object') res.from.contact = contact;
  if (typeof d.type === 'string') res.type = short(d.type, 40);
  const addressed = orgOf(d.recipient).businessId;
  const ours = ctx.own.organization.businessId;
  const sha = res.sha256!;
  const { prev, decision, key } = await judge(ctx.reg, ctx, id, sha, errors, addressed);
  if (decision.action === 'no-id' || !id) {
    res.outcome = 'rejected';
    const noId = doc !== undefined && !errors.some((e) => e.pointer === '/id');
    res.findings.unshift(...errors, ...(noId ? [finding('NO_HANDOVER_ID', '/id', lang)] : []));
    return true;
  }
  res.handoverId = id;
  const receivedAt = ctx.now();
  if (decision.action === 'conflict') {
    res.outcome = 'rejected';
    res.status = prev?.status;
    res.findings.unshift(finding('ID_CONFLICT', '/id', lang, { id }));
    return true;
  }
  if (decision.action === 'duplicate' && prev) {
    // Nothing changes, but a receipt lost to a crash is written now.
    res.outcome = 'duplicate';
    res.status = prev.status;
    if (prev.status === 'rejected') res.findings.unshift(...errors);
    await repairReceipt(res, prev, ctx, answerVersion(doc));
    return true;
  }
  if (decision.action === 'not-ours') {
    res.outcome = 'rejected';
    res.findings.unshift(
      finding('NOT_ADDRESSED_TO_US', '/recipient/organization/businessId', lang, { businessId: ours }),
      ...errors,
    );
    return true;
  }
  res.findings.unshift(...errors);
  if (decision.action === 'await-trust') return awaitTrust(res, d, errors, ctx, { id, sha, key, addressed });
  const reasons: Reason[] = errors.map((e) => ({ rule: e.rule, pointer: e.pointer }));
  const receipt = buildReceipt({
    handoverId: id,
    handoverSha256: sha,
    receivedAt,
    receiver: receiverParty(ctx.own, ctx.opts.responsible),
    reasons,
    schemaVersion: answerVersion(doc),
  });
  // Named from the receipt's own id (SPEC §8): the sender chooses the handover id.
  const target = join(ctx.outDir, receiptFileName(receivedAt, receipt.id));
  res.outcome = receipt.outcome;
  res.status = receipt.outcome === 'accepted' ? 'accepted' : 'rejected';
  res.receiptFile = target;
  res.receiptId = receipt.id;
  if (ctx.opts.dryRun) return true;
  const signed = await signAnswer(receipt, ctx, receivedAt, res);
  const text = documentText(signed);
  const type =
    typeof d.type === 'string' && ['aftercare', 'integration-support'].includes(d.type) ? d.type : '';
  const createdAt =
    typeof d.createdAt === 'string' && !Number.isNaN(Date.parse(d.createdAt)) ? d.createdAt : '';
  const supersedes = isUuid(d.supersedes) ? d.supersedes.toLowerCase() : null;
  // A handover received is a use of the youth's data (SPEC §12), logged under the youth.
  const youth = keyableYouth(d.youth) ? await youthRef(ctx.reg, d.youth) : null;
  const apply = async (tx: RegisterRows): Promise<boolean> => {
    if ((await judge(tx, ctx, id, sha, errors, addressed)).key !== key) return false;
    const row: HandoverRow = {
      id,
      direction: 'received',
      type,
      senderBusinessId: sender.businessId,
      senderName: sender.name,
      recipientBusinessId: addressed,
      recipientName: orgOf(d.recipient).name,
      createdAt: createdAt.slice(0, 40),
      eventAt: receivedAt.toISOString(),
      sha256: sha,
      status: res.status!,
      supersedes,
      supersededBy: null,
      receiptId: receipt.id,
      rejectionCodes: [...new Set(reasons.map((r) => r.rule))],
      fileName: documentFileName(new Date(createdAt || receivedAt), id, 'handover'),
      updatedAt: receivedAt.toISOString(),
    };
    await tx.putHandover(row);
    await tx.putReceipt({
      id: receipt.id,
      direction: 'issued',
      handoverId: id,
      handoverSha256: sha,
      receivedAt: receipt.receivedAt,
      outcome: receipt.outcome,
      reasons: receipt.reasons ?? [],
      receiverBusinessId: ours,
      sha256: sha256Hex(Buffer.from(text, 'utf8')),
      fileName: basename(target),
    });
    await logEvent(tx, {
      type: 'use',
      action: 'received',
      purpose: type || 'aftercare',
      youth,
      receiverName: sender.name,
      receiverBusinessId: sender.businessId,
      documentId: id,
      sha256: sha,
      at: receivedAt,
    });
    // A correction from the same sender replaces the earlier handover.
    if (receipt.outcome === 'accepted' && supersedes) {
      const old = await tx.getHandover(supersedes, 'received');
      if (old && old.senderBusinessId === sender.businessId) {
        await tx.updateHandover(
          supersedes,
          'received',
          { status: 'superseded', supersededBy: id },
          receivedAt,
        );
      }
    }
    return true;
  };
  const done = await ctx.committer.commit({
    apply,
    lock: id,
    write: { target, data: text, receiptId: receipt.id },
    audit: {
      event: 'import',
      outcome: receipt.outcome,
      handoverId: id,
      sha256: sha,
      detail: res.findings.find((f) => f.severity === 'error')?.rule ?? 'handover',
    },
  });
  if (done.committed) ctx.audited.add(res);
  if (done.file) res.receiptFile = done.file;
  return done.committed;
}

/**
 * Registers a handover signed by a signer not yet trusted, without a receipt (SPEC §3, §8):
 * an intact signature we cannot place is not the sender's fault, so nothing is answered until
 * the worker has compared the fingerprint and run `trust add`; the next import decides it.
 */
async function awaitTrust(
  res: ImportFileResult,
  d: Record<string, unknown>,
  errors: ImportFinding[],
  ctx: Ctx,
  f: { id: string; sha: string; key: string; addressed: string },
): Promise<boolean> {
  res.outcome = 'awaiting-trust';
  res.status = 'awaiting-trust';
  if (ctx.opts.dryRun) return true;
  const sender = orgOf(d.sender);
  const receivedAt = ctx.now();
  const createdAt =
    typeof d.createdAt === 'string' && !Number.isNaN(Date.parse(d.createdAt)) ? d.createdAt : '';
  const type =
    typeof d.type === 'string' && ['aftercare', 'integration-support'].includes(d.type) ? d.type : '';
  const done = await ctx.committer.commit({
    apply: async (tx) => {
      if ((await judge(tx, ctx, f.id, f.sha, errors, f.addressed)).key !== f.key) return false;
      await tx.putHandover({
        id: f.id,
        direction: 'received',
        type,
        senderBusinessId: sender.businessId,
        senderName: sender.name,
        recipientBusinessId: f.addressed,
        recipientName: orgOf(d.recipient).name,
        createdAt: createdAt.slice(0, 40),
        eventAt: receivedAt.toISOString(),
        sha256: f.sha,
        status: 'awaiting-trust',
        supersedes: isUuid(d.supersedes) ? d.supersedes.toLowerCase() : null,
        supersededBy: null,
        receiptId: null,
        rejectionCodes: [],
        fileName: documentFileName(new Date(createdAt || receivedAt), f.id, 'handover'),
        updatedAt: receivedAt.toISOString(),
      });
      return true;
    },
    lock: f.id,
    audit: {
      event: 'import',
      outcome: 'untrusted',
      handoverId: f.id,
      sha256: f.sha,
      detail: 'SIGNATURE_UNTRUSTED',
    },
  });
  if (done.committed) ctx.audited.add(res);
  return done.committed;
}

/** Writes the receipt of a registered handover again when its file is missing. */
async function repairReceipt(
  res: ImportFileResult,
  prev: HandoverRow,
  ctx: Ctx,
  schemaVersion: SchemaVersion,
): Promise<void> {
  const stored = prev.receiptId ? await ctx.reg.getReceipt(prev.receiptId) : undefined;
  if (!stored?.fileName) return;
  const target = join(ctx.outDir, stored.fileName);
  res.receiptId = stored.id;
  res.receiptFile = target;
  if (existsSync(target) || ctx.opts.dryRun) return;
  // Settled by the next command that opened the register, if its process is gone.
  if ((await ctx.reg.pendingFiles()).some((p) => p.receiptId === stored.id)) return;
  const receipt = buildReceipt({
    id: stored.id,
    handoverId: stored.handoverId,
    handoverSha256: stored.handoverSha256,
    receivedAt: stored.receivedAt,
    receiver: receiverParty(ctx.own, ctx.opts.responsible),
    reasons: stored.reasons,
    schemaVersion,
  });
  res.receiptFile = await writeReceipt(ctx, receipt, target);
}
