/**
 * `handover withdraw <file> --reason …` (SPEC §9): a signed withdrawal notice for a handover
 * this organisation sent, and the sent handover marked withdrawn in the register.
 *
 * As with receipts, the register commits first and the notice file follows: after a crash
 * the same command again finds the withdrawal in the register and writes the missing file
 * with the same id and time. The reason is not kept in the register (it is free text and may
 * name the youth); it travels only in the signed notice.
 */

import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { loadConfig, ownParty } from '../config/store.js';
import { EXIT, HandoverError } from '../core/errors.js';
import { answerVersion, buildWithdrawal, documentText } from '../documents/receipt.js';
import { timestampFor } from '../documents/timestamp.js';
import { isUuid } from '../domain/ids.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { sha256Hex } from '../io/hash.js';
import { parseJson } from '../io/json-source.js';
import { documentFileName } from '../io/names.js';
import { loadSigningIdentity, type PinSource } from '../keystore/index.js';
import { basisOf, keyableYouth, logEvent, youthRef } from '../register/disclosures.js';
import { openRegister } from '../register/index.js';
import { recordSent } from '../register/sent.js';
import type { Handover } from '../schema/types.js';
import { documentKind } from '../schema/validator.js';
import { signDocument } from '../signing/jws.js';

export interface WithdrawOptions {
  file: string;
  reason: string;
  out?: string;
  force?: boolean;
  keyAlias?: string;
  /** Asks for a token's PIN when HANDOVER_PKCS11_PIN is not set (a terminal prompt); none: exit 4. */
  pin?: PinSource;
  now?: Date;
}

export interface WithdrawResult {
  handoverId: string;
  withdrawalId: string;
  /** The notice written (or found already written). */
  file: string;
  withdrawnAt: string;
  /** true when the handover was withdrawn before: nothing new was registered. */
  already: boolean;
}

const fail = (code: string, exit: (typeof EXIT)[keyof typeof EXIT], vars: Record<string, string> = {}) =>
  new HandoverError(code, exit, { key: `withdraw.${code}`, vars });

function readHandover(file: string): { doc: Handover; sha256: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new HandoverError('PATH_NOT_FOUND', EXIT.usage, { vars: { file } });
    throw fail('FILE_UNREADABLE', EXIT.invalid, { file, reason: code ?? 'EIO' });
  }
  const parsed = parseJson(bytes);
  const value = parsed.ok ? (parsed.value as Partial<Handover>) : undefined;
  if (
    !value ||
    documentKind(value) !== 'handover' ||
    !isUuid(value.id) ||
    typeof value.sender?.organization?.businessId !== 'string' ||
    typeof value.recipient?.organization?.businessId !== 'string'
  ) {
    throw fail('NOT_A_HANDOVER', EXIT.invalid, { file });
  }
  return { doc: value as Handover, sha256: sha256Hex(bytes) };
}

export async function withdraw(opts: WithdrawOptions): Promise<WithdrawResult> {
  const reason = opts.reason.trim();
  if (reason === '' || reason.length > 2000) throw fail('REASON_INVALID', EXIT.usage);
  const config = loadConfig();
  const own = ownParty(config);
  if (!own) throw new HandoverError('NO_ORGANIZATION', EXIT.environment, { key: 'import.NO_ORGANIZATION' });
  const { doc, sha256 } = readHandover(opts.file);
  const id = doc.id.toLowerCase();
  if (doc.sender.organization.businessId !== own.organization.businessId) {
    throw fail('NOT_OUR_HANDOVER', EXIT.invalid, { id });
  }
  const outDir = resolve(opts.out ?? config.defaults?.outputFolder ?? '.');
  const now = opts.now ?? new Date();
  const reg = await openRegister();
  try {
    const sent = await reg.getHandover(id, 'sent');
    if (sent && sent.sha256 !== sha256) {
      throw new HandoverError('ID_CONFLICT', EXIT.invalid, { key: 'register.ID_CONFLICT', vars: { id } });
    }
    const earlier = await reg.withdrawalFor(id, 'issued');
    const withdrawal = buildWithdrawal({
      ...(earlier ? { id: earlier.id, withdrawnAt: earlier.withdrawnAt } : { withdrawnAt: now }),
      handoverId: id,
      reason,
      sender: own,
      schemaVersion: answerVersion(doc),
    });
    const target = join(outDir, earlier?.fileName ?? documentFileName(now, id, 'withdrawal'));
    const result: WithdrawResult = {
      handoverId: id,
      withdrawalId: withdrawal.id,
      file: target,
      withdrawnAt: withdrawal.withdrawnAt,
      already: earlier !== undefined,
    };
    if (earlier && existsSync(target) && !opts.force) return result;
    if (!earlier && !opts.force && existsSync(target)) {
      throw new HandoverError('OUTPUT_EXISTS', EXIT.io, { vars: { file: target } });
    }
    const stamp = timestampFor(withdrawal, config.timestamp?.url);
    const signed = await signDocument(
      withdrawal,
      await loadSigningIdentity(opts.keyAlias, undefined, { pin: opts.pin }),
      {
        now,
        ...(stamp ? { timestamp: stamp } : {}),
      },
    );
    const text = documentText(signed);
    if (!earlier) {
      const youth = keyableYouth(doc.youth) ? await youthRef(reg, doc.youth) : null;
      await reg.transaction(
        async (tx) => {
          // A handover sent before the register existed (or by another system) is recorded now.
          if (!(await tx.getHandover(id, 'sent')))
            await recordSent(
              tx,
              doc,
              sha256,
              documentFileName(new Date(doc.createdAt), id, 'handover'),
              now,
              youth,
            );
          await tx.putWithdrawal({
            id: withdrawal.id,
            direction: 'issued',
            handoverId: id,
            withdrawnAt: withdrawal.withdrawnAt,
            senderBusinessId: own.organization.businessId,
            sha256: sha256Hex(text),
            fileName: basename(target),
          });
          await tx.updateHandover(id, 'sent', { status: 'withdrawn' }, now);
          tx.audit({ event: 'withdraw', outcome: 'ok', handoverId: id, sha256, detail: 'issued' });
          // Telling the receiver that consent was withdrawn is a disclosure about the youth (SPEC §12).
          await logEvent(tx, {
            type: 'disclosure',
            action: 'withdrawal',
            purpose: doc.type,
            youth: (await tx.youthOfDocument(id)) ?? youth,
            receiverName: doc.recipient.organization.name,
            receiverBusinessId: doc.recipient.organization.businessId,
            categories: [],
            basis: basisOf(doc),
            documentId: id,
            sha256: sha256Hex(text),
            at: now,
          });
        },
        { lock: [id] },
      );
    }
    writeFileAtomic(target, text, { force: opts.force === true || earlier !== undefined, mkdir: true });
    return result;
  } finally {
    await reg.close();
  }
}
