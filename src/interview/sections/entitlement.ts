/** The right to aftercare: its basis, the placement dates, and the last day the law gives. */
import { birthday, compareDates, dayBefore, formatDateFi } from '../../domain/dates.js';
import { type ExtensionKind, lastDayOfRight, readExtension } from '../../domain/law.js';
import type { Interview } from '../base.js';
import type { Draft } from '../scope.js';

/**
 * The end date comes from the law table; the worker may shorten it, or go beyond it only with
 * a policy. `edit` asks again with the earlier answers as defaults.
 */
export async function entitlement(q: Interview, edit = false): Promise<void> {
  const prev = q.draft.entitlement;
  if (!edit && prev?.basis && prev.placementEndedOn && prev.endsOn && prev.payer) return;
  const type = q.draft.type ?? 'aftercare';
  const basis =
    type === 'integration-support'
      ? 'unaccompanied-minor'
      : await q.choose(
          'ENT_BASIS',
          ['custody-placement', 'open-care-placement', 'discretionary'] as const,
          prev?.basis === 'open-care-placement' || prev?.basis === 'discretionary'
            ? prev.basis
            : 'custody-placement',
        );
  const e: Partial<NonNullable<Draft['entitlement']>> = { ...(prev ?? {}), basis };
  const started = await q.date('ENT_STARTED', {
    optional: true,
    ...(e.placementStartedOn ? { def: e.placementStartedOn } : {}),
    notAfter: q.today,
  });
  if (started) e.placementStartedOn = started;
  else delete e.placementStartedOn;
  e.placementEndedOn = await placementEnded(q, basis, e.placementEndedOn, started);
  if (basis === 'open-care-placement') {
    e.placedAlone = await q.ask.confirm({
      message: q.m('ENT_PLACED_ALONE'),
      default: e.placedAlone ?? true,
    });
    // Its organiser pays for the aftercare (LsL 16 a § 3 mom.).
    const home = await q.optional('ENT_HOME_AT_END', 'municipality', e.homeMunicipalityAtEnd);
    if (home) e.homeMunicipalityAtEnd = home;
    else delete e.homeMunicipalityAtEnd;
  } else delete e.homeMunicipalityAtEnd;
  // SPEC §4.9: a youth still a client (aftercare included) has no last client day, and the
  // five-year rule has not started; integration support has no five-year rule at all.
  if (
    type === 'aftercare' &&
    !(await q.ask.confirm({ message: q.m('ENT_CLIENT_NOW'), default: !e.lastClientOn }))
  )
    e.lastClientOn = (await q.date('ENT_LAST_CLIENT', {
      ...(e.lastClientOn ? { def: e.lastClientOn } : {}),
      notBefore: e.placementEndedOn!,
      notAfter: q.today,
    }))!;
  else delete e.lastClientOn;
  const facts = {
    type,
    birthDate: q.draft.youth?.birthDate,
    createdAt: q.draft.createdAt,
    basis,
    placementEndedOn: e.placementEndedOn,
    lastClientOn: e.lastClientOn,
  };
  const law = lastDayOfRight(facts);
  const limit = law?.lastDay;
  if (limit)
    q.ask.say(
      q.m(`ENT_LAW_LIMIT__${law.limitingFactor}`, { date: formatDateFi(limit), age: law.row.ageLimit }),
    );
  // An edited placement or client date moves the law's day: the earlier end date is proposed only if it still fits.
  let proposal = e.endsOn && limit && compareDates(e.endsOn, limit) <= 0 ? e.endsOn : limit;
  for (;;) {
    const ends = (await q.date('ENT_ENDS', {
      ...(proposal ? { def: proposal } : {}),
      notBefore: e.placementEndedOn!,
    }))!;
    // After a refused date the law's own date is proposed again, not the refused one.
    proposal = limit;
    e.endsOn = ends;
    const prevExt = readExtension(e);
    delete e.extension;
    if (!limit || compareDates(ends, limit) <= 0) break;
    q.ask.say(q.m('ENT_BEYOND_LAW', { date: formatDateFi(limit) }));
    // Past the statutory day only by a decision under a transition or the sender's own policy.
    const kind = await q.choose(
      'ENT_EXTENSION',
      ['none', 'transitional-decision', 'own-policy'] as const,
      prevExt?.kind ?? 'none',
    );
    if (kind === 'none') continue;
    const extension = await askExtension(q, kind, type, prevExt);
    const lifted = lastDayOfRight({ ...facts, extension });
    if (lifted && compareDates(ends, lifted.lastDay) <= 0) {
      e.extension = extension;
      if (kind === 'own-policy') q.ask.say(q.m('ENT_OWN_POLICY_NOTE', { date: formatDateFi(limit) }));
      break;
    }
    q.ask.say(q.m('ENT_BEYOND_DISCRETIONARY', { date: formatDateFi(lifted?.lastDay ?? limit) }));
  }
  // Aftercare is paid by the organiser that paid for the care; integration support by the one
  // that arranges it in the new place, which claims the state's reimbursement.
  // The question names the rule of LsL 16 a § 3 mom. for the basis given.
  const payerKey =
    basis === 'open-care-placement'
      ? 'ENT_PAYER_OPEN'
      : basis === 'discretionary'
        ? 'ENT_PAYER_DISC'
        : 'ENT_PAYER';
  e.payer =
    type === 'aftercare'
      ? await q.choose(payerKey, ['sender', 'recipient'] as const, e.payer ?? 'sender')
      : await q.choose('ENT_PAYER_INT', ['recipient', 'sender'] as const, e.payer ?? 'recipient');
  if (type === 'integration-support') {
    const decision = await q.optional('ENT_REIMBURSEMENT', 'line', e.reimbursementDecision);
    if (decision) e.reimbursementDecision = decision;
  }
  q.draft.entitlement = e as NonNullable<Draft['entitlement']>;
}

/** The decision or policy that carries support past the statutory day, with its date. */
async function askExtension(
  q: Interview,
  kind: ExtensionKind,
  type: string,
  prev: { reference: string; decidedOn?: string } | undefined,
): Promise<{ kind: ExtensionKind; reference: string; decidedOn?: string }> {
  const reference = await q.value(`ENT_EXTENSION_REF__${kind}`, 'line', prev?.reference || undefined);
  // A transitional decision binds only when made before the reduction (1283/2023, 323/2024).
  const before = type === 'integration-support' ? '2024-06-30' : '2023-12-31';
  const decidedOn = await q.date(`ENT_EXTENSION_DATE__${kind}`, {
    optional: kind === 'own-policy',
    ...(prev?.decidedOn ? { def: prev.decidedOn } : {}),
    notAfter: kind === 'transitional-decision' ? before : q.today,
  });
  return decidedOn ? { kind, reference, decidedOn } : { kind, reference };
}

/**
 * SPEC §4.6: a care order ends at 18 (LsL 47 §), so a custody placement ending later is
 * questioned at its prompt (PLACEMENT_AFTER_18 would warn only after the summary).
 */
async function placementEnded(
  q: Interview,
  basis: string,
  def: string | undefined,
  started: string | undefined,
): Promise<string> {
  const birth = q.draft.youth?.birthDate;
  const latest = basis === 'custody-placement' && birth ? dayBefore(birthday(birth, 18)) : undefined;
  let proposal = def;
  for (;;) {
    const ended = (await q.date('ENT_ENDED', {
      ...(proposal ? { def: proposal } : {}),
      ...(started ? { notBefore: started } : {}),
    }))!;
    if (!latest || compareDates(ended, latest) <= 0) return ended;
    q.ask.say(q.m('ENT_ENDED_AFTER_18', { date: formatDateFi(latest) }));
    if (await q.ask.confirm({ message: q.m('ENT_ENDED_KEEP'), default: false })) return ended;
    proposal = latest;
  }
}
