/**
 * The summary (SPEC §4.7): every answer in the worker's language, the findings of every rule,
 * and a way back to the section that fixes each, before anything is written or signed.
 */
import { formatDateFi, helsinkiDate, helsinkiTime } from '../../domain/dates.js';
import { readExtension } from '../../domain/law.js';
import { byCode } from '../../domain/municipalities.js';
import { formatMoney, languageName, tn } from '../../i18n/index.js';
import type { Category, Person } from '../../schema/types.js';
import { type DraftFinding, type Interview, interrupted } from '../base.js';
import { clientPlan } from './client-plan.js';
import { consentGate } from './consent.js';
import { entitlement } from './entitlement.js';
import { caseDetails, decisions, payment } from './formal.js';
import { meeting } from './meeting.js';
import { notes } from './notes.js';
import { senderContacts } from './profile.js';
import { recipient } from './recipient.js';
import { services } from './services.js';
import { youth } from './youth.js';

interface Section {
  id: string;
  /** Shown only when this category is in the consent scope. */
  category?: Category;
  /** JSON pointers whose findings this section fixes (the longest match wins). */
  pointers: string[];
  again: (q: Interview) => Promise<void>;
}

/** The sections the worker may go back to, in the order asked; each keeps its answers as defaults. */
const EDITABLE: readonly Section[] = [
  { id: 'sender', pointers: ['/sender'], again: senderContacts },
  { id: 'consent', pointers: ['/consent'], again: (q) => consentGate(q, true) },
  {
    id: 'recipient',
    pointers: ['/recipient', '/youth/newMunicipalityCode', '/type'],
    again: (q) => recipient(q, true),
  },
  { id: 'youth', pointers: ['/youth'], again: (q) => youth(q, true) },
  { id: 'case', pointers: ['/caseReference', '/replyBy', '/signatory'], again: (q) => caseDetails(q, true) },
  {
    id: 'entitlement',
    category: 'entitlement',
    pointers: ['/entitlement'],
    again: (q) => entitlement(q, true),
  },
  { id: 'decisions', category: 'entitlement', pointers: ['/decisions'], again: (q) => decisions(q, true) },
  { id: 'clientPlan', category: 'clientPlan', pointers: ['/clientPlan'], again: (q) => clientPlan(q, true) },
  { id: 'services', category: 'services', pointers: ['/services'], again: (q) => services(q, true) },
  {
    id: 'payment',
    category: 'services',
    pointers: ['/paymentCommitment', '/sender/billing'],
    again: (q) => payment(q, true),
  },
  { id: 'meeting', pointers: ['/meeting'], again: (q) => meeting(q, true) },
  { id: 'notes', pointers: ['/notes'], again: (q) => notes(q, true) },
];

/** The section whose questions change the value at a pointer, if the worker can reach it. */
function sectionOf(pointer: string, sections: readonly Section[]): Section | undefined {
  let best: Section | undefined;
  let length = -1;
  for (const s of sections)
    for (const p of s.pointers)
      if ((pointer === p || pointer.startsWith(`${p}/`)) && p.length > length) {
        best = s;
        length = p.length;
      }
  return best;
}

/** SPEC §4.7: nothing is written before the worker has seen the findings and accepted the summary. */
export async function summary(q: Interview): Promise<void> {
  for (;;) {
    const sections = EDITABLE.filter((s) => !s.category || q.inScope(s.category));
    const findings = q.findings(q.draft);
    const errors = findings.filter((f) => f.severity === 'error');
    q.ask.say(summaryText(q));
    if (findings.length) q.ask.say(findingsText(q, findings, sections));
    // The section of the first error is proposed; with an error, writing is not offered at all.
    const first = errors.map((f) => sectionOf(f.pointer, sections)).find((s) => s !== undefined);
    const action = await q.ask.select<string>({
      message: q.m('SUMMARY_WHAT_NOW'),
      choices: [
        ...(errors.length ? [] : [{ value: 'write', name: q.m('SUMMARY_WRITE') }]),
        ...sections.map((s) => ({
          value: s.id,
          name: q.m('SUMMARY_EDIT', { section: q.m(`SECTION__${s.id}`) }),
        })),
        { value: 'cancel', name: q.m('SUMMARY_CANCEL') },
      ],
      default: errors.length && first ? first.id : 'write',
    });
    if (action === 'write') return;
    if (action === 'cancel') throw interrupted();
    await sections.find((s) => s.id === action)?.again(q);
  }
}

function findingsText(q: Interview, findings: DraftFinding[], sections: readonly Section[]): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const L = [
    '',
    q.m(errors ? 'SUMMARY_FINDINGS_ERRORS' : 'SUMMARY_FINDINGS_WARNINGS', {
      errors,
      warnings: findings.length - errors,
    }),
  ];
  for (const f of findings) {
    const s = sectionOf(f.pointer, sections);
    L.push(
      `  ${q.m(`SUMMARY_SEVERITY__${f.severity}`)} ${f.rule}: ${f.message}` +
        (s ? ` → ${q.m('SUMMARY_EDIT', { section: q.m(`SECTION__${s.id}`) })}` : ''),
    );
  }
  return L.join('\n');
}

const personText = (p: Person | undefined): string | undefined =>
  p ? [p.name, p.title, p.email, p.phone].filter(Boolean).join(', ') : undefined;

/** "9.12.2026 klo 13.00–14.00 (Suomen aikaa)": the clock of Finland, written as Finns write it. */
function slotText(q: Interview, s: { start: string; end: string }): string {
  const day = helsinkiDate(s.start);
  const time = (t: string) => (helsinkiTime(t) ?? '').replace(':', '.');
  return q.m('SUMMARY_SLOT', {
    date: day ? formatDateFi(day) : s.start,
    start: time(s.start),
    end: time(s.end),
  });
}

/** A street address on one line, as typed. */
const addressText = (a: { street?: string; postalCode?: string; city?: string } | undefined) =>
  a ? [a.street, [a.postalCode, a.city].filter(Boolean).join(' ')].filter(Boolean).join(', ') : undefined;

function summaryText(q: Interview): string {
  const d = q.draft;
  const L: string[] = ['', q.m('SUMMARY_TITLE')];
  const row = (k: string, v: string | undefined) => {
    if (v) L.push(`  ${q.m(k)}: ${v}`);
  };
  const date = (v: string | undefined) => (v ? formatDateFi(v) : undefined);
  const money = (eur: number) => formatMoney(eur, q.lang);
  row('SUMMARY_TYPE', d.type ? q.m(`TYPE__${d.type}`) : undefined);
  row('SUMMARY_SENDER', d.sender?.organization.name);
  row('SUMMARY_SENDER_CONTACT', personText(d.sender?.contact));
  row('SUMMARY_BACKUP', personText(d.sender?.backupContact) ?? q.m('SUMMARY_NONE'));
  const org = d.recipient?.organization;
  row('SUMMARY_RECIPIENT', org ? `${org.name}, ${q.m('SUMMARY_BUSINESS_ID')} ${org.businessId}` : undefined);
  row('SUMMARY_RECIPIENT_CONTACT', personText(d.recipient?.contact) ?? q.m('SUMMARY_NOT_KNOWN'));
  const mun = byCode(d.youth?.newMunicipalityCode);
  row('SUMMARY_MUNICIPALITY', mun ? (q.lang === 'sv' ? mun.name_sv : mun.name_fi) : undefined);
  if (q.letterLang) row('SUMMARY_LETTER_LANGUAGE', q.m(`LETTER_LANGUAGE__${q.letterLang}`));
  row('SUMMARY_CASE_REFERENCE', d.caseReference);
  row('SUMMARY_REPLY_BY', date(d.replyBy));
  row('SUMMARY_SIGNATORY', d.signatory ? `${d.signatory.name}, ${d.signatory.title}` : undefined);
  youthRows(q, row);
  row(
    'SUMMARY_CONSENT',
    d.consent
      ? q.m(d.consent.basis === 'statutory' ? 'CONSENT_GIVEN__statutory' : 'CONSENT_GIVEN__yes') +
          (d.consent.givenOn ? ` ${formatDateFi(d.consent.givenOn)}` : '')
      : undefined,
  );
  row('SCOPE', (d.consent?.scope ?? []).map((c) => q.m(`CATEGORY__${c}`)).join(', '));
  const e = d.entitlement;
  if (e) {
    row('SUMMARY_PLACEMENT_ENDED', date(e.placementEndedOn));
    row('SUMMARY_LAST_CLIENT', e.lastClientOn ? formatDateFi(e.lastClientOn) : q.m('SUMMARY_STILL_CLIENT'));
    row(
      'SUMMARY_ENDS',
      formatDateFi(e.endsOn) +
        (() => {
          const ext = readExtension(e);
          return ext ? ` (${q.m(`SUMMARY_EXTENSION__${ext.kind}`)}: ${ext.reference})` : '';
        })(),
    );
    row('SUMMARY_PAYER', e.payer ? q.m(`SERVICE_PAYER__${e.payer}`) : undefined);
  }
  const bl = d.sender?.billing;
  if (bl)
    row(
      'SUMMARY_BILLING',
      [bl.eInvoiceAddress, bl.operator, bl.reference, bl.email].filter(Boolean).join(', '),
    );
  for (const x of d.decisions ?? [])
    row('SUMMARY_DECISION', [formatDateFi(x.date), x.subject, x.reference].filter(Boolean).join(', '));
  const pc = d.paymentCommitment;
  if (pc)
    row(
      'SUMMARY_COMMITMENT',
      [
        `${formatDateFi(pc.from)}–${pc.to ? formatDateFi(pc.to) : ''}`,
        pc.maxAmountEur !== undefined ? money(pc.maxAmountEur) : undefined,
        pc.decisionReference,
      ]
        .filter(Boolean)
        .join(', '),
    );
  if (d.clientPlan) {
    row('SUMMARY_GOALS', tn('interview.SUMMARY_GOAL_COUNT', q.lang, d.clientPlan.goals.length));
    for (const g of d.clientPlan.goals) L.push(`    ${g.id}: ${g.text}`);
  }
  for (const sv of d.services ?? []) {
    const pr = sv.pricing;
    const price = pr
      ? `${q.m('SUMMARY_PRICE', { price: money(pr.unitPriceEur), unit: q.m(`SERVICE_UNIT__${pr.unit}`) })}${pr.estimatedUnits !== undefined ? ` × ${pr.estimatedUnits}` : ''}`
      : undefined;
    const period = sv.period
      ? `${formatDateFi(sv.period.from)}–${sv.period.to ? formatDateFi(sv.period.to) : ''}`
      : undefined;
    L.push(
      `  - ${[
        `${q.catalogue.get(sv.code)?.name[q.lang] ?? sv.code}: ${q.m(`CLASS__${sv.classification}`)}`,
        `${q.m('SUMMARY_PAYS')} ${q.m(`SERVICE_PAYER__${sv.payer}`)}`,
        price,
        period,
      ]
        .filter(Boolean)
        .join(', ')}`,
    );
    if (sv.description) L.push(`      ${sv.description}`);
  }
  if (d.meeting) {
    row('SUMMARY_MEETING', d.meeting.slots.map((s) => slotText(q, s)).join('; '));
    row(
      'SUMMARY_MEETING_CHANNEL',
      [q.m(`MEETING_CHANNEL__${d.meeting.channel}`), d.meeting.location].filter(Boolean).join(', '),
    );
    row('SUMMARY_AGENDA', d.meeting.agenda?.join('; '));
  }
  // Everything typed is shown whole: the worker signs what they read here.
  row('SUMMARY_NOTES', d.notes);
  return L.join('\n');
}

/** The youth as typed: name, identity code, dates, languages in words, contact details, wishes. */
function youthRows(q: Interview, row: (k: string, v: string | undefined) => void): void {
  const y = q.draft.youth;
  if (!y) return;
  const date = (v: string | undefined) => (v ? formatDateFi(v) : undefined);
  row('SUMMARY_YOUTH', y.name ? `${y.name.given} ${y.name.family}` : undefined);
  row('SUMMARY_HETU', y.personalIdentityCode);
  row('SUMMARY_BIRTHDATE', date(y.birthDate));
  row('SUMMARY_MOVING', date(y.movingDate));
  row('SUMMARY_LANGUAGE', y.preferredLanguage && languageName(y.preferredLanguage, q.lang));
  row('SUMMARY_INTERPRETER', y.interpreter && languageName(y.interpreter, q.lang));
  row('SUMMARY_NON_DISCLOSURE', y.nonDisclosure ? q.m('SUMMARY_YES') : undefined);
  row('SUMMARY_YOUTH_ADDRESS', addressText(y.contact?.address));
  row('SUMMARY_YOUTH_PHONE', y.contact?.phone);
  row('SUMMARY_YOUTH_EMAIL', y.contact?.email);
  row('SUMMARY_WANTS', y.wantsServices ? q.m(`SUMMARY_WANTS__${y.wantsServices}`) : undefined);
  row('SUMMARY_WISHES', y.wishes);
}
