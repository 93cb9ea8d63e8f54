/** The right to aftercare: its basis, the placement dates, and the last day the law gives. */
import { compareDates, formatDateFi } from '../../domain/dates.js';
import { lastDayOfRight } from '../../domain/law.js';
import type { Interview } from '../base.js';
import type { Draft } from '../scope.js';

/** The end date comes from the law table; the worker may shorten it, or go beyond it only with a policy. */
export async function entitlement(q: Interview): Promise<void> {
  const prev = q.draft.entitlement;
  if (prev?.basis && prev.placementEndedOn && prev.endsOn && prev.payer) return;
  const type = q.draft.type ?? 'aftercare';
  const basis =
    type === 'integration-support'
      ? 'unaccompanied-minor'
      : await q.choose(
          'ENT_BASIS',
          ['custody-placement', 'open-care-placement'] as const,
          prev?.basis === 'open-care-placement' ? 'open-care-placement' : 'custody-placement',
        );
  const e: Partial<NonNullable<Draft['entitlement']>> = { ...(prev ?? {}), basis };
  const started = await q.date('ENT_STARTED', {
    optional: true,
    ...(e.placementStartedOn ? { def: e.placementStartedOn } : {}),
    notAfter: q.today,
  });
  if (started) e.placementStartedOn = started;
  e.placementEndedOn = await q.date('ENT_ENDED', {
    ...(e.placementEndedOn ? { def: e.placementEndedOn } : {}),
    ...(started ? { notBefore: started } : {}),
  });
  if (basis === 'open-care-placement')
    e.placedAlone = await q.ask.confirm({
      message: q.m('ENT_PLACED_ALONE'),
      default: e.placedAlone ?? true,
    });
  const lastClient = await q.date('ENT_LAST_CLIENT', {
    optional: true,
    ...(e.lastClientOn ? { def: e.lastClientOn } : {}),
    notBefore: e.placementEndedOn!,
  });
  if (lastClient) e.lastClientOn = lastClient;
  const facts = {
    type,
    birthDate: q.draft.youth?.birthDate,
    createdAt: q.draft.createdAt,
    placementEndedOn: e.placementEndedOn,
    lastClientOn: e.lastClientOn,
  };
  const law = lastDayOfRight(facts);
  const limit = law?.lastDay;
  if (limit)
    q.ask.say(
      q.m(`ENT_LAW_LIMIT__${law.limitingFactor}`, { date: formatDateFi(limit), age: law.row.ageLimit }),
    );
  let proposal = e.endsOn ?? limit;
  for (;;) {
    const ends = (await q.date('ENT_ENDS', {
      ...(proposal ? { def: proposal } : {}),
      notBefore: e.placementEndedOn!,
    }))!;
    // After a refused date the law's own date is proposed again, not the refused one.
    proposal = limit;
    e.endsOn = ends;
    delete e.discretionary;
    delete e.policyReference;
    if (!limit || compareDates(ends, limit) <= 0) break;
    q.ask.say(q.m('ENT_BEYOND_LAW', { date: formatDateFi(limit) }));
    if (!(await q.ask.confirm({ message: q.m('ENT_DISCRETIONARY'), default: false }))) continue;
    const policyReference = await q.value('ENT_POLICY', 'line');
    const lifted = lastDayOfRight({ ...facts, discretionary: true, policyReference });
    if (lifted && compareDates(ends, lifted.lastDay) <= 0) {
      e.discretionary = true;
      e.policyReference = policyReference;
      break;
    }
    q.ask.say(q.m('ENT_BEYOND_DISCRETIONARY', { date: formatDateFi(lifted?.lastDay ?? limit) }));
  }
  e.payer = await q.choose('ENT_PAYER', ['sender', 'recipient'] as const, e.payer ?? 'sender');
  if (type === 'integration-support') {
    const decision = await q.optional('ENT_REIMBURSEMENT', 'line', e.reimbursementDecision);
    if (decision) e.reimbursementDecision = decision;
  }
  q.draft.entitlement = e as NonNullable<Draft['entitlement']>;
}
