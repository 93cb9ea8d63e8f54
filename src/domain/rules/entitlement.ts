/**
 * ENTITLEMENT_AGE_LIMIT, ENTITLEMENT_BASIS_MISMATCH, PLACEMENT_AFTER_18, ENTITLEMENT_EXPIRED,
 * ENTITLEMENT_OPEN_CARE_SHORT, ENTITLEMENT_PAYER: the right itself, against the law in force
 * on createdAt.
 */
import { addMonths, birthday, compareDates, dayBefore, helsinkiDate, isDate } from '../dates.js';
import { lastDayOfRight } from '../law.js';
import { finding } from './registry.js';
import { has, type Json, obj, type RuleFinding } from './types.js';

/** An open-care placement gives a statutory right only after this many months (LsL 75 §). */
const OPEN_CARE_MONTHS = 6;
/** A care order ends at 18 at the latest (LsL 47 §). */
const CARE_ORDER_AGE = 18;

export function entitlementRules(doc: Json): RuleFinding[] {
  const ent = obj(doc, 'entitlement');
  if (!ent) return [];
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

  if (isDate(ent.endsOn)) {
    const right = lastDayOfRight({
      type: doc.type,
      birthDate,
      createdAt: doc.createdAt,
      placementEndedOn: ent.placementEndedOn,
      lastClientOn: ent.lastClientOn,
      discretionary: ent.discretionary,
      policyReference: ent.policyReference,
    });
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

  // The organiser that arranges integration support where the youth lives pays it and claims
  // the state's reimbursement; the previous organiser does not pay the next one.
  if (doc.type === 'integration-support' && ent.payer === 'sender')
    out.push(finding('ENTITLEMENT_PAYER', '/entitlement/payer'));

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
