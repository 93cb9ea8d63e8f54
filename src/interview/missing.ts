/**
 * What a draft still lacks before it can become a handover: every missing member by JSON
 * pointer and the rule that would report it, all at once, so that a back office fixes its
 * export in one round instead of one error per run.
 */
import { ageOn, helsinkiDate, isDate } from '../domain/dates.js';
import type { Draft } from './scope.js';

export interface Missing {
  pointer: string;
  /** SCHEMA for a member the schema requires, CONSENT_INCOMPLETE for the consent details. */
  rule: 'SCHEMA' | 'CONSENT_INCOMPLETE';
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const absent = (o: unknown, key: string): boolean =>
  !isObj(o) || o[key] === undefined || o[key] === null || o[key] === '';

/** Is the youth under 18 on the day of createdAt? Undefined when either date is unknown. */
export function youthIsMinor(draft: Draft): boolean | undefined {
  const created = helsinkiDate(draft.createdAt);
  const birth = draft.youth?.birthDate;
  if (!created || !isDate(birth)) return undefined;
  return ageOn(birth, created) < 18;
}

function party(out: Missing[], p: unknown, at: string, contactRequired: boolean): void {
  const org = isObj(p) ? p.organization : undefined;
  for (const k of ['name', 'businessId'])
    if (absent(org, k)) out.push({ pointer: `${at}/organization/${k}`, rule: 'SCHEMA' });
  const contact = isObj(p) ? p.contact : undefined;
  if (contact === undefined) {
    if (contactRequired) out.push({ pointer: `${at}/contact`, rule: 'SCHEMA' });
    return;
  }
  person(out, contact, `${at}/contact`);
  if (isObj(p) && p.backupContact !== undefined) person(out, p.backupContact, `${at}/backupContact`);
}

function person(out: Missing[], p: unknown, at: string): void {
  if (absent(p, 'name')) out.push({ pointer: `${at}/name`, rule: 'SCHEMA' });
  if (absent(p, 'email') && absent(p, 'phone')) out.push({ pointer: `${at}/email`, rule: 'SCHEMA' });
}

/** The missing members of a draft, in document order. */
export function missingFields(draft: Draft): Missing[] {
  const out: Missing[] = [];
  if (absent(draft, 'type')) out.push({ pointer: '/type', rule: 'SCHEMA' });
  party(out, draft.sender, '/sender', true);
  party(out, draft.recipient, '/recipient', false);

  const y = draft.youth;
  if (absent(y?.name, 'given')) out.push({ pointer: '/youth/name/given', rule: 'SCHEMA' });
  if (absent(y?.name, 'family')) out.push({ pointer: '/youth/name/family', rule: 'SCHEMA' });
  // Under turvakielto the new municipality is left out of the file (format 1.2, SPEC §5.1).
  for (const k of y?.nonDisclosure === true ? ['birthDate'] : ['birthDate', 'newMunicipalityCode'])
    if (absent(y, k)) out.push({ pointer: `/youth/${k}`, rule: 'SCHEMA' });

  const c = draft.consent;
  if (c === undefined) {
    out.push({ pointer: '/consent', rule: 'SCHEMA' });
  } else {
    if (absent(c, 'basis')) out.push({ pointer: '/consent/basis', rule: 'SCHEMA' });
    if (absent(c, 'recordedBy')) out.push({ pointer: '/consent/recordedBy', rule: 'SCHEMA' });
    if (!Array.isArray(c.scope) || c.scope.length === 0)
      out.push({ pointer: '/consent/scope', rule: 'SCHEMA' });
    if (c.basis === 'consent') {
      for (const k of ['givenOn', 'method'])
        if (absent(c, k)) out.push({ pointer: `/consent/${k}`, rule: 'CONSENT_INCOMPLETE' });
      if (absent(c, 'givenBy') && youthIsMinor(draft) === true)
        out.push({ pointer: '/consent/givenBy', rule: 'CONSENT_INCOMPLETE' });
    }
    if (c.basis === 'statutory' && absent(c, 'statutoryReference'))
      out.push({ pointer: '/consent/statutoryReference', rule: 'CONSENT_INCOMPLETE' });
  }

  const e = draft.entitlement;
  if (e !== undefined)
    for (const k of ['basis', 'placementEndedOn', 'endsOn', 'payer'])
      if (absent(e, k)) out.push({ pointer: `/entitlement/${k}`, rule: 'SCHEMA' });
  const p = draft.clientPlan;
  if (p !== undefined) {
    if (absent(p, 'date')) out.push({ pointer: '/clientPlan/date', rule: 'SCHEMA' });
    if (!Array.isArray(p.goals)) out.push({ pointer: '/clientPlan/goals', rule: 'SCHEMA' });
  }
  return out;
}
