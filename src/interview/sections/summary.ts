/** The summary, from which the worker may go back to any section in scope before writing. */
import { formatDateFi } from '../../domain/dates.js';
import { byCode } from '../../domain/municipalities.js';
import type { Category } from '../../schema/types.js';
import { type Interview, interrupted } from '../base.js';
import { clientPlan } from './client-plan.js';
import { consentGate } from './consent.js';
import { entitlement } from './entitlement.js';
import { meeting } from './meeting.js';
import { notes } from './notes.js';
import { recipient } from './recipient.js';
import { services } from './services.js';
import { youth } from './youth.js';

/** The sections the worker may go back to, in the order asked; one with a category only inside the scope. */
const EDITABLE: readonly { id: string; category?: Category; again: (q: Interview) => Promise<void> }[] = [
  // Both keep a complete answer as it stands when asked, so going back to them starts from nothing.
  {
    id: 'consent',
    again: (q) => {
      delete q.draft.consent;
      return consentGate(q);
    },
  },
  { id: 'recipient', again: (q) => recipient(q, true) },
  { id: 'youth', again: (q) => youth(q, true) },
  {
    id: 'entitlement',
    category: 'entitlement',
    again: (q) => {
      delete q.draft.entitlement;
      return entitlement(q);
    },
  },
  { id: 'clientPlan', category: 'clientPlan', again: (q) => clientPlan(q, true) },
  { id: 'services', category: 'services', again: (q) => services(q, true) },
  { id: 'meeting', again: (q) => meeting(q, true) },
  { id: 'notes', again: (q) => notes(q, true) },
];

/** SPEC §4.7: nothing is written before the worker has seen and accepted the summary. */
export async function summary(q: Interview): Promise<void> {
  for (;;) {
    q.ask.say(summaryText(q));
    const sections = EDITABLE.filter((s) => !s.category || q.inScope(s.category));
    const action = await q.ask.select<string>({
      message: q.m('SUMMARY_WHAT_NOW'),
      choices: [
        { value: 'write', name: q.m('SUMMARY_WRITE') },
        ...sections.map((s) => ({
          value: s.id,
          name: q.m('SUMMARY_EDIT', { section: q.m(`SECTION__${s.id}`) }),
        })),
        { value: 'cancel', name: q.m('SUMMARY_CANCEL') },
      ],
      default: 'write',
    });
    if (action === 'write') return;
    if (action === 'cancel') throw interrupted();
    await sections.find((s) => s.id === action)?.again(q);
  }
}

function summaryText(q: Interview): string {
  const d = q.draft;
  const L: string[] = ['', q.m('SUMMARY_TITLE')];
  const row = (k: string, v: string | undefined) => {
    if (v) L.push(`  ${q.m(k)}: ${v}`);
  };
  row('SUMMARY_SENDER', d.sender?.organization.name);
  row('SUMMARY_RECIPIENT', d.recipient?.organization.name);
  const mun = byCode(d.youth?.newMunicipalityCode);
  row(
    'SUMMARY_MUNICIPALITY',
    mun ? `${q.lang === 'sv' ? mun.name_sv : mun.name_fi} (${mun.code})` : undefined,
  );
  row('SUMMARY_YOUTH', d.youth?.name ? `${d.youth.name.given} ${d.youth.name.family}` : undefined);
  row('SUMMARY_BIRTHDATE', d.youth?.birthDate ? formatDateFi(d.youth.birthDate) : undefined);
  row(
    'SUMMARY_CONSENT',
    d.consent
      ? q.m(d.consent.basis === 'statutory' ? 'CONSENT_GIVEN__statutory' : 'CONSENT_GIVEN__yes')
      : undefined,
  );
  row('SCOPE', (d.consent?.scope ?? []).map((c) => q.m(`CATEGORY__${c}`)).join(', '));
  if (d.entitlement)
    row(
      'SUMMARY_ENDS',
      formatDateFi(d.entitlement.endsOn) +
        (d.entitlement.discretionary ? ` (${q.m('SUMMARY_DISCRETIONARY')})` : ''),
    );
  if (d.clientPlan) row('SUMMARY_GOALS', String(d.clientPlan.goals.length));
  for (const s of d.services ?? [])
    L.push(
      `  - ${q.catalogue.get(s.code)?.name[q.lang] ?? s.code}: ${q.m(`CLASS__${s.classification}`)}, ${q.m('SUMMARY_PAYS')} ${q.m(`SERVICE_PAYER__${s.payer}`)}`,
    );
  if (d.meeting)
    row('SUMMARY_MEETING', d.meeting.slots.map((s) => s.start.slice(0, 16).replace('T', ' ')).join('; '));
  row('SUMMARY_NOTES', d.notes ? `${d.notes.slice(0, 60)}${d.notes.length > 60 ? '…' : ''}` : undefined);
  return L.join('\n');
}
