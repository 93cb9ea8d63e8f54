/**
 * `handover import` (SPEC §8, §9): the receiving side takes in handovers and withdrawal
 * notices, the sending side takes in receipts.
 *
 * A handover is verified (signature against the trust store), validated, checked to be
 * addressed to us, registered, and answered with a signed receipt: accepted, or rejected with
 * the rule codes. Decisions worth knowing:
 * - A rejected handover gets a signed "rejected" receipt too, signature failures included:
 *   the commonest failure in a pilot is a sender whose certificate we have not trusted yet,
 *   and the sender can only fix what it is told. The receipt binds the SHA-256 of the bytes
 *   we got, so it can never be passed off as acceptance of other content.
 * - No receipt without a handover id (unparseable file, no UUID): a receipt must name one.
 * - ID_CONFLICT (an accepted handover with the same id and other bytes) writes no receipt and
 *   changes nothing: the id is already bound to the first content.
 * - A handover rejected before is not a conflict: the same or corrected bytes may come again
 *   (e.g. after `trust add`) and are judged afresh; the new receipt replaces our old one.
 * - Order of effects: the register commits first, then the receipt file is written. A crash
 *   in between leaves a row whose receipt file is missing, and importing the same file again
 *   writes it (from the row's receipt id and time); a receipt file never exists without its row.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { loadConfig, ownParty } from '../config/store.js';
import type { ServiceOverrides } from '../domain/catalogue.js';
import { EXIT, HandoverError, isHandoverError } from '../errors.js';
import { type Lang, t } from '../i18n/index.js';
import type { SigningIdentity } from '../keystore/types.js';
import {
  type HandoverRow,
  type HandoverStatus,
  type Reason,
  Register,
  registerPath,
} from '../register/db.js';
import type { AnyReceipt, Party, Person, Receipt, SchemaVersion, Withdrawal } from '../schema/types.js';
import { ImportCommitter } from './import-batch.js';
import {
  answerVersion,
  buildReceipt,
  documentFileName,
  documentText,
  isUuid,
  receiverParty,
} from './receipt.js';

export type ImportOutcome = 'accepted' | 'rejected' | 'duplicate' | 'failed';
export type ImportKind = 'handover' | 'receipt' | 'withdrawal' | 'unknown';

export interface ImportFinding {
  rule: string;
  severity: 'error' | 'warning';
  pointer: string;
  message: string;
}

export interface ImportFileResult {
  file: string;
  kind: ImportKind;
  /** accepted: taken in (for a receipt or withdrawal: applied); duplicate: seen before, nothing changed. */
  outcome: ImportOutcome;
  handoverId?: string;
  /** SHA-256 of the document as received (for a PDF: of the attached handover file). */
  sha256?: string;
  /** Status of the handover in the register after this file. */
  status?: HandoverStatus;
  findings: ImportFinding[];
  /** Receipt written (or, with --dry-run, that would be written). */
  receiptFile?: string;
  receiptId?: string;
  /** For a handover: who sent it and what (organisation metadata, never the youth's data). */
  from?: { organization: string; businessId: string; contact?: Person };
  type?: string;
  /** For a receipt: the recipient's answer and their responsible worker. */
  answer?: { outcome: 'accepted' | 'rejected'; reasons: Reason[]; receiver: string; contact?: Person };
  /** A failure that stopped this file (I/O): code and exit. */
  error?: { code: string; message: string; exit: number };
}

export interface ImportResult {
  dryRun: boolean;
  files: ImportFileResult[];
  summary: { files: number; accepted: number; rejected: number; duplicate: number; failed: number };
  /** SPEC §3: 0 when every file was accepted (or already imported), 1 when any was rejected, 5 on I/O failure. */
  exit: number;
}

export interface ImportOptions {
  files: string[];
  lang: Lang;
  dryRun?: boolean;
  /** Folder for receipts; default: config defaults.outputFolder, else the current folder. */
  out?: string;
  force?: boolean;
  /** The worker who will be responsible for the youth, named in the receipt. */
  responsible?: Person;
  keyAlias?: string;
  now?: () => Date;
  /** Called after each file, for progress output. */
  onFile?: (r: ImportFileResult) => void;
}

/** What every file shares in one run: opened once, so that a batch costs one setup. */
interface Ctx {
  opts: ImportOptions;
  reg: Register;
  own: Party;
  outDir: string;
  now: () => Date;
  anchors?: import('node:crypto').X509Certificate[];
  identity?: Promise<SigningIdentity>;
  decryption?: Promise<SigningIdentity>;
  /** Tails of the per-handover queues: files about one handover are applied in input order. */
  locks: Map<string, Promise<unknown>>;
  /** Shared register commits, folder fsyncs and audit appends of the files in flight. */
  committer: ImportCommitter;
  services: ServiceOverrides | undefined;
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const isPdf = (b: Uint8Array): boolean =>
  b.length > 4 && Buffer.from(b.subarray(0, 5)).toString('latin1') === '%PDF-';
/** DER SEQUENCE, or PEM-armoured CMS: a sealed file. */
const isCms = (b: Uint8Array, file: string): boolean =>
  file.toLowerCase().endsWith('.p7m') || (b[0] === 0x30 && (b[1] ?? 0) >= 0x80);

const finding = (
  rule: string,
  pointer: string,
  lang: Lang,
  vars: Record<string, string> = {},
): ImportFinding => ({
  rule,
  severity: 'error',
  pointer,
  message: t(`import.rule_${rule}`, lang, vars),
});

const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
/** A string member kept only when short; metadata in the register is never a free-text dump. */
const short = (v: unknown, max = 300): string => (typeof v === 'string' ? v.slice(0, max) : '');
const orgOf = (party: unknown) => {
  const o = obj(obj(party).organization);
  return { name: short(o.name), businessId: short(o.businessId, 64) };
};

/** Reads the input and unwraps a cover-letter PDF or a sealed file to the JSON document inside. */
async function unwrap(file: string, bytes: Uint8Array, ctx: Ctx): Promise<Uint8Array | ImportFinding> {
  const { lang } = ctx.opts;
  try {
    if (isPdf(bytes)) {
      const { extractAttachedHandover } = await import('./verify-pdf.js');
      return (await extractAttachedHandover(bytes)) ?? finding('PDF_NO_ATTACHMENT', '', lang);
    }
    if (isCms(bytes, file)) {
      const { decryptBytes } = await import('./open.js');
      ctx.decryption ??= import('../keystore/index.js').then((m) => m.loadSigningIdentity(ctx.opts.keyAlias));
      return await decryptBytes(bytes, await ctx.decryption);
    }
  } catch (e) {
    // One file that cannot be opened is that file's finding, not the end of the batch.
    if (!isHandoverError(e) || e.exit === EXIT.environment) throw e;
    return { rule: e.code, severity: 'error', pointer: '', message: t(e.key, lang, e.vars) };
  }
  return bytes;
}

async function verifySignature(doc: unknown, ctx: Ctx): Promise<ImportFinding[]> {
  const { verifyDocument } = await import('../signing/jws.js');
  if (!ctx.anchors) {
    const { loadTrustStore } = await import('../signing/trust.js');
    ctx.anchors = loadTrustStore().map((e) => e.cert);
  }
  const v = await verifyDocument(doc, { now: ctx.now(), trustAnchors: ctx.anchors });
  if (v.status === 'valid') return [];
  const rule = v.code ?? 'SIGNATURE_INVALID';
  return [
    finding(rule, v.status === 'missing' ? '' : '/signature', ctx.opts.lang, { reason: v.reason ?? '' }),
  ];
}

async function signer(ctx: Ctx): Promise<SigningIdentity> {
  ctx.identity ??= import('../keystore/index.js').then((m) => m.loadSigningIdentity(ctx.opts.keyAlias));
  return ctx.identity;
}

interface Validated {
  kind: ImportKind;
  findings: ImportFinding[];
  doc?: unknown;
}

/** The one place import validates: `validate`'s own function, so both judge a file alike. */
async function validate(bytes: Uint8Array, ctx: Ctx): Promise<Validated> {
  const { validateDocument } = await import('./validate-core.js');
  return validateDocument(bytes, {
    lang: ctx.opts.lang,
    ...(ctx.services ? { services: ctx.services } : {}),
  });
}

/** Writes a receipt file for a register row whose file is missing (after a crash) or forced. */
async function writeReceipt(ctx: Ctx, receipt: AnyReceipt, target: string, force: boolean): Promise<void> {
  const { signDocument } = await import('../signing/jws.js');
  const signed = await signDocument(receipt, await signer(ctx), { now: ctx.now() });
  await ctx.committer.commit({ write: { target, data: documentText(signed), force } });
}

function audit(ctx: Ctx, r: ImportFileResult, event: 'import' | 'withdraw' = 'import'): Promise<void> {
  const outcome = r.outcome === 'failed' ? 'failed' : r.outcome;
  return ctx.committer.audit({
    event,
    outcome,
    ...(r.handoverId ? { handoverId: r.handoverId } : {}),
    ...(r.sha256 ? { sha256: r.sha256 } : {}),
    detail: r.findings.find((f) => f.severity === 'error')?.rule ?? r.kind,
  });
}

async function importHandover(
  res: ImportFileResult,
  doc: unknown,
  errors: ImportFinding[],
  ctx: Ctx,
): Promise<void> {
  const { lang } = ctx.opts;
  const d = obj(doc);
  const id = isUuid(d.id) ? d.id.toLowerCase() : undefined;
  const sender = orgOf(d.sender);
  res.from = { organization: sender.name, businessId: sender.businessId };
  const contact = obj(d.sender).contact as Person | undefined;
  if (contact && typeof contact === 'object') res.from.contact = contact;
  if (typeof d.type === 'string') res.type = short(d.type, 40);
  if (!id) {
    res.outcome = 'rejected';
    const noId = doc !== undefined && !errors.some((e) => e.pointer === '/id');
    res.findings.unshift(...errors, ...(noId ? [finding('NO_HANDOVER_ID', '/id', lang)] : []));
    return;
  }
  res.handoverId = id;
  const sha = res.sha256!;
  const prev = ctx.reg.getHandover(id, 'received');
  const receivedAt = ctx.now();
  const target = join(ctx.outDir, documentFileName(receivedAt, id, 'receipt'));

  if (prev && prev.status !== 'rejected') {
    if (prev.sha256 !== sha) {
      res.outcome = 'rejected';
      res.status = prev.status;
      res.findings.unshift(finding('ID_CONFLICT', '/id', lang, { id }));
      return;
    }
    // The same file again: nothing changes, but a receipt lost to a crash is written now.
    res.outcome = 'duplicate';
    res.status = prev.status;
    await repairReceipt(res, prev, ctx, answerVersion(doc));
    return;
  }
  if (prev && prev.sha256 === sha && prev.receiptId && errors.length > 0) {
    const stored = ctx.reg.getReceipt(prev.receiptId);
    const same =
      stored &&
      JSON.stringify(stored.reasons.map((r) => r.rule)) === JSON.stringify(errors.map((e) => e.rule));
    if (same) {
      // Rejected before for the same reasons: nothing new to say.
      res.outcome = 'duplicate';
      res.status = prev.status;
      res.findings.unshift(...errors);
      await repairReceipt(res, prev, ctx, answerVersion(doc));
      return;
    }
  }

  const addressed = orgOf(d.recipient).businessId;
  const ours = ctx.own.organization.businessId;
  if (
    addressed &&
    addressed !== ours &&
    !errors.some((e) => e.pointer === '/recipient/organization/businessId')
  ) {
    errors.push(
      finding('NOT_ADDRESSED_TO_US', '/recipient/organization/businessId', lang, { businessId: ours }),
    );
  }
  res.findings.unshift(...errors);
  const reasons: Reason[] = errors.map((e) => ({ rule: e.rule, pointer: e.pointer }));
  const receipt = buildReceipt({
    handoverId: id,
    handoverSha256: sha,
    receivedAt,
    receiver: receiverParty(ctx.own, ctx.opts.responsible),
    reasons,
    schemaVersion: answerVersion(doc),
  });
  res.outcome = receipt.outcome;
  res.status = receipt.outcome === 'accepted' ? 'accepted' : 'rejected';
  res.receiptFile = target;
  res.receiptId = receipt.id;
  // Our own earlier receipt for this handover may be replaced; anything else needs --force.
  const ownOld = prev?.receiptId ? ctx.reg.getReceipt(prev.receiptId) : undefined;
  const force = ctx.opts.force === true || (ownOld !== undefined && ownOld.fileName === basename(target));
  if (!force && existsSync(target))
    throw new HandoverError('OUTPUT_EXISTS', EXIT.io, { vars: { file: target } });
  if (ctx.opts.dryRun) return;

  const { signDocument } = await import('../signing/jws.js');
  const signed = await signDocument(receipt, await signer(ctx), { now: receivedAt });
  const text = documentText(signed);
  const type =
    typeof d.type === 'string' && ['aftercare', 'integration-support'].includes(d.type) ? d.type : '';
  const createdAt =
    typeof d.createdAt === 'string' && !Number.isNaN(Date.parse(d.createdAt)) ? d.createdAt : '';
  const supersedes = isUuid(d.supersedes) ? d.supersedes.toLowerCase() : null;
  // The row is on disk before the receipt file exists (see the top of this file).
  const apply = (): void => {
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
    ctx.reg.putHandover(row);
    ctx.reg.putReceipt({
      id: receipt.id,
      direction: 'issued',
      handoverId: id,
      handoverSha256: sha,
      receivedAt: receipt.receivedAt,
      outcome: receipt.outcome,
      reasons: receipt.reasons ?? [],
      receiverBusinessId: ours,
      sha256: sha256(Buffer.from(text, 'utf8')),
      fileName: basename(target),
    });
    // A correction from the same sender replaces the earlier handover.
    if (receipt.outcome === 'accepted' && supersedes) {
      const old = ctx.reg.getHandover(supersedes, 'received');
      if (old && old.senderBusinessId === sender.businessId) {
        ctx.reg.updateHandover(
          supersedes,
          'received',
          { status: 'superseded', supersededBy: id },
          receivedAt,
        );
      }
    }
  };
  await ctx.committer.commit({ apply, write: { target, data: text, force } });
}

/** Writes the receipt of a registered handover again when its file is missing. */
async function repairReceipt(
  res: ImportFileResult,
  prev: HandoverRow,
  ctx: Ctx,
  schemaVersion: SchemaVersion,
): Promise<void> {
  const stored = prev.receiptId ? ctx.reg.getReceipt(prev.receiptId) : undefined;
  if (!stored?.fileName) return;
  const target = join(ctx.outDir, stored.fileName);
  res.receiptId = stored.id;
  res.receiptFile = target;
  if (existsSync(target) || ctx.opts.dryRun) return;
  const receipt = buildReceipt({
    id: stored.id,
    handoverId: stored.handoverId,
    handoverSha256: stored.handoverSha256,
    receivedAt: stored.receivedAt,
    receiver: receiverParty(ctx.own, ctx.opts.responsible),
    reasons: stored.reasons,
    schemaVersion,
  });
  await writeReceipt(ctx, receipt, target, false);
}

const misdelivered = (doc: Receipt): boolean =>
  doc.outcome === 'rejected' && (doc.reasons ?? []).some((r) => r.rule === 'NOT_ADDRESSED_TO_US');

const SENT_OPEN: HandoverStatus[] = ['sent', 'acknowledged', 'rejected'];

function importReceipt(res: ImportFileResult, doc: Receipt, errors: ImportFinding[], ctx: Ctx): void {
  const { lang } = ctx.opts;
  res.handoverId = doc.handoverId;
  const receiver = orgOf(doc.receiver);
  res.answer = { outcome: doc.outcome, reasons: doc.reasons ?? [], receiver: receiver.name };
  if (doc.receiver?.contact) res.answer.contact = doc.receiver.contact;
  const sent = errors.length === 0 ? ctx.reg.getHandover(doc.handoverId, 'sent') : undefined;
  if (errors.length === 0) {
    if (!sent) errors.push(finding('RECEIPT_UNKNOWN_HANDOVER', '/handoverId', lang, { id: doc.handoverId }));
    // A misdelivered handover is answered by whoever got it: their "not addressed to us" is
    // news the sender needs; an acceptance by anyone but the addressee is not.
    else if (sent.recipientBusinessId !== receiver.businessId && !misdelivered(doc))
      errors.push(finding('RECEIPT_WRONG_RECEIVER', '/receiver/organization/businessId', lang));
    else if (sent.sha256 !== doc.handoverSha256)
      errors.push(finding('RECEIPT_HASH_MISMATCH', '/handoverSha256', lang));
  }
  res.findings.unshift(...errors);
  if (errors.length > 0 || !sent) {
    res.outcome = 'rejected';
    return;
  }
  const known = ctx.reg.getReceipt(doc.id);
  if (known) {
    res.outcome = 'duplicate';
    res.status = sent.status;
    return;
  }
  res.outcome = 'accepted';
  const newStatus: HandoverStatus = SENT_OPEN.includes(sent.status)
    ? doc.outcome === 'accepted'
      ? 'acknowledged'
      : 'rejected'
    : sent.status;
  res.status = newStatus;
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
      fileName: documentFileName(new Date(doc.receivedAt), doc.handoverId, 'receipt'),
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

function importWithdrawal(res: ImportFileResult, doc: Withdrawal, errors: ImportFinding[], ctx: Ctx): void {
  const { lang } = ctx.opts;
  res.handoverId = doc.handoverId;
  const sender = orgOf(doc.sender);
  res.from = { organization: sender.name, businessId: sender.businessId };
  const received = errors.length === 0 ? ctx.reg.getHandover(doc.handoverId, 'received') : undefined;
  if (errors.length === 0) {
    if (!received)
      errors.push(finding('WITHDRAWAL_UNKNOWN_HANDOVER', '/handoverId', lang, { id: doc.handoverId }));
    else if (received.senderBusinessId !== sender.businessId)
      errors.push(finding('WITHDRAWAL_WRONG_SENDER', '/sender/organization/businessId', lang));
  }
  res.findings.unshift(...errors);
  if (errors.length > 0 || !received) {
    res.outcome = 'rejected';
    return;
  }
  if (ctx.reg.getWithdrawal(doc.id)) {
    res.outcome = 'duplicate';
    res.status = received.status;
    return;
  }
  res.outcome = 'accepted';
  res.status = 'withdrawn';
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

async function importOne(file: string, ctx: Ctx): Promise<ImportFileResult> {
  const { lang } = ctx.opts;
  const res: ImportFileResult = { file, kind: 'unknown', outcome: 'rejected', findings: [] };
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    res.findings.push(
      finding('FILE_UNREADABLE', '', lang, { reason: (e as NodeJS.ErrnoException).code ?? 'EIO' }),
    );
    return res;
  }
  const inner = await unwrap(file, bytes, ctx);
  if (!(inner instanceof Uint8Array)) {
    res.findings.push(inner);
    return res;
  }
  res.sha256 = sha256(inner);
  const v = await validate(inner, ctx);
  res.kind = v.kind;
  const errors: ImportFinding[] = v.findings
    .filter((f) => f.severity === 'error')
    .map((f) => ({ rule: f.rule, severity: 'error', pointer: f.pointer, message: f.message }));
  res.findings.push(
    ...v.findings
      .filter((f) => f.severity === 'warning')
      .map((f) => ({ rule: f.rule, severity: 'warning' as const, pointer: f.pointer, message: f.message })),
  );
  if (v.doc !== undefined) errors.unshift(...(await verifySignature(v.doc, ctx)));
  const d = obj(v.doc);
  const keys = [v.kind === 'handover' ? d.id : d.handoverId, v.kind === 'handover' ? d.supersedes : undefined]
    .filter(isUuid)
    .map((k) => k.toLowerCase());
  await withLocks(ctx.locks, keys, async () => {
    switch (v.kind) {
      case 'receipt':
        importReceipt(res, v.doc as Receipt, errors, ctx);
        break;
      case 'withdrawal':
        importWithdrawal(res, v.doc as Withdrawal, errors, ctx);
        break;
      case 'unknown': // DOCUMENT_UNKNOWN or unparseable: we are not its receiver, so no receipt
        res.findings.unshift(...errors);
        break;
      default:
        await importHandover(res, v.doc, errors, ctx);
    }
  });
  return res;
}

/**
 * Runs fn after every earlier holder of any of `keys` is done. The tails are taken
 * synchronously, so two files about one handover can never both judge it unregistered.
 */
async function withLocks<T>(
  locks: Map<string, Promise<unknown>>,
  keys: string[],
  fn: () => Promise<T>,
): Promise<T> {
  const before = keys.map((k) => locks.get(k));
  const run = Promise.allSettled(before).then(fn);
  const tail = run.catch(() => undefined);
  for (const k of keys) locks.set(k, tail);
  try {
    return await run;
  } finally {
    for (const k of keys) if (locks.get(k) === tail) locks.delete(k);
  }
}

/**
 * Files in flight at once: while some wait for signing, verification or an fsync on libuv's
 * threads, others are validated on the main thread, and the finished ones share a commit.
 * The fsyncs queue behind the signatures on libuv's four threads, so a file takes longer
 * from start to receipt; 32 keep both cores busy (measured: 16 gave 150 files/s, 32 gave
 * 235-278 on two shared cores).
 */
const CONCURRENCY = 32;

/**
 * Imports files in input order of results, one savepoint per file in group commits. Usable in-process (benchmarks, other
 * services): the register and the signing key are opened once for the whole batch.
 */
export async function importFiles(opts: ImportOptions): Promise<ImportResult> {
  if (opts.files.length === 0) throw new HandoverError('NO_INPUT', EXIT.usage);
  for (const f of opts.files) {
    if (!existsSync(f)) throw new HandoverError('PATH_NOT_FOUND', EXIT.usage, { vars: { file: f } });
  }
  const config = loadConfig();
  const own = ownParty(config);
  if (!own) throw new HandoverError('NO_ORGANIZATION', EXIT.environment, { key: 'import.NO_ORGANIZATION' });
  const outDir = resolve(opts.out ?? config.defaults?.outputFolder ?? '.');
  // A dry run writes nothing, not even a new empty register.
  const reg = opts.dryRun && !existsSync(registerPath()) ? Register.open(':memory:') : Register.open();
  const ctx: Ctx = {
    opts,
    reg,
    own,
    outDir,
    now: opts.now ?? (() => new Date()),
    services: config.services,
    locks: new Map(),
    committer: new ImportCommitter(reg),
  };
  const done: (ImportFileResult | undefined)[] = new Array(opts.files.length);
  const files: ImportFileResult[] = [];
  let next = 0;
  let fatal: unknown;
  const worker = async (): Promise<void> => {
    while (fatal === undefined && next < opts.files.length) {
      const i = next++;
      const file = opts.files[i]!;
      let r: ImportFileResult;
      try {
        r = await importOne(file, ctx);
      } catch (e) {
        // The signing key, the register or the environment: nothing further can succeed.
        if (!isHandoverError(e) || e.exit !== EXIT.io) {
          fatal ??= e;
          return;
        }
        r = {
          file,
          kind: 'unknown',
          outcome: 'failed',
          findings: [],
          error: { code: e.code, message: t(e.key, opts.lang, e.vars), exit: e.exit },
        };
      }
      if (!opts.dryRun) {
        try {
          await audit(ctx, r, r.kind === 'withdrawal' ? 'withdraw' : 'import');
        } catch (e) {
          fatal ??= e;
          return;
        }
      }
      done[i] = r;
      // Reported in input order, whatever order the files finish in.
      while (files.length < done.length && done[files.length]) {
        const ready = done[files.length]!;
        files.push(ready);
        opts.onFile?.(ready);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, opts.files.length) }, worker));
  } finally {
    reg.close();
  }
  if (fatal !== undefined) throw fatal;
  const count = (o: ImportOutcome) => files.filter((f) => f.outcome === o).length;
  const summary = {
    files: files.length,
    accepted: count('accepted'),
    rejected: count('rejected'),
    duplicate: count('duplicate'),
    failed: count('failed'),
  };
  // A duplicate of a file rejected before is still a rejection for the batch.
  const rejected = files.some(
    (f) =>
      f.outcome === 'rejected' ||
      (f.outcome === 'duplicate' && f.findings.some((x) => x.severity === 'error')),
  );
  const exit = summary.failed > 0 ? EXIT.io : rejected ? EXIT.invalid : EXIT.ok;
  return { dryRun: opts.dryRun === true, files, summary, exit };
}

/** Human lines for one file result (stdout), in the chosen language. */
export function renderFile(r: ImportFileResult, lang: Lang): string {
  const lines: string[] = [];
  const id = r.handoverId ?? '-';
  const file = r.file;
  if (r.outcome === 'failed')
    lines.push(t('import.line_failed', lang, { file, message: r.error?.message ?? '' }));
  else if (r.outcome === 'duplicate')
    lines.push(
      t('import.line_duplicate', lang, { file, id, status: t(`register.status_${r.status}`, lang) }),
    );
  else if (r.kind === 'receipt' && r.outcome === 'accepted' && r.answer) {
    lines.push(
      t(
        r.answer.outcome === 'accepted' ? 'import.line_receipt_accepted' : 'import.line_receipt_rejected',
        lang,
        {
          file,
          id,
          receiver: r.answer.receiver,
          rules: r.answer.reasons.map((x) => x.rule).join(', '),
        },
      ),
    );
    if (r.answer.contact) lines.push(t('import.line_responsible', lang, personVars(r.answer.contact)));
  } else if (r.kind === 'withdrawal' && r.outcome === 'accepted') {
    lines.push(t('import.line_withdrawn', lang, { file, id, sender: r.from?.organization ?? '' }));
  } else if (r.outcome === 'accepted') {
    lines.push(
      t('import.line_accepted', lang, { file, id, sender: r.from?.organization ?? '', type: r.type ?? '' }),
    );
    if (r.from?.contact) lines.push(t('import.line_contact', lang, personVars(r.from.contact)));
  } else {
    lines.push(t('import.line_rejected', lang, { file, id }));
  }
  for (const f of r.findings)
    lines.push(`  ${f.severity === 'warning' ? '!' : '✗'} ${f.rule} ${f.pointer || '/'} ${f.message}`);
  if (r.receiptFile && r.outcome !== 'failed')
    lines.push(t('import.line_receipt', lang, { receipt: r.receiptFile }));
  // No receipt for a document that is none of ours: say what the person can do instead (SPEC §8).
  if (r.findings.some((f) => f.rule === 'DOCUMENT_UNKNOWN')) lines.push(t('import.line_not_ours', lang));
  return `${lines.join('\n')}\n`;
}

const personVars = (p: Person): Record<string, string> => ({
  name: p.name,
  reach: [p.email, p.phone].filter(Boolean).join(', '),
});

export function renderSummary(r: ImportResult, lang: Lang): string {
  const s = t('import.summary', lang, { ...r.summary });
  return `${r.dryRun ? `${t('import.dry_run', lang)}\n` : ''}${s}\n`;
}
