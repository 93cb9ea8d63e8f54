/**
 * The steps every arriving file goes through: read untrusted fields, unwrap, verify, validate,
 * sign, audit.
 */

import { EXIT, isHandoverError } from '../../core/errors.js';
import type { PdfVerifyResult } from '../../documents/pdf.js';
import { documentText } from '../../documents/receipt.js';
import { signatureFindings } from '../../documents/signature-findings.js';
import { unwrapArrival } from '../../documents/unwrap.js';
import { validateDocument } from '../../documents/validate.js';
import type { RuleFinding } from '../../domain/rules/types.js';
import { ruleMessage } from '../../i18n/findings.js';
import { hasKey, type Lang, t } from '../../i18n/index.js';
import { loadSigningIdentity } from '../../keystore/index.js';
import type { SigningIdentity } from '../../keystore/types.js';
import type { AnyReceipt } from '../../schema/types.js';
import { signDocument, verifyDocument } from '../../signing/jws.js';
import { loadTrust } from '../../signing/trust.js';
import type { Ctx, ImportFileResult, ImportFinding, ImportKind } from './types.js';

/** An error of import's own (no register row to answer, not ours, …), worded from rules.json. */
export const finding = (
  rule: string,
  pointer: string,
  lang: Lang,
  params: Record<string, string> = {},
): ImportFinding => ({
  rule,
  severity: 'error',
  pointer,
  message: ruleMessage({ rule, severity: 'error', pointer, params }, lang),
});

export const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
/** A string member kept only when short; metadata in the register is never a free-text dump. */
export const short = (v: unknown, max = 300): string => (typeof v === 'string' ? v.slice(0, max) : '');
export const orgOf = (party: unknown) => {
  const o = obj(obj(party).organization);
  return { name: short(o.name), businessId: short(o.businessId, 64) };
};

export interface Unwrapped {
  json: Uint8Array;
  /** Findings on a cover letter's own PDF signature (none for plain JSON or a valid letter). */
  letter: ImportFinding[];
}

/**
 * Reads the input and unwraps a cover-letter PDF or a sealed file to the JSON document inside;
 * a letter's own signature is judged as `verify` judges it.
 */
export async function unwrap(file: string, bytes: Uint8Array, ctx: Ctx): Promise<Unwrapped | ImportFinding> {
  const { lang } = ctx.opts;
  ctx.trust ??= loadTrust();
  try {
    const got = await unwrapArrival(
      file,
      bytes,
      () => {
        ctx.decryption ??= loadSigningIdentity(ctx.opts.keyAlias, undefined, { pin: ctx.opts.pin });
        return ctx.decryption;
      },
      {
        now: ctx.now(),
        trust: ctx.trust,
        ...(ctx.opts.maxBytes !== undefined ? { maxBytes: ctx.opts.maxBytes } : {}),
      },
    );
    const letter = got.letter ? letterFindings(got.letter, lang) : [];
    if (got.json === 'no-attachment') {
      // No handover, so no receipt: the PDF's own failing is the more telling finding.
      return letter[0] ?? finding('PDF_NO_ATTACHMENT', '', lang);
    }
    return { json: got.json, letter };
  } catch (e) {
    // One file that cannot be opened is that file's finding, not the end of the batch.
    if (!isHandoverError(e) || e.exit === EXIT.environment) throw e;
    return { rule: e.code, severity: 'error', pointer: '', message: t(e.key, lang, e.vars) };
  }
}

/**
 * The letter's own signature as findings. What concerns the attached handover (its signature,
 * its JSON) is left to the handover's own checks, which report it once.
 */
export function letterFindings(r: PdfVerifyResult, lang: Lang): ImportFinding[] {
  if (r.status === 'valid' || r.reason === 'attachment-signature' || r.reason === 'attachment-unreadable')
    return [];
  // One certificate not yet trusted that signed both letter and handover: said once, by the
  // handover's own check (with its fingerprint and how to trust it).
  const sameSigner = r.attachment?.signer?.fingerprint256 === r.signer?.fingerprint256;
  if (r.code === 'SIGNATURE_UNTRUSTED' && r.attachment?.signature === 'untrusted' && sameSigner) return [];
  const rule = r.code ?? 'SIGNATURE_INVALID';
  const params: Record<string, string> = {
    reason: r.reason === 'later-revision' ? 'pdf-revision' : 'pdf',
    signer: r.signer?.subject.split('\n').join(', ') ?? '',
    fingerprint: r.signer?.fingerprint256 ?? '',
    // The verifier's reason in words where it has them (verify says the same), else its code.
    detail:
      r.reason && hasKey(`signing.reason_${r.reason}`)
        ? t(`signing.reason_${r.reason}`, lang)
        : (r.reason ?? ''),
  };
  const f: RuleFinding = { rule, severity: 'error', pointer: '', params };
  return [{ rule, severity: 'error', pointer: '', message: ruleMessage(f, lang) }];
}

/** The organisation (O) of a subject written "CN=…, O=…, …", or its common name. */
function organisationOf(subject: string): string {
  const field = (k: string) => new RegExp(`(?:^|, )${k}=(.*?)(?=, [A-Za-z0-9.]+=|$)`).exec(subject)?.[1];
  return field('O') ?? field('CN') ?? subject;
}

export async function verifySignature(
  doc: unknown,
  ctx: Ctx,
): Promise<{ findings: ImportFinding[]; signedBy?: NonNullable<ImportFileResult['signedBy']> }> {
  ctx.trust ??= loadTrust();
  const v = await verifyDocument(doc, { now: ctx.now(), trust: ctx.trust });
  // Only a signer missing from the trust store is settled by `trust add`; an expired or
  // revoked certificate is not.
  const awaits = v.status === 'untrusted' && v.reason === 'not-trusted' && v.signer;
  const findings = signatureFindings(v).map((f) => ({
    rule: f.rule,
    severity: f.severity,
    pointer: f.pointer,
    message: ruleMessage(f, ctx.opts.lang),
    ...(awaits && f.rule === 'SIGNATURE_UNTRUSTED'
      ? { awaitsTrust: { subject: v.signer!.subject, fingerprint256: v.signer!.fingerprint256 } }
      : {}),
  }));
  if (!v.signer) return { findings };
  return {
    findings,
    signedBy: {
      organization: short(organisationOf(v.signer.subject)),
      ...(v.signerBusinessId ? { businessId: v.signerBusinessId } : {}),
      fingerprint256: v.signer.fingerprint256,
    },
  };
}

/**
 * Signs one of our answers; with timestamp.url configured, stamped. A TSA that cannot be
 * reached does not stop the import: the receipt goes unstamped, and the result says so.
 */
export async function signAnswer<T extends object>(
  doc: T,
  ctx: Ctx,
  now: Date,
  res?: ImportFileResult,
): Promise<T & { signature: { jws: string; timestamp?: string } }> {
  const id = await signer(ctx);
  const stamp =
    ctx.tsaUrl && (doc as { schemaVersion?: unknown }).schemaVersion !== '1.0' ? ctx.tsaUrl : null;
  if (!stamp) return signDocument(doc, id, { now });
  try {
    return await signDocument(doc, id, { now, timestamp: { url: stamp } });
  } catch (e) {
    if (!isHandoverError(e) || e.code !== 'TSA_UNAVAILABLE') throw e;
    res?.findings.push({
      rule: 'TSA_UNAVAILABLE',
      severity: 'warning',
      pointer: '/signature',
      message: t('import.receiptUnstamped', ctx.opts.lang, { url: stamp }),
    });
    return signDocument(doc, id, { now });
  }
}

export async function signer(ctx: Ctx): Promise<SigningIdentity> {
  ctx.identity ??= loadSigningIdentity(ctx.opts.keyAlias, undefined, { pin: ctx.opts.pin });
  return ctx.identity;
}

interface Validated {
  kind: ImportKind;
  findings: ImportFinding[];
  doc?: unknown;
}

/** The one place import validates: `validate`'s own function, so both judge a file alike. */
export async function validate(bytes: Uint8Array, ctx: Ctx): Promise<Validated> {
  return validateDocument(bytes, {
    lang: ctx.opts.lang,
    ...(ctx.services ? { services: ctx.services } : {}),
  });
}

/** Writes a receipt file for a register row whose file is missing; returns the name it took. */
export async function writeReceipt(ctx: Ctx, receipt: AnyReceipt, target: string): Promise<string> {
  const signed = await signAnswer(receipt, ctx, ctx.now());
  // Written again only while missing: another import may be writing the same receipt now.
  const done = await ctx.committer.commit({
    write: { target, data: documentText(signed), receiptId: receipt.id },
    lock: receipt.handoverId,
    missingOnly: true,
  });
  return done.file ?? target;
}

export function audit(ctx: Ctx, r: ImportFileResult, event: 'import' | 'withdraw' = 'import'): Promise<void> {
  const outcome = r.outcome === 'awaiting-trust' ? 'untrusted' : r.outcome;
  return ctx.committer.audit({
    event,
    outcome,
    ...(r.handoverId ? { handoverId: r.handoverId } : {}),
    ...(r.sha256 ? { sha256: r.sha256 } : {}),
    detail: r.findings.find((f) => f.severity === 'error')?.rule ?? r.kind,
  });
}
