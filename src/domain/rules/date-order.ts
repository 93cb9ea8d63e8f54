/**
 * DATE_ORDER: an end before its start, a plan review before the plan, consent after
 * createdAt, replyBy before createdAt, the client relationship ending before the
 * placement did, and an extension decided after createdAt. The pointer is at the later member, the one to fix.
 */
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
  // Aftercare is itself a client relationship after the placement: it cannot end first.
  if (ent && before(ent.lastClientOn, ent.placementEndedOn))
    out.push(
      finding('DATE_ORDER', '/entitlement/lastClientOn', {
        reason: 'lastClient',
        start: String(ent.placementEndedOn),
      }),
    );

  const commitment = obj(doc, 'paymentCommitment');
  if (commitment && before(commitment.to, commitment.from))
    out.push(
      finding('DATE_ORDER', '/paymentCommitment/to', {
        reason: 'commitment',
        start: String(commitment.from),
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
  // The same day is allowed: a reply asked for on the day of sending is strict, not impossible.
  if (created !== undefined && before(doc.replyBy, created))
    out.push(finding('DATE_ORDER', '/replyBy', { reason: 'replyBy', start: created }));
  // A decision the file relies on cannot postdate the file.
  const decidedOn = obj(ent, 'extension')?.decidedOn;
  if (created !== undefined && before(created, decidedOn))
    out.push(
      finding('DATE_ORDER', '/entitlement/extension/decidedOn', { reason: 'extension', start: created }),
    );
  return out;
}
