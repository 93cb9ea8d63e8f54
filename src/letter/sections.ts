/**
 * The body of the cover letter (SPEC §6), one function per section, in the order a receiving
 * worker acts on them. Only data the disclosure basis covers is shown; under turvakielto no
 * address, phone or e-mail of the youth appears at all.
 */
import { compareDates, helsinkiDate } from '../domain/dates.js';
import { readExtension, youthFundsDue } from '../domain/law.js';
import type { Category, Handover } from '../schema/types.js';
import {
  agendaItems,
  categoryList,
  languageName,
  priceBasis,
  rightText,
  type Service,
  serviceName,
} from './content.js';
import { formatDate, formatMoney, formatSlot, personLine } from './format.js';
import { safeLocation } from './ics.js';
import { municipalityName } from './language.js';
import type { Column, FlowWriter } from './layout.js';
import type { LetterTexts } from './texts.js';

export interface Ctx {
  w: FlowWriter;
  doc: Handover;
  T: LetterTexts;
  scope: ReadonlySet<Category>;
  services: Service[];
}

export function youth({ w, doc, T, scope }: Ctx): void {
  const y = doc.youth;
  w.heading(T.tx('youth.heading'));
  if (scope.has('identity')) {
    w.field(T.tx('youth.name'), `${y.name.given} ${y.name.family}`);
    w.field(T.tx('youth.birthDate'), formatDate(y.birthDate, T));
    if (y.personalIdentityCode) w.field(T.tx('youth.identityCode'), y.personalIdentityCode);
  }
  // Turvakielto covers the municipality of residence too: no output names it (661/2009 36 §).
  if (!y.nonDisclosure && y.newMunicipalityCode)
    w.field(T.tx('youth.newMunicipality'), municipalityName(y.newMunicipalityCode, T.lang));
  if (y.movingDate) w.field(T.tx('youth.movingDate'), formatDate(y.movingDate, T));
  // Turvakielto covers every contact detail, not only the street address (act 661/2009, 36 §).
  if (scope.has('contact') && y.contact && !y.nonDisclosure) {
    if (y.contact.phone) w.field(T.tx('youth.phone'), y.contact.phone);
    if (y.contact.email) w.field(T.tx('youth.email'), y.contact.email);
    if (y.contact.address) {
      const a = y.contact.address;
      w.field(T.tx('youth.address'), `${a.street}, ${a.postalCode} ${a.city}`);
    }
  }
  if (y.preferredLanguage) w.field(T.tx('youth.preferredLanguage'), languageName(y.preferredLanguage, T));
  if (y.interpreter) w.field(T.tx('youth.interpreter'), languageName(y.interpreter, T));
  if (y.wantsServices) w.field(T.tx(`youth.wantsServices.${doc.type}`), T.tx(`wants.${y.wantsServices}`));
  if (y.wishes) w.field(T.tx('youth.wishes'), y.wishes);
  w.space(3);
  if (y.nonDisclosure) w.text(T.tx('youth.nonDisclosure'), { bold: true, keep: true });
  w.text(T.tx('youth.scopeNote', { categories: categoryList(doc.consent.scope, T, doc.type) }), {
    grey: true,
    size: 8,
  });
}

export function right({ w, doc, T, scope }: Ctx): void {
  const e = doc.entitlement;
  if (!e || !scope.has('entitlement')) return;
  w.heading(T.tx(`entitlement.heading.${doc.type}`));
  w.field(T.tx('entitlement.basis'), T.tx(`entitlement.basis.${e.basis}`));
  w.field(T.tx('entitlement.placementEnded'), formatDate(e.placementEndedOn, T));
  const r = rightText(doc, T);
  if (r?.statutoryDay) {
    // The statutory day and what the extension offers after it are two different things.
    w.field(T.tx(`entitlement.statutoryDay.${doc.type}`), r.statutoryDay);
    w.field(T.tx('entitlement.extendedTo'), r.endsOn);
    if (r.reason) w.field(T.tx('entitlement.reason'), r.reason);
  } else if (r) {
    w.field(T.tx(`entitlement.endsOn.${doc.type}`), r.endsOn);
    if (r.reason) w.field(T.tx('entitlement.reason'), r.reason);
  }
  // What an extension means, apart from the statutory day: binding under a transition; the
  // sender's own offer, binding no one else, after the statutory day (SPEC §5.4).
  const ext = readExtension(e);
  if (ext) {
    const kind = `${ext.kind}${doc.type === 'integration-support' ? '-integration' : ''}`;
    w.text(
      T.tx(`entitlement.extension.${kind}`, {
        ref: ext.reference,
        date: ext.decidedOn ? formatDate(ext.decidedOn, T) : '–',
      }),
    );
  }
  if (doc.type === 'integration-support')
    w.text(T.tx(isAct681(doc) ? 'entitlement.integrationRight' : 'entitlement.integrationOld'));
}

/** Integration support under act 681/2023 (from 1.1.2025), or under the repealed 1386/2010. */
export const isAct681 = (doc: Handover): boolean => {
  const created = helsinkiDate(doc.createdAt);
  return created === undefined || compareDates(created, ACT_681_FROM) >= 0;
};
const ACT_681_FROM = '2025-01-01';

/** Who arranges and who pays: by law for aftercare (LsL 16 a, 16 b §), the arranger for the support. */
export function duties({ w, doc, T, scope }: Ctx): void {
  const e = doc.entitlement;
  if (!e || !scope.has('entitlement')) return;
  const recipient = doc.recipient.organization.name;
  // Both answers move with the heading: "who arranges" without "who pays" reads as the whole answer.
  w.heading(T.tx('duties.heading'), 9 * 12.35);
  if (doc.type === 'integration-support') {
    w.field(T.tx('duties.arranger'), T.tx('duties.arranger.integration-support', { org: recipient }));
    const key = isAct681(doc) ? 'duties.payer.integration-support' : 'duties.payer.integration-support-old';
    w.field(T.tx('duties.payer'), T.tx(key, { org: recipient }));
    return;
  }
  // Who arranges: the organiser of the new home municipality (LsL 16 §), or, when the home
  // municipality stays, the receiver in cooperation with the responsible one (16 b §).
  const changes = doc.youth.homeMunicipalityChanges;
  const arranger = changes === true ? 'changes' : changes === false ? 'stays' : 'unknown';
  const payer = (e.payer === 'sender' ? doc.sender : doc.recipient).organization.name;
  w.field(T.tx('duties.arranger'), T.tx(`duties.arranger.aftercare.${arranger}`, { org: recipient, payer }));
  // Who pays, by the basis (LsL 16 a § 3 mom.).
  const basis =
    e.basis === 'open-care-placement' || e.basis === 'discretionary' ? e.basis : 'custody-placement';
  w.field(T.tx('duties.payer'), T.tx(`duties.payer.aftercare.${basis}`, { org: payer }));
  w.text(T.tx('duties.payerDuty'), { size: 8, grey: true });
}

export function decisions({ w, doc, T, scope }: Ctx): void {
  const list = doc.decisions;
  if (!list || list.length === 0 || !scope.has('entitlement')) return;
  w.heading(T.tx('decisions.heading'));
  w.bullets(
    list.map((d) => {
      const text = T.tx('decisions.item', { date: formatDate(d.date, T), subject: d.subject });
      return d.reference ? T.tx('decisions.reference', { text, ref: d.reference }) : text;
    }),
  );
  w.text(T.tx('decisions.note'), { size: 8, grey: true });
}

/** Both contact persons and the backups that exist: a missing backup is the worker's warning, not the receiver's news. */
export function contacts({ w, doc, T }: Ctx): void {
  w.heading(T.tx('contacts.heading'));
  const s = doc.sender;
  if (s.contact) w.field(T.tx('contacts.sender'), `${personLine(s.contact)} (${s.organization.name})`);
  if (s.backupContact) w.field(T.tx('contacts.senderBackup'), personLine(s.backupContact));
  const r = doc.recipient;
  if (r.contact) w.field(T.tx('contacts.recipient'), `${personLine(r.contact)} (${r.organization.name})`);
  if (r.backupContact) w.field(T.tx('contacts.recipientBackup'), personLine(r.backupContact));
}

export function plan({ w, doc, T, scope }: Ctx): void {
  const p = doc.clientPlan;
  if (!p || !scope.has('clientPlan')) return;
  w.heading(T.tx('plan.heading'));
  const review = p.reviewDue ? ` ${T.tx('plan.review', { date: formatDate(p.reviewDue, T) })}` : '';
  w.text(`${T.tx('plan.date', { date: formatDate(p.date, T) })}${review}`);
  const visible = p.goals.filter((g) => (g.categories ?? []).every((c) => scope.has(c)));
  if (visible.length > 0) w.bullets(visible.map((g) => g.text));
}

const classification = (s: Service, doc: Handover, T: LetterTexts): string =>
  // Integration support is not aftercare: its own services are named for what they are.
  s.classification === 'aftercare' && doc.type === 'integration-support'
    ? T.tx('services.classification.aftercare.integration-support')
    : T.tx(`services.classification.${s.classification}`);

export function servicesTable({ w, doc, T, scope, services: list }: Ctx): void {
  if (!scope.has('services')) return;
  w.heading(T.tx('services.heading'));
  if (list.length === 0) {
    w.text(T.tx('services.none'));
    return;
  }
  const cols: Column[] = [
    { title: T.tx('services.col.service'), width: 26 },
    { title: T.tx('services.col.classification'), width: 19 },
    { title: T.tx('services.col.provider'), width: 15 },
    { title: T.tx('services.col.payer'), width: 15 },
    { title: T.tx('services.col.price'), width: 25 },
  ];
  const rows = list.map((s) => {
    const from = s.period ? formatDate(s.period.from, T) : '';
    const period = !s.period
      ? ''
      : s.period.to
        ? ` (${T.tx('services.period', { from, to: formatDate(s.period.to, T) })})`
        : ` (${T.tx('services.periodOpen', { from })})`;
    const desc = s.description ? `: ${s.description}` : '';
    return [
      `${serviceName(s, T)}${desc}${period}`,
      classification(s, doc, T),
      T.tx(`services.party.${s.provider}`),
      T.tx(`services.party.${s.payer}`),
      priceBasis(s, T),
    ];
  });
  w.table(cols, rows);
  w.text(
    T.tx('services.legend', {
      sender: doc.sender.organization.name,
      recipient: doc.recipient.organization.name,
    }),
    { size: 8, grey: true },
  );
}

/**
 * The money side (SPEC §6): for aftercare paid by the sender, where invoices go and whether
 * this letter is a payment commitment; for integration support, that the arranger claims the
 * state's reimbursement and the sender neither pays nor recovers anything.
 */
export function payment({ w, doc, T, scope, services: list }: Ctx): void {
  const e = doc.entitlement;
  const sender = doc.sender.organization.name;
  if (doc.type === 'integration-support') {
    w.heading(T.tx('payment.headingIntegration'));
    const act681 = isAct681(doc);
    w.text(
      T.tx(act681 ? 'payment.integration' : 'payment.integrationOld', {
        org: doc.recipient.organization.name,
      }),
    );
    if (act681) w.text(T.tx('payment.integrationLimits'));
    if (e?.reimbursementDecision && scope.has('entitlement'))
      w.text(T.tx('payment.reimbursement', { ref: e.reimbursementDecision }));
    return;
  }
  const youthFunds = list.some((s) => s.classification === 'youth-funds');
  if (!e && !youthFunds && !doc.paymentCommitment) return;
  w.heading(T.tx('payment.heading'));
  if (e?.payer === 'recipient') {
    w.text(T.tx('payment.recipientPays', { org: doc.recipient.organization.name }));
  } else if (e) {
    const b = doc.sender.billing;
    if (b) {
      w.text(T.tx('payment.invoicesTo', { org: sender }), { after: 2 });
      if (b.eInvoiceAddress) w.field(T.tx('payment.eInvoiceAddress'), b.eInvoiceAddress);
      if (b.operator) w.field(T.tx('payment.operator'), b.operator);
      if (b.reference) w.field(T.tx('payment.reference'), b.reference);
      if (b.email) w.field(T.tx('payment.email'), b.email);
      w.space(3);
    } else {
      w.text(T.tx('payment.noBilling'));
    }
    const c = scope.has('services') ? doc.paymentCommitment : undefined;
    if (c) {
      const period = c.to
        ? T.tx('payment.period', { from: formatDate(c.from, T), to: formatDate(c.to, T) })
        : T.tx('payment.periodOpen', { from: formatDate(c.from, T) });
      const parts = [T.tx('payment.commitment', { org: sender, period })];
      if (c.maxAmountEur !== undefined)
        parts.push(T.tx('payment.ceiling', { amount: formatMoney(c.maxAmountEur, T) }));
      if (c.decisionReference) parts.push(T.tx('payment.commitmentDecision', { ref: c.decisionReference }));
      w.text(parts.join(' '), { bold: true, keep: true });
    } else {
      w.text(T.tx('payment.noCommitment'), { bold: true, keep: true });
    }
  }
  if (youthFunds) {
    const due = youthFundsDue({
      type: doc.type,
      birthDate: doc.youth.birthDate,
      createdAt: doc.createdAt,
      basis: e?.basis,
      placementEndedOn: e?.placementEndedOn,
      extension: readExtension(e),
      endsOn: e?.endsOn,
    });
    w.text(
      due
        ? T.tx('payment.youthFunds', { org: sender, date: formatDate(due, T) })
        : T.tx('payment.youthFundsNoDate', { org: sender }),
    );
  }
  orgAgenda({ w, doc, T, scope, services: list });
}

/**
 * Payment items go on an agenda of their own between the organisations, never on the agenda of
 * the meeting held with the youth (SPEC §6).
 */
function orgAgenda({ w, doc, T, scope, services: list }: Ctx): void {
  const items = list
    .filter((s) => s.classification === 'needs-agreement')
    .map((s) => T.tx('payment.orgAgendaService', { service: serviceName(s, T) }));
  if (doc.entitlement?.payer === 'sender' && !(scope.has('services') && doc.paymentCommitment))
    items.push(T.tx('payment.orgAgendaCommitment'));
  if (items.length === 0) return;
  w.text(T.tx('payment.orgAgenda'), { bold: true, after: 2 });
  w.text(T.tx('payment.orgAgendaIntro'), { keep: true });
  w.bullets(items);
}

export function meeting({ w, doc, T, services: list }: Ctx): void {
  const m = doc.meeting;
  const intro = T.tx(m ? 'meeting.intro' : 'meeting.none');
  // The proposal moves with its heading: the times, the way and the place belong together.
  w.heading(T.tx('meeting.heading'), w.height(intro) + (m ? (m.slots.length + 2) * 14 : 0));
  if (!m) {
    w.text(T.tx('meeting.none'));
  } else {
    w.text(T.tx('meeting.intro'), { keep: true });
    w.bullets(m.slots.map((s) => formatSlot(s.start, s.end, T)));
    w.field(T.tx('meeting.channel'), T.tx(`meeting.channel.${m.channel}`));
    const location = safeLocation(doc);
    if (location) w.field(T.tx('meeting.location'), location);
  }
  const agenda = agendaItems(doc, list, T);
  w.ensure(40);
  w.text(T.tx('meeting.agenda'), { bold: true, after: 2 });
  w.bullets(agenda);
}

export function dispute({ w, doc, T }: Ctx): void {
  w.heading(T.tx('dispute.heading'));
  w.text(T.tx(`dispute.${doc.type}`));
}

export function consent({ w, doc, T }: Ctx): void {
  const c = doc.consent;
  const categories = categoryList(c.scope, T, doc.type);
  w.heading(T.tx('consent.heading'));
  if (c.basis === 'statutory') {
    w.text(T.tx('consent.statutory', { ref: c.statutoryReference ?? '', categories }));
  } else {
    // The permission covers all of the client's data (703/2023 55 §); the scope is our minimisation.
    const givenBy = T.tx(`consent.givenBy.${c.givenBy ?? 'youth'}`);
    w.text(
      !c.givenOn || !c.method
        ? T.tx('consent.consentNoDate', { givenBy })
        : T.tx('consent.consent', {
            givenBy,
            method: T.tx(`consent.method.${c.method}`),
            date: formatDate(c.givenOn, T),
          }),
    );
    w.text(T.tx('consent.permissionScope', { categories }));
  }
  w.text(T.tx('consent.recordedBy', { name: c.recordedBy }));
}
