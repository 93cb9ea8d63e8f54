/**
 * The format 1.1 questions of SPEC §4.9: the case reference, the reply-by date, the signatory,
 * the decisions in force and, when the sender pays for aftercare, its billing details and
 * payment commitment. The signatory and billing come from the config; typed once, they are
 * offered for saving.
 */
import { addDays, compareDates } from '../../domain/dates.js';
import type { Interview } from '../base.js';
import type { Draft } from '../scope.js';

/** These members exist from format 1.1 on: a draft kept at 1.0 must not get them (SCHEMA). */
const hasFormal = (q: Interview): boolean => (q.draft.schemaVersion as string | undefined) !== '1.0';

/** Case reference and reply-by: every handover has them. */
export async function caseDetails(q: Interview, edit = false): Promise<void> {
  if (!hasFormal(q) || (!edit && q.draft.replyBy)) return;
  const ref = await q.optional('CASE_REFERENCE', 'line', q.draft.caseReference);
  if (ref) q.draft.caseReference = ref;
  else delete q.draft.caseReference;
  q.draft.replyBy = (await q.date('REPLY_BY', {
    def: q.draft.replyBy ?? addDays(q.today, q.office.replyDays),
    notBefore: q.today,
  }))!;
  await signatory(q, edit);
}

async function signatory(q: Interview, edit: boolean): Promise<void> {
  const known = q.draft.signatory ?? q.office.signatory;
  if (known && !edit) {
    q.draft.signatory = known;
    return;
  }
  const name = await q.value('SIGNATORY_NAME', 'line', known?.name ?? q.draft.sender?.contact?.name);
  const title = await q.value('SIGNATORY_TITLE', 'line', known?.title ?? q.draft.sender?.contact?.title);
  q.draft.signatory = { name, title };
  if (!q.office.signatory && (await q.ask.confirm({ message: q.m('SIGNATORY_SAVE'), default: true })))
    q.toSave.signatory = q.draft.signatory;
}

/** Decisions in force (they need the entitlement category, CONSENT_SCOPE). */
export async function decisions(q: Interview, edit = false): Promise<void> {
  if (!hasFormal(q) || !q.inScope('entitlement') || (q.draft.decisions && !edit)) return;
  const out: NonNullable<Draft['decisions']> = [];
  const earlier = q.draft.decisions ?? [];
  while (
    out.length < 50 &&
    (await q.ask.confirm({
      message: q.m(out.length ? 'DECISION_ADD_MORE' : 'DECISION_ADD'),
      default: earlier.length > out.length,
    }))
  ) {
    const was = earlier[out.length];
    const date = (await q.date('DECISION_DATE', { notAfter: q.today, ...(was ? { def: was.date } : {}) }))!;
    const subject = await q.value('DECISION_SUBJECT', 'line', was?.subject);
    const reference = await q.optional('DECISION_REFERENCE', 'line', was?.reference);
    out.push({ date, subject, ...(reference ? { reference } : {}) });
  }
  if (out.length) q.draft.decisions = out;
  else delete q.draft.decisions;
}

/**
 * When the sender pays for aftercare: where its invoices go and its payment commitment
 * (maksusitoumus; it needs the services category).
 */
export async function payment(q: Interview, edit = false): Promise<void> {
  const e = q.draft.entitlement;
  if (!hasFormal(q)) return;
  if (q.draft.type !== 'aftercare' || e?.payer !== 'sender') {
    delete q.draft.paymentCommitment;
    return;
  }
  if (q.draft.sender && !q.draft.sender.billing) await billing(q);
  if (!q.inScope('services') || (q.draft.paymentCommitment && !edit)) return;
  const was = q.draft.paymentCommitment;
  if (!(await q.ask.confirm({ message: q.m('COMMITMENT_ADD'), default: was !== undefined || !edit }))) {
    delete q.draft.paymentCommitment;
    return;
  }
  const from = (await q.date('COMMITMENT_FROM', {
    def: was?.from ?? q.draft.youth?.movingDate ?? q.today,
  }))!;
  // A commitment past the right would be flagged (SERVICE_AFTER_ENTITLEMENT): the right's last day is proposed.
  const to = await q.date('COMMITMENT_TO', {
    optional: true,
    notBefore: from,
    ...(was?.to ? { def: was.to } : e.endsOn && compareDates(e.endsOn, from) >= 0 ? { def: e.endsOn } : {}),
  });
  const max = await q.optional('COMMITMENT_MAX', 'euro', was?.maxAmountEur?.toString());
  const decision = await q.optional('COMMITMENT_DECISION', 'line', was?.decisionReference);
  q.draft.paymentCommitment = {
    from,
    ...(to ? { to } : {}),
    ...(max ? { maxAmountEur: Number(max.replace(',', '.')) } : {}),
    ...(decision ? { decisionReference: decision } : {}),
  };
}

/** The sender's invoicing details: from the config, else asked once and offered for saving. */
async function billing(q: Interview): Promise<void> {
  const sender = q.draft.sender!;
  if (q.office.billing) {
    sender.billing = q.office.billing;
    return;
  }
  q.ask.say(q.m('BILLING_INTRO'));
  const eInvoiceAddress = await q.optional('BILLING_EINVOICE', 'line');
  const operator = eInvoiceAddress ? await q.optional('BILLING_OPERATOR', 'line') : undefined;
  const email = await q.optional('BILLING_EMAIL', 'email');
  const reference = await q.optional('BILLING_REFERENCE', 'line');
  const b = {
    ...(eInvoiceAddress ? { eInvoiceAddress } : {}),
    ...(operator ? { operator } : {}),
    ...(email ? { email } : {}),
    ...(reference ? { reference } : {}),
  };
  // Billing is optional in the file (at least one member when present): all empty leaves it out.
  if (Object.keys(b).length === 0) return;
  sender.billing = b;
  if (await q.ask.confirm({ message: q.m('BILLING_SAVE'), default: true })) q.toSave.billing = b;
}
