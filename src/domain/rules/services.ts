/**
 * The services list: SERVICE_CODE_UNKNOWN, SERVICE_PAYER, SERVICE_PLAN_BASIS,
 * SERVICE_GOAL_UNKNOWN, SERVICE_PRICE_MISSING, SERVICE_AFTER_ENTITLEMENT and DUPLICATE_ID.
 */
import type { Catalogue } from '../catalogue.js';
import { compareDates, isDate } from '../dates.js';
import { finding } from './registry.js';
import { arr, has, isObj, type Json, obj, type RuleFinding } from './types.js';

export function serviceRules(doc: Json, catalogue: Catalogue): RuleFinding[] {
  const out: RuleFinding[] = [];
  const ent = obj(doc, 'entitlement');
  const entPayer = ent?.payer === 'sender' || ent?.payer === 'recipient' ? ent.payer : undefined;
  const endsOn = isDate(ent?.endsOn) ? ent.endsOn : undefined;

  // The sender commits to pay only while the right lasts; an open commitment is not flagged.
  const commitment = obj(doc, 'paymentCommitment');
  if (commitment && endsOn !== undefined && isDate(commitment.to) && compareDates(commitment.to, endsOn) > 0)
    out.push(finding('SERVICE_AFTER_ENTITLEMENT', '/paymentCommitment/to', { reason: 'commitment', endsOn }));

  const services = arr(doc, 'services');
  if (!services) return out;
  const plan = obj(doc, 'clientPlan');
  const goalIds = new Set(
    (arr(plan, 'goals') ?? [])
      .map((g) => (isObj(g) ? g.id : undefined))
      .filter((id) => typeof id === 'string'),
  );

  services.forEach((s, i) => {
    if (!isObj(s)) return;
    const at = `/services/${i}`;
    if (typeof s.code === 'string' && !catalogue.has(s.code))
      out.push(finding('SERVICE_CODE_UNKNOWN', `${at}/code`, { code: s.code }));

    const youthFunds = s.classification === 'youth-funds';
    // Independence funds are the youth's own money held by the sender (LsL 77 §): the sender
    // pays them out, and nobody bills anybody for them.
    if (youthFunds && (s.provider !== 'sender' || s.payer !== 'sender'))
      out.push(
        finding('SERVICE_PAYER', s.payer !== 'sender' ? `${at}/payer` : `${at}/provider`, {
          reason: 'youth-funds',
        }),
      );
    else if (
      s.payer === 'undecided' &&
      typeof s.classification === 'string' &&
      s.classification !== 'needs-agreement'
    )
      out.push(finding('SERVICE_PAYER', `${at}/payer`, { reason: 'undecided' }));
    else if (
      s.classification === 'aftercare' &&
      entPayer !== undefined &&
      (s.payer === 'sender' || s.payer === 'recipient') &&
      s.payer !== entPayer
    )
      out.push(finding('SERVICE_PAYER', `${at}/payer`, { reason: 'entitlement', payer: entPayer }));

    if (s.classification === 'aftercare' && !has(s, 'clientPlanGoal'))
      out.push(finding('SERVICE_PLAN_BASIS', at));

    if (typeof s.clientPlanGoal === 'string' && !goalIds.has(s.clientPlanGoal))
      out.push(finding('SERVICE_GOAL_UNKNOWN', `${at}/clientPlanGoal`));

    // Billed across organisations: somebody pays another party for it, so the price must be known.
    if (
      !youthFunds &&
      (s.payer === 'sender' || s.payer === 'recipient') &&
      typeof s.provider === 'string' &&
      s.provider !== s.payer &&
      !has(s, 'pricing')
    )
      out.push(finding('SERVICE_PRICE_MISSING', at));

    // A period without `to` is read as lasting while the right lasts: only an explicit end,
    // or a start, after endsOn runs past the right.
    const p = obj(s, 'period');
    if (p && endsOn !== undefined) {
      if (isDate(p.to) && compareDates(p.to, endsOn) > 0)
        out.push(finding('SERVICE_AFTER_ENTITLEMENT', `${at}/period/to`, { endsOn }));
      else if (!has(p, 'to') && isDate(p.from) && compareDates(p.from, endsOn) > 0)
        out.push(finding('SERVICE_AFTER_ENTITLEMENT', `${at}/period/from`, { endsOn }));
    }
  });
  return out;
}

/** Goal ids and service ids must each be unique; the later duplicate is the one reported. */
export function duplicateIdRule(doc: Json): RuleFinding[] {
  const out: RuleFinding[] = [];
  const check = (list: unknown[] | undefined, base: string) => {
    const seen = new Set<string>();
    list?.forEach((item, i) => {
      if (!isObj(item) || typeof item.id !== 'string') return;
      if (seen.has(item.id)) out.push(finding('DUPLICATE_ID', `${base}/${i}/id`, { id: item.id }));
      seen.add(item.id);
    });
  };
  check(arr(obj(doc, 'clientPlan'), 'goals'), '/clientPlan/goals');
  check(arr(doc, 'services'), '/services');
  return out;
}
