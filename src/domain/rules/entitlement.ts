/**
 * ENTITLEMENT_AGE_LIMIT, ENTITLEMENT_BASIS_MISMATCH, PLACEMENT_AFTER_18, ENTITLEMENT_EXPIRED,
 * ENTITLEMENT_OPEN_CARE_SHORT, ENTITLEMENT_PAYER, ENTITLEMENT_EXTENSION, YOUTH_FUNDS_DUE: the
 * right itself, against the law in force on createdAt (SPEC §5.4).
 */
import { addMonths, birthday, compareDates, dayBefore, helsinkiDate, isDate } from '../dates.js';
import { type Extension, lastDayOfRight, type RightResult, readExtension, youthFundsDue } from '../law.js';
import { organiser } from '../municipalities.js';
import { finding } from './registry.js';
import { arr, has, type Json, obj, type RuleFinding } from './types.js';

/** The reductions a transitional decision relies on: it must be made before them (1283/2023, 323/2024). */
const REDUCTION: Record<string, string> = { aftercare: '2024-01-01', 'integration-support': '2024-07-01' };
/** 323/2024 covers only a youth who was 23 or older when it came into force. */
const INTEGRATION_TRANSITION_AGE = 23;

/** An open-care placement gives a statutory right only after this many months (LsL 75 §). */
const OPEN_CARE_MONTHS = 6;
/** A care order ends at 18 at the latest (LsL 47 §). */
const CARE_ORDER_AGE = 18;

export function entitlementRules(doc: Json): RuleFinding[] {
  const ent = obj(doc, 'entitlement');
  if (!ent)
    return youthFundsRule(
      doc,
      {},
      { type: doc.type, birthDate: obj(doc, 'youth')?.birthDate, createdAt: doc.createdAt },
    );
  const out: RuleFinding[] = [];
  const birthDate = obj(doc, 'youth')?.birthDate;
  const created = helsinkiDate(doc.createdAt);

  if (
    (doc.type === 'integration-support' &&
      typeof ent.basis === 'string' &&
      ent.basis !== 'unaccompanied-minor') ||
    (doc.type === 'aftercare' && ent.basis === 'unaccompanied-minor')
  )
    out.push(finding('ENTITLEMENT_BASIS_MISMATCH', '/entitlement/basis', { type: doc.type }));

  const extension = readExtension(ent);
  const facts = {
    type: doc.type,
    birthDate,
    createdAt: doc.createdAt,
    basis: ent.basis,
    placementEndedOn: ent.placementEndedOn,
    lastClientOn: ent.lastClientOn,
    extension,
  };
  // Computed once: the age limit, the extension and the funds all need it.
  const right = lastDayOfRight(facts);
  if (isDate(ent.endsOn)) {
    if (right && compareDates(ent.endsOn, right.lastDay) > 0)
      // No birthday in the params: the message names the day and the law, never the youth.
      out.push(
        finding('ENTITLEMENT_AGE_LIMIT', '/entitlement/endsOn', {
          lastDay: right.lastDay,
          reason: right.reason,
          // One per language: the edge picks the reader's (i18n/findings).
          ...(right.citation.fi
            ? {
                citation_fi: right.citation.fi,
                citation_sv: right.citation.sv,
                citation_en: right.citation.en,
              }
            : {}),
        }),
      );
    if (created !== undefined && compareDates(created, ent.endsOn) > 0)
      out.push(finding('ENTITLEMENT_EXPIRED', '/entitlement/endsOn', { endsOn: ent.endsOn }));
  }

  out.push(...payerRule(doc, ent));
  if (extension) out.push(...extensionRule(doc, ent, extension, right));
  out.push(...youthFundsRule(doc, ent, facts));

  if (ent.basis === 'custody-placement' && isDate(ent.placementEndedOn) && isDate(birthDate)) {
    const last = dayBefore(birthday(birthDate, CARE_ORDER_AGE));
    if (compareDates(ent.placementEndedOn, last) > 0)
      out.push(finding('PLACEMENT_AFTER_18', '/entitlement/placementEndedOn', { lastDay: last }));
  }

  if (ent.basis === 'open-care-placement') {
    if (!has(ent, 'placementStartedOn'))
      out.push(finding('ENTITLEMENT_OPEN_CARE_SHORT', '/entitlement', { reason: 'start' }));
    else if (
      isDate(ent.placementStartedOn) &&
      isDate(ent.placementEndedOn) &&
      compareDates(addMonths(ent.placementStartedOn, OPEN_CARE_MONTHS), ent.placementEndedOn) > 0
    )
      out.push(
        finding('ENTITLEMENT_OPEN_CARE_SHORT', '/entitlement/placementEndedOn', {
          reason: 'short',
          months: OPEN_CARE_MONTHS,
        }),
      );
    if (ent.placedAlone === false)
      out.push(finding('ENTITLEMENT_OPEN_CARE_SHORT', '/entitlement/placedAlone', { reason: 'notAlone' }));
  }
  return out;
}

/** The wellbeing services county of a party (null: none, or Åland). */
const countyOf = (party: unknown): string | null | undefined =>
  organiser(obj(party, 'organization')?.municipalityCode);

/** ENTITLEMENT_PAYER: who pays by law (LsL 16 a § 3 mom.; 681/2023 69 §). */
function payerRule(doc: Json, ent: Json): RuleFinding[] {
  // The organiser that arranges integration support where the youth lives pays it and claims
  // the state's reimbursement; the previous organiser does not pay the next one.
  if (doc.type === 'integration-support' && ent.payer === 'sender')
    return [finding('ENTITLEMENT_PAYER', '/entitlement/payer')];
  if (doc.type !== 'aftercare' || (ent.payer !== 'sender' && ent.payer !== 'recipient')) return [];
  // Open-care placement: the organiser of the child's home municipality when it ended pays.
  if (ent.basis === 'open-care-placement' && typeof ent.homeMunicipalityAtEnd === 'string') {
    const atEnd = organiser(ent.homeMunicipalityAtEnd);
    if (atEnd === undefined) return []; // an unknown code is MUNICIPALITY_UNKNOWN's
    const payer = countyOf(ent.payer === 'sender' ? doc.sender : doc.recipient);
    if (atEnd === null || payer === null || payer === undefined || payer !== atEnd)
      return [
        finding('ENTITLEMENT_PAYER', '/entitlement/payer', {
          reason: 'openCare',
          code: ent.homeMunicipalityAtEnd,
        }),
      ];
  }
  // Discretionary aftercare: the organiser that made the aftercare decision pays.
  if (ent.basis === 'discretionary' && ent.payer === 'recipient')
    return [finding('ENTITLEMENT_PAYER', '/entitlement/payer', { reason: 'discretionary' })];
  return [];
}

/** ENTITLEMENT_EXTENSION: support past the statutory day must be what it says it is. */
function extensionRule(doc: Json, ent: Json, ext: Extension, right: RightResult | undefined): RuleFinding[] {
  const out: RuleFinding[] = [];
  const ptr = has(ent, 'extension') ? '/entitlement/extension' : '/entitlement/discretionary';
  if (ext.kind === 'transitional-decision') {
    const reduction = REDUCTION[String(doc.type)];
    if (!ext.decidedOn) out.push(finding('ENTITLEMENT_EXTENSION', ptr, { reason: 'noDate' }));
    else if (reduction && compareDates(ext.decidedOn, reduction) >= 0)
      out.push(
        finding('ENTITLEMENT_EXTENSION', `${ptr}/decidedOn`, {
          reason: doc.type === 'integration-support' ? 'lateIntegration' : 'late',
          reduction,
        }),
      );
    const birthDate = obj(doc, 'youth')?.birthDate;
    if (
      doc.type === 'integration-support' &&
      isDate(birthDate) &&
      compareDates(birthday(birthDate, INTEGRATION_TRANSITION_AGE), REDUCTION['integration-support']!) > 0
    )
      out.push(finding('ENTITLEMENT_EXTENSION', ptr, { reason: 'young' }));
    return out;
  }
  // Own policy: after the statutory day it is not LsL aftercare and binds no other organiser,
  // so the receiver cannot be made to pay for it.
  if (doc.type !== 'aftercare' || !right) return out;
  const statutoryDay = right.reason === 'extension' ? right.statutory.lastDay : right.lastDay;
  arr(doc, 'services')?.forEach((s, i) => {
    const service = s as Json;
    if (service?.classification !== 'aftercare' || service.payer !== 'recipient') return;
    // As YOUTH_FUNDS_DUE: a service without a period is not flagged, an open period is.
    const period = obj(service, 'period');
    if (!period) return;
    const past = !isDate(period.to) || compareDates(period.to, statutoryDay) > 0;
    if (past)
      out.push(
        finding('ENTITLEMENT_EXTENSION', `/services/${i}/payer`, {
          reason: 'ownPolicy',
          lastDay: statutoryDay,
        }),
      );
  });
  return out;
}

/** YOUTH_FUNDS_DUE: independence funds are paid out at the latest on a day the law sets (LsL 77 §). */
function youthFundsRule(doc: Json, ent: Json, facts: Parameters<typeof youthFundsDue>[0]): RuleFinding[] {
  const services = arr(doc, 'services');
  if (!services?.some((s) => (s as Json)?.classification === 'youth-funds')) return [];
  const due = youthFundsDue({ ...facts, endsOn: ent.endsOn });
  if (due === undefined) return [];
  const out: RuleFinding[] = [];
  services.forEach((s, i) => {
    const service = s as Json;
    if (service?.classification !== 'youth-funds') return;
    const period = obj(service, 'period');
    if (!period) return;
    if (!isDate(period.to) || compareDates(period.to, due) > 0)
      out.push(finding('YOUTH_FUNDS_DUE', `/services/${i}/period`, { lastDay: due }));
  });
  return out;
}
