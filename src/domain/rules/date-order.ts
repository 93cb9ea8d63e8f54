/** DATE_ORDER: an end before its start, a plan review before the plan, consent after createdAt. */
import { compareDates, helsinkiDate, instant, isDate } from '../dates.js';
import { finding } from './registry.js';
import { arr, isObj, type Json, obj, type RuleFinding } from './types.js';

const before = (end: unknown, start: unknown): boolean =>
  isDate(end) && isDate(start) && compareDates(end, start) < 0;

export function dateOrderRules(doc: Json): RuleFinding[] {
  const out: RuleFinding[] = [];
  const ent = obj(doc, 'entitlement');
  if (ent && before(ent.placementEndedOn, ent.placementStartedOn))
    out.push(
      finding('DATE_ORDER', '/entitlement/placementEndedOn', {
        reason: 'placement',
        start: String(ent.placementStartedOn),
      }),
    );

  arr(doc, 'services')?.forEach((s, i) => {
    const p = obj(s, 'period');
    if (p && before(p.to, p.from))
      out.push(
        finding('DATE_ORDER', `/services/${i}/period/to`, { reason: 'period', start: String(p.from) }),
      );
  });

  arr(obj(doc, 'meeting'), 'slots')?.forEach((slot, i) => {
    if (!isObj(slot)) return;
    const start = instant(slot.start);
    const end = instant(slot.end);
    if (start !== undefined && end !== undefined && end < start)
      out.push(finding('DATE_ORDER', `/meeting/slots/${i}/end`, { reason: 'slot' }));
  });

  const plan = obj(doc, 'clientPlan');
  if (plan && before(plan.reviewDue, plan.date))
    out.push(finding('DATE_ORDER', '/clientPlan/reviewDue', { reason: 'review', start: String(plan.date) }));

  const consent = obj(doc, 'consent');
  const created = helsinkiDate(doc.createdAt);
  if (consent && created !== undefined && before(created, consent.givenOn))
    out.push(finding('DATE_ORDER', '/consent/givenOn', { reason: 'consent', start: created }));
  return out;
}
