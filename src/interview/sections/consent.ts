/**
 * The consent gate (SPEC §4.2): consent or a statutory basis and its scope, recorded before
 * anything else about the youth is asked; whatever the draft holds outside the scope goes.
 */

import { EXIT, HandoverError } from '../../core/errors.js';
import { serviceCategories } from '../../domain/catalogue.js';
import { formatDateFi } from '../../domain/dates.js';
import type { Category, Handover } from '../../schema/types.js';
import type { Interview } from '../base.js';
import { youthIsMinor } from '../missing.js';
import { CATEGORIES, type Draft, pruneToScope } from '../scope.js';

/**
 * SPEC §4.2: consent, or a statutory basis, or stop (exit 3) before anything else is asked.
 * `edit` (from the summary) asks every question again with the earlier answers as defaults.
 */
export async function consentGate(q: Interview, edit = false): Promise<void> {
  const prefilled = q.draft.consent;
  if (!edit && prefilled?.basis && prefilled.recordedBy && prefilled.scope?.length) {
    q.ask.say(consentSummary(q, prefilled));
    if (await q.ask.confirm({ message: q.m('CONSENT_PREFILLED_OK'), default: true })) return;
  }
  const choice = await q.ask.select<'consent' | 'statutory' | 'none'>({
    message: q.m('CONSENT_GIVEN'),
    choices: [
      { value: 'consent', name: q.m('CONSENT_GIVEN__yes') },
      { value: 'statutory', name: q.m('CONSENT_GIVEN__statutory') },
      { value: 'none', name: q.m('CONSENT_GIVEN__none') },
    ],
    ...(prefilled?.basis ? { default: prefilled.basis } : {}),
  });
  if (choice === 'none') {
    throw new HandoverError('CONSENT_GATE_CLOSED', EXIT.consentClosed, {
      key: 'interview.CONSENT_GATE_CLOSED',
    });
  }
  const recorder = q.draft.sender?.contact?.name;
  const c: NonNullable<Draft['consent']> = { basis: choice };
  if (choice === 'consent') {
    c.method = await q.choose(
      'CONSENT_METHOD',
      ['written', 'oral', 'electronic'] as const,
      prefilled?.method,
    );
    c.givenOn = await q.date('CONSENT_DATE', {
      def: prefilled?.givenOn ?? q.today,
      notAfter: q.today,
    });
    if (youthIsMinor(q.draft) !== false)
      c.givenBy = await q.choose(
        'CONSENT_BY',
        ['youth', 'guardian', 'youth-and-guardian'] as const,
        prefilled?.givenBy ?? 'youth',
      );
  } else {
    // LsL 25 d § concerns a child: it is offered only for a youth under 18; for an adult the
    // basis is a matter of judgement (e.g. act 703/2023), and nothing is proposed.
    const minor = youthIsMinor(q.draft) === true;
    c.statutoryReference = await q.value(
      minor ? 'STATUTORY_REFERENCE' : 'STATUTORY_REFERENCE_ADULT',
      'line',
      prefilled?.statutoryReference ?? (minor ? 'LsL 25 d §' : undefined),
    );
  }
  c.recordedBy = await q.value('CONSENT_RECORDED_BY', 'line', prefilled?.recordedBy ?? recorder);
  const before = prefilled?.scope ?? [];
  const picked = await q.ask.checkbox<Category>({
    message: q.m(choice === 'consent' ? 'SCOPE_CONSENT' : 'SCOPE_STATUTORY'),
    choices: CATEGORIES.filter((x) => x !== 'identity').map((x) => ({
      value: x,
      name: q.m(`CATEGORY__${x}`),
      checked: before.includes(x),
    })),
  });
  c.scope = ['identity', ...CATEGORIES.filter((x) => x !== 'identity' && picked.includes(x))];
  q.ask.say(q.m('SCOPE_IDENTITY_ALWAYS'));
  q.draft.consent = c;
  applyScope(q);
}

function applyScope(q: Interview): void {
  const r = pruneToScope(q.draft, q.scope, (code) => serviceCategories({ code }, q.catalogue));
  q.draft = r.draft;
  for (const x of r.removed)
    q.ask.say(q.m('SCOPE_REMOVED', { pointer: x.pointer, category: q.m(`CATEGORY__${x.category}`) }));
}

function consentSummary(q: Interview, c: Partial<Handover['consent']>): string {
  const lines = [q.m('CONSENT_PREFILLED')];
  lines.push(
    `  ${q.m('CONSENT_GIVEN')}: ${q.m(c.basis === 'statutory' ? 'CONSENT_GIVEN__statutory' : 'CONSENT_GIVEN__yes')}`,
  );
  if (c.method) lines.push(`  ${q.m('CONSENT_METHOD')}: ${q.m(`CONSENT_METHOD__${c.method}`)}`);
  if (c.givenOn) lines.push(`  ${q.m('CONSENT_DATE')}: ${formatDateFi(c.givenOn)}`);
  if (c.givenBy) lines.push(`  ${q.m('CONSENT_BY')}: ${q.m(`CONSENT_BY__${c.givenBy}`)}`);
  if (c.statutoryReference) lines.push(`  ${q.m('STATUTORY_REFERENCE')}: ${c.statutoryReference}`);
  if (c.recordedBy) lines.push(`  ${q.m('CONSENT_RECORDED_BY')}: ${c.recordedBy}`);
  lines.push(`  ${q.m('SCOPE')}: ${(c.scope ?? []).map((x) => q.m(`CATEGORY__${x}`)).join(', ')}`);
  return lines.join('\n');
}
