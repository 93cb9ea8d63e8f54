/** `show` for people: the summary as lines in the chosen language, d.m.yyyy dates in fi and sv. */

import { formatDateFi, helsinkiDate, helsinkiTime, isDate } from '../../domain/dates.js';
import { formatMoney, type Lang, languageName, t } from '../../i18n/index.js';
import { escapeControl } from '../../io/escape.js';
import type { HandoverSummary, PartySummary, PersonSummary, ShowResult } from './types.js';

const date = (d: string | undefined, lang: Lang): string | undefined =>
  d === undefined ? undefined : lang !== 'en' && isDate(d) ? formatDateFi(d) : d;

function dateTime(dt: string | undefined, lang: Lang): string | undefined {
  const day = helsinkiDate(dt);
  const time = helsinkiTime(dt);
  if (day === undefined || time === undefined) return dt;
  const clock = lang === 'en' ? time : time.replace(/^0/, '').replace(':', '.');
  return `${date(day, lang)} ${t('show.time.at', lang)} ${clock}`;
}

const money = formatMoney;

/** Joins the present parts of a line with ", ". */
const join = (...parts: (string | undefined | false)[]): string =>
  parts.filter((p): p is string => typeof p === 'string' && p !== '').join(', ');

/** `label: value`, or undefined when the value is absent. */
const lv = (label: string, value: string | undefined): string | undefined =>
  value === undefined ? undefined : `${label} ${value}`;

function renderPerson(p: PersonSummary | undefined): string | undefined {
  return p && join(p.name, p.title, p.email, p.phone);
}

function renderParty(label: string, p: PartySummary | undefined, lang: Lang): string[] {
  if (!p) return [`${label}: ${t('show.label.missing', lang)}`];
  const L = (k: string) => t(`show.label.${k}`, lang);
  const place = p.municipality ? `${p.municipality} (${p.municipalityCode})` : p.municipalityCode;
  const out = [
    `${label}: ${join(p.name, p.unit, lv(`${L('businessId')}`, p.businessId), place, p.email, p.phone)}`,
  ];
  if (p.contact) out.push(`  ${L('contact')}: ${renderPerson(p.contact)}`);
  if (p.backupContact) out.push(`  ${L('backupContact')}: ${renderPerson(p.backupContact)}`);
  if (p.billing)
    out.push(
      `  ${L('billing')}: ${join(lv(L('eInvoiceAddress'), p.billing.eInvoiceAddress), lv(L('operator'), p.billing.operator), lv(L('billingReference'), p.billing.reference), p.billing.email)}`,
    );
  return out;
}

/** The day an answer is asked by and who signs (1.1). */
function renderReplyAndSignatory(h: HandoverSummary, lang: Lang): string[] {
  const L = (k: string) => t(`show.label.${k}`, lang);
  const out: string[] = [];
  if (h.replyBy) out.push(`${L('replyBy')}: ${date(h.replyBy, lang)}`);
  if (h.signatory) out.push(`${L('signatory')}: ${join(h.signatory.name, h.signatory.title)}`);
  return out;
}

/** Decisions in force that the receiver needs (1.1). */
function renderDecisions(h: HandoverSummary, lang: Lang): string[] {
  if (!h.decisions?.length) return [];
  const L = (k: string) => t(`show.label.${k}`, lang);
  return [
    `${L('decisions')}:`,
    ...h.decisions.map(
      (d) => `  ${join(date(d.date, lang), d.subject, lv(L('decisionReference'), d.reference))}`,
    ),
  ];
}

/** The sender's commitment to pay (1.1). */
function renderPaymentCommitment(h: HandoverSummary, lang: Lang): string[] {
  const pc = h.paymentCommitment;
  if (!pc) return [];
  const L = (k: string) => t(`show.label.${k}`, lang);
  const period = `${date(pc.from, lang) ?? '?'}–${pc.to ? date(pc.to, lang) : t('show.label.openEnded', lang)}`;
  return [
    `${L('paymentCommitment')}: ${join(period, lv(L('maxAmount'), pc.maxAmountEur !== undefined ? money(pc.maxAmountEur, lang) : undefined), lv(L('decisionReference'), pc.decisionReference))}`,
  ];
}

/** Looks up an enum value's label, the raw value when there is none (a draft may hold anything). */
const term = (ns: string, v: string | undefined, lang: Lang): string | undefined => {
  if (v === undefined) return undefined;
  const key = `show.${ns}.${v}`;
  const r = t(key, lang);
  return r === key ? v : r;
};

/**
 * "Överföring av eftervård": the type is in the title of each type, not repeated after it; a
 * type this version does not know is named after a generic title.
 */
function titleOf(h: HandoverSummary, lang: Lang): string {
  const key = `show.title.handover_${h.type}`;
  const own = t(key, lang);
  if (h.type && own !== key) return own;
  return `${t('show.title.handover', lang)}${h.type ? ` (${term('type', h.type, lang)})` : ''}`;
}

function renderHandover(h: HandoverSummary, lang: Lang): string[] {
  const L = (k: string) => t(`show.label.${k}`, lang);
  const out: string[] = [];
  out.push(titleOf(h, lang));
  out.push(
    join(
      lv(`${L('id')}:`, h.id),
      lv(`${L('createdAt')}:`, date(h.createdOn, lang)),
      lv(`${L('caseReference')}:`, h.caseReference),
    ),
  );
  if (h.supersedes) out.push(`${L('supersedes')}: ${h.supersedes}`);
  out.push(...renderReplyAndSignatory(h, lang));
  out.push('');
  out.push(...renderParty(L('sender'), h.sender, lang));
  if (h.sender && !h.sender.backupContact) out.push(`  ${L('noBackupContact')}`);
  out.push(...renderParty(L('recipient'), h.recipient, lang));
  out.push('');

  const y = h.youth;
  if (y) {
    const fullName = join([y.givenName, y.familyName].filter(Boolean).join(' '));
    out.push(
      `${L('youth')}: ${join(fullName, lv(L('birthDate'), date(y.birthDate, lang)), lv(L('personalIdentityCode'), y.personalIdentityCode))}`,
    );
    const place = y.newMunicipality
      ? `${y.newMunicipality} (${y.newMunicipalityCode})`
      : y.newMunicipalityCode;
    if (place || y.movingDate)
      out.push(`  ${L('newMunicipality')}: ${join(place, lv(L('movingDate'), date(y.movingDate, lang)))}`);
    if (y.preferredLanguage || y.interpreter)
      out.push(
        `  ${L('preferredLanguage')}: ${join(y.preferredLanguage && languageName(y.preferredLanguage, lang), lv(L('interpreter'), y.interpreter && languageName(y.interpreter, lang)))}`,
      );
    if (y.contact || y.nonDisclosure)
      out.push(
        `  ${L('youthContact')}: ${join(y.contact?.phone, y.contact?.email, y.contact?.address, y.nonDisclosure && L('addressProtected'))}`,
      );
    if (y.wantsServices) out.push(`  ${L('wantsServices')}: ${term('wants', y.wantsServices, lang)}`);
    if (y.wishes) out.push(`  ${L('wishes')}: ${y.wishes}`);
  }

  const c = h.consent;
  if (c) {
    out.push(
      `${L('consent')}: ${join(term('basis', c.basis, lang), term('method', c.method, lang), lv(L('givenOn'), date(c.givenOn, lang)), lv(L('givenBy'), term('givenBy', c.givenBy, lang)), lv(L('statutoryReference'), c.statutoryReference), lv(L('recordedBy'), c.recordedBy))}`,
    );
    out.push(`  ${L('scope')}: ${c.scope.map((x) => term('category', x, lang)).join(', ')}`);
  }

  const e = h.entitlement;
  if (e) {
    out.push(
      `${L('entitlement')}: ${join(term('entitlementBasis', e.basis, lang), e.extension ? join(term('extension', e.extension.kind, lang), e.extension.reference, date(e.extension.decidedOn, lang)) : undefined)}`,
    );
    const placement = [date(e.placementStartedOn, lang), date(e.placementEndedOn, lang)]
      .filter(Boolean)
      .join('–');
    out.push(
      `  ${L('placement')}: ${join(placement, e.placedAlone === true ? L('placedAlone') : undefined, lv(L('lastClientOn'), date(e.lastClientOn, lang)))}`,
    );
    out.push(
      `  ${L('endsOn')}: ${join(date(e.endsOn, lang), lv(L('lastDayByLaw'), date(e.lastDayByLaw, lang)), lv(L('statutoryLastDay'), date(e.statutoryLastDay, lang)))}`,
    );
    if (e.lastDayReason) out.push(`  ${L('lastDayReason')}: ${e.lastDayReason}`);
    const billing = join(
      lv(`${L('payer')}:`, term('party', e.payer, lang)),
      lv(`${L('reimbursementDecision')}:`, e.reimbursementDecision),
    );
    if (billing) out.push(`  ${billing.charAt(0).toLocaleUpperCase(lang)}${billing.slice(1)}`);
    if (e.payerRule)
      out.push(
        `  ${L('payerRule')}: ${join(e.payerRule, lv(L('homeMunicipalityAtEnd'), e.homeMunicipalityAtEnd))}`,
      );
    if (y?.homeMunicipalityChanges !== undefined)
      out.push(
        `  ${L('arranger')}: ${term('arranger', y.homeMunicipalityChanges ? 'changes' : 'stays', lang)}`,
      );
  }

  out.push(...renderDecisions(h, lang));
  out.push(...renderPaymentCommitment(h, lang));

  const p = h.clientPlan;
  if (p) {
    out.push(`${L('clientPlan')}: ${join(date(p.date, lang), lv(L('reviewDue'), date(p.reviewDue, lang)))}`);
    for (const g of p.goals) out.push(`  ${g.id ?? '?'}: ${g.text ?? ''}`);
  }

  out.push(`${L('services')}:${h.services.length === 0 ? ` ${L('noServices')}` : ''}`);
  for (const sv of h.services) {
    const price =
      sv.pricing?.unitPriceEur !== undefined
        ? `${L('price')} ${money(sv.pricing.unitPriceEur, lang)}/${term('unit', sv.pricing.unit, lang)}${sv.pricing.estimatedUnits !== undefined ? ` × ${sv.pricing.estimatedUnits}` : ''}`
        : undefined;
    const period = sv.period
      ? `${date(sv.period.from, lang) ?? ''}–${date(sv.period.to, lang) ?? ''}`
      : undefined;
    out.push(
      `  ${sv.id ?? '?'}: ${sv.name ?? sv.code ?? '?'} — ${join(term('classification', sv.classification, lang), lv(L('provider'), term('party', sv.provider, lang)), lv(L('payer'), term('party', sv.payer, lang)), price, period, lv(L('goal'), sv.clientPlanGoal))}`,
    );
    if (sv.description) out.push(`      ${sv.description}`);
  }

  const m = h.meeting;
  if (m) {
    out.push(
      `${L('meeting')}: ${join(term('channel', m.channel, lang), lv(`${L('location')}:`, m.location))}`,
    );
    for (const sl of m.slots) {
      const endTime = helsinkiTime(sl.end);
      const end =
        helsinkiDate(sl.start) === helsinkiDate(sl.end) && endTime !== undefined
          ? lang === 'en'
            ? endTime
            : endTime.replace(/^0/, '').replace(':', '.')
          : dateTime(sl.end, lang);
      out.push(`  ${dateTime(sl.start, lang) ?? '?'}–${end ?? '?'}`);
    }
    if (m.agenda.length) out.push(`  ${L('agenda')}: ${m.agenda.join('; ')}`);
  }
  if (h.notes) out.push(`${L('notes')}: ${h.notes}`);
  out.push(`${L('signature')}: ${t(h.signed ? 'show.signed.yes' : 'show.signed.no', lang)}`);
  return out;
}

/** The summary as text for people, in the language asked for. */
export function renderShow(r: ShowResult, lang: Lang): string {
  const L = (k: string) => t(`show.label.${k}`, lang);
  let lines: string[];
  if (r.kind === 'handover') lines = renderHandover(r, lang);
  else if (r.kind === 'receipt') {
    lines = [
      t('show.title.receipt', lang),
      join(lv(`${L('id')}:`, r.id), lv(`${L('receivedAt')}:`, dateTime(r.receivedAt, lang))),
      `${L('handoverId')}: ${r.handoverId ?? '?'}`,
      `SHA-256: ${r.handoverSha256 ?? '?'}`,
      ...renderParty(L('receiver'), r.receiver, lang),
      `${L('outcome')}: ${term('outcome', r.outcome, lang) ?? '?'}`,
    ];
    if (r.reasons.length)
      lines.push(`${L('reasons')}: ${r.reasons.map((x) => join(x.rule, x.pointer)).join('; ')}`);
    lines.push(`${L('signature')}: ${t(r.signed ? 'show.signed.yes' : 'show.signed.no', lang)}`);
  } else {
    lines = [
      t('show.title.withdrawal', lang),
      join(lv(`${L('id')}:`, r.id), lv(`${L('withdrawnAt')}:`, dateTime(r.withdrawnAt, lang))),
      `${L('handoverId')}: ${r.handoverId ?? '?'}`,
      ...renderParty(L('sender'), r.sender, lang),
      `${L('reason')}: ${r.reason ?? '?'}`,
      `${L('signature')}: ${t(r.signed ? 'show.signed.yes' : 'show.signed.no', lang)}`,
    ];
  }
  // Every string here comes from a document: data, never terminal control (SPEC §10).
  return `${escapeControl(lines.join('\n'))}\n`;
}
