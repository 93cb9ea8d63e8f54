/**
 * The cover letter (SPEC §6): what the receiving organisation's worker reads. Only data the
 * disclosure basis covers is shown; under a non-disclosure marking no address of the youth
 * appears and the letter says why. The handover file itself rides along as a PDF/A-3
 * attachment, so that one signed PDF carries both.
 */

import { handoverStem } from '../documents/names.js';
import { serviceName as catalogueName, serviceCategories } from '../domain/catalogue.js';
import { sha256Hex } from '../io/hash.js';
import type { Category, Handover } from '../schema/types.js';
import { finishPdf, orgName, type RenderOptions, startPdf } from './document.js';
import { formatDate, formatMoney, formatNumber, formatSlot, helsinkiDate, personLine } from './format.js';
import { municipalityName } from './language.js';
import type { Column, FlowWriter } from './layout.js';
import { type LetterTexts, letterTexts } from './texts.js';

type Service = Handover['services'][number];

export const serviceName = (s: Service, T: LetterTexts): string => catalogueName(s.code, T.lang);

export const categoryList = (cats: readonly Category[], T: LetterTexts): string =>
  cats.map((c) => T.tx(`categories.${c}`)).join(', ');

export function languageName(code: string, T: LetterTexts): string {
  try {
    return new Intl.DisplayNames([T.locale], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

function priceBasis(s: Service, T: LetterTexts): string {
  const p = s.pricing;
  if (!p) return T.tx('services.noPrice');
  const price = formatMoney(p.unitPriceEur, T);
  const base =
    p.unit === 'lump-sum'
      ? T.tx('services.priceLump', { price })
      : T.tx('services.price', { price, unit: T.tx(`services.unit.${p.unit}`) });
  if (p.estimatedUnits === undefined || p.unit === 'lump-sum') return base;
  return `${base}; ${T.tx('services.estimate', {
    units: formatNumber(p.estimatedUnits, T),
    total: formatMoney(p.unitPriceEur * p.estimatedUnits, T),
  })}`;
}

function header(w: FlowWriter, doc: Handover, T: LetterTexts, letterDate: string): void {
  const o = doc.sender.organization;
  const addr = o.address ? `${o.address.street}, ${o.address.postalCode} ${o.address.city}` : undefined;
  const left = [
    { text: o.name, size: 13, bold: true },
    ...(o.unit ? [{ text: o.unit }] : []),
    ...(addr ? [{ text: addr }] : []),
    { text: T.tx('header.businessId', { id: o.businessId }), grey: true },
  ];
  const right = [
    { text: T.tx('header.confidential'), size: 11, bold: true },
    { text: T.tx('header.ground'), size: 7.5 },
    ...(doc.caseReference ? [{ text: T.tx('header.caseReference', { ref: doc.caseReference }) }] : []),
    { text: T.tx('header.date', { date: letterDate }) },
  ];
  w.twoColumns(left, right);
  w.space(10);
  const r = doc.recipient.organization;
  w.text(T.tx('header.to'), { bold: true, size: 8, grey: true, after: 1 });
  w.text(r.name, { bold: true, after: 1 });
  if (r.unit) w.text(r.unit, { after: 1 });
  if (r.address) w.text(`${r.address.street}, ${r.address.postalCode} ${r.address.city}`, { after: 1 });
  w.space(12);
  w.text(T.tx(`subject.${doc.type}`), { size: 13, bold: true, after: 6 });
  w.text(T.tx(`intro.${doc.type}`), { after: 6 });
}

function youth(w: FlowWriter, doc: Handover, T: LetterTexts, scope: Set<Category>): void {
  const y = doc.youth;
  w.heading(T.tx('youth.heading'));
  if (scope.has('identity')) {
    w.field(T.tx('youth.name'), `${y.name.given} ${y.name.family}`);
    w.field(T.tx('youth.birthDate'), formatDate(y.birthDate, T));
    if (y.personalIdentityCode) w.field(T.tx('youth.identityCode'), y.personalIdentityCode);
  }
  w.field(T.tx('youth.newMunicipality'), municipalityName(y.newMunicipalityCode, T.lang));
  if (y.movingDate) w.field(T.tx('youth.movingDate'), formatDate(y.movingDate, T));
  if (scope.has('contact') && y.contact) {
    if (y.contact.phone) w.field(T.tx('youth.phone'), y.contact.phone);
    if (y.contact.email) w.field(T.tx('youth.email'), y.contact.email);
    if (y.contact.address && !y.nonDisclosure) {
      const a = y.contact.address;
      w.field(T.tx('youth.address'), `${a.street}, ${a.postalCode} ${a.city}`);
    }
  }
  if (y.preferredLanguage) w.field(T.tx('youth.preferredLanguage'), languageName(y.preferredLanguage, T));
  if (y.interpreter) w.field(T.tx('youth.interpreter'), languageName(y.interpreter, T));
  if (y.wantsServices) w.field(T.tx('youth.wantsServices'), T.tx(`wants.${y.wantsServices}`));
  if (y.wishes) w.field(T.tx('youth.wishes'), y.wishes);
  w.space(3);
  if (y.nonDisclosure) w.text(T.tx('youth.nonDisclosure'), { bold: true });
  w.text(T.tx('youth.scopeNote', { categories: categoryList(doc.consent.scope, T) }), {
    grey: true,
    size: 8,
  });
}

function entitlement(w: FlowWriter, doc: Handover, T: LetterTexts): void {
  const e = doc.entitlement;
  if (!e) return;
  const payer = e.payer === 'sender' ? doc.sender : doc.recipient;
  w.heading(T.tx(`entitlement.heading.${doc.type}`));
  w.field(T.tx('entitlement.basis'), T.tx(`entitlement.basis.${e.basis}`));
  w.field(T.tx('entitlement.placementEnded'), formatDate(e.placementEndedOn, T));
  w.field(T.tx('entitlement.endsOn'), formatDate(e.endsOn, T));
  w.field(
    T.tx('entitlement.payer'),
    T.tx(`entitlement.payerText.${doc.type}`, { org: payer.organization.name }),
  );
  w.field(
    T.tx('entitlement.arranger'),
    T.tx('entitlement.arrangerText', { org: doc.recipient.organization.name }),
  );
  if (e.reimbursementDecision) w.field(T.tx('entitlement.reimbursement'), e.reimbursementDecision);
  if (e.discretionary && e.policyReference)
    w.text(T.tx('entitlement.discretionary', { ref: e.policyReference }));
}

function contacts(w: FlowWriter, doc: Handover, T: LetterTexts): void {
  w.heading(T.tx('contacts.heading'));
  const s = doc.sender;
  if (s.contact) w.field(T.tx('contacts.sender'), `${personLine(s.contact)} (${s.organization.name})`);
  w.field(
    T.tx('contacts.senderBackup'),
    s.backupContact ? personLine(s.backupContact) : T.tx('contacts.noBackup'),
  );
  const r = doc.recipient;
  if (r.contact) w.field(T.tx('contacts.recipient'), `${personLine(r.contact)} (${r.organization.name})`);
  if (r.backupContact) w.field(T.tx('contacts.recipientBackup'), personLine(r.backupContact));
  w.space(2);
  w.text(T.tx('contacts.requestWorker'), { bold: true });
}

function plan(w: FlowWriter, doc: Handover, T: LetterTexts, scope: Set<Category>): void {
  const p = doc.clientPlan;
  if (!p || !scope.has('clientPlan')) return;
  w.heading(T.tx('plan.heading'));
  const review = p.reviewDue ? ` ${T.tx('plan.review', { date: formatDate(p.reviewDue, T) })}` : '';
  w.text(`${T.tx('plan.date', { date: formatDate(p.date, T) })}${review}`);
  const visible = p.goals.filter((g) => (g.categories ?? []).every((c) => scope.has(c)));
  if (visible.length > 0) w.bullets(visible.map((g) => g.text));
}

/**
 * Services whose categories (own tags and the code's defaults) the scope covers. Validation
 * rejects a file with others; this is the second guard, in the place where data leaves.
 */
export const visibleServices = (doc: Handover, scope: Set<Category>): Service[] =>
  scope.has('services') ? doc.services.filter((s) => serviceCategories(s).every((c) => scope.has(c))) : [];

function services(w: FlowWriter, doc: Handover, T: LetterTexts, list: Service[]): void {
  w.heading(T.tx('services.heading'));
  if (list.length === 0) {
    w.text(T.tx('services.none'));
    return;
  }
  const cols: Column[] = [
    { title: T.tx('services.col.service'), width: 30 },
    { title: T.tx('services.col.classification'), width: 19 },
    { title: T.tx('services.col.provider'), width: 13 },
    { title: T.tx('services.col.payer'), width: 13 },
    { title: T.tx('services.col.price'), width: 25 },
  ];
  const rows = list.map((s) => {
    const period = s.period
      ? ` (${T.tx('services.period', { from: formatDate(s.period.from, T), to: s.period.to ? formatDate(s.period.to, T) : '' })})`
      : '';
    const desc = s.description ? `: ${s.description}` : '';
    return [
      `${serviceName(s, T)}${desc}${period}`,
      T.tx(`services.classification.${s.classification}`),
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

function meeting(w: FlowWriter, doc: Handover, T: LetterTexts, list: Service[]): void {
  const m = doc.meeting;
  w.heading(T.tx('meeting.heading'));
  if (!m) {
    w.text(T.tx('meeting.none'));
  } else {
    w.text(T.tx('meeting.intro'));
    w.bullets(m.slots.map((s) => formatSlot(s.start, s.end, T)));
    w.field(T.tx('meeting.channel'), T.tx(`meeting.channel.${m.channel}`));
    if (m.location) w.field(T.tx('meeting.location'), m.location);
  }
  const agenda = [
    ...list
      .filter((s) => s.classification === 'needs-agreement')
      .map((s) => T.tx('meeting.agendaService', { service: serviceName(s, T) })),
    ...(m?.agenda ?? []),
    T.tx('meeting.agendaDefault'),
  ];
  w.text(T.tx('meeting.agenda'), { bold: true, after: 2 });
  w.bullets(agenda);
}

function consentStatement(doc: Handover, T: LetterTexts): string {
  const c = doc.consent;
  const categories = categoryList(c.scope, T);
  if (c.basis === 'statutory')
    return T.tx('consent.statutory', { ref: c.statutoryReference ?? '', categories });
  const givenBy = T.tx(`consent.givenBy.${c.givenBy ?? 'youth'}`);
  if (!c.givenOn || !c.method) return T.tx('consent.consentNoDate', { givenBy, categories });
  return T.tx('consent.consent', {
    givenBy,
    method: T.tx(`consent.method.${c.method}`),
    date: formatDate(c.givenOn, T),
    categories,
  });
}

/** The unsigned PDF/A-3b cover letter with the handover file attached. */
export async function renderLetter(doc: Handover, opts: RenderOptions): Promise<Uint8Array> {
  const T = letterTexts(opts.lang);
  const date = opts.now ?? new Date(doc.createdAt);
  const scope = new Set(doc.consent.scope);
  const sha = sha256Hex(opts.fileBytes);
  const s = await startPdf(Buffer.from(sha, 'hex'));
  const { w } = s;
  header(w, doc, T, formatDate(helsinkiDate(date), T));
  youth(w, doc, T, scope);
  if (scope.has('entitlement')) entitlement(w, doc, T);
  contacts(w, doc, T);
  plan(w, doc, T, scope);
  const list = visibleServices(doc, scope);
  if (scope.has('services')) services(w, doc, T, list);
  meeting(w, doc, T, list);
  w.heading(T.tx('dispute.heading'));
  w.text(T.tx('dispute.text'));
  w.heading(T.tx('consent.heading'));
  w.text(consentStatement(doc, T));
  w.text(T.tx('consent.recordedBy', { name: doc.consent.recordedBy }));
  if (doc.notes) {
    w.heading(T.tx('notes.heading'));
    w.text(doc.notes);
  }
  // The closing block stays together: a signature line alone on a last page reads as a mistake.
  const ack = T.tx('ack.text');
  const signed = T.tx('ack.signature', { org: doc.sender.organization.name });
  w.ensure(30 + w.height(ack) + w.height(signed));
  w.heading(T.tx('ack.heading'));
  w.text(ack);
  w.text(signed, { grey: true });
  w.footer((page, pages) => [
    `${T.tx('footer.id', { id: doc.id })}    ${T.tx('footer.page', { page, pages })}`,
    T.tx('footer.sha', { sha }),
  ]);
  return finishPdf(s, {
    title: T.tx('meta.title'),
    subject: T.tx('meta.subject'),
    keywords: T.tx('meta.keywords'),
    author: orgName(doc.sender),
    lang: opts.lang,
    date,
    kind: 'cover-letter',
    fileBytes: opts.fileBytes,
    ...(opts.beforeSave ? { beforeSave: opts.beforeSave } : {}),
    attachment: { name: `${handoverStem(doc)}.handover.json`, description: T.tx('meta.subject') },
  });
}
